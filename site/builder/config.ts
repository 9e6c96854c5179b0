/**
 * The site builder's configuration: SITE_OUT, ARCHIVE_DIR, SITE_INTERVAL (and DATA_DIR for their
 * defaults), parsed once from the environment (and `.env`). REPORT_TZ and the data source are the
 * report engine's (reports/src/config.ts).
 */
import { join, resolve } from "node:path";
import { z } from "zod";
import { type Env, parseConfig } from "../../core/src/env.ts";

const schema = z.object({
  DATA_DIR: z.string().default("./data"),
  SITE_OUT: z.string().optional(),
  ARCHIVE_DIR: z.string().optional(),
  SITE_INTERVAL: z.coerce
    .number({ error: "must be a number of seconds, e.g. SITE_INTERVAL=300" })
    .int({ error: "must be a whole number of seconds, e.g. SITE_INTERVAL=300" })
    .min(10, { error: "must be at least 10 seconds; set e.g. SITE_INTERVAL=300" })
    .max(86_400, { error: "must be at most 86400 seconds (a day); set e.g. SITE_INTERVAL=300" })
    .default(300),
});

export interface SiteConfig {
  readonly dataDir: string;
  /** Published site (nginx serves it); default DATA_DIR/site. Its parent must be writable (temp folders, swap). */
  readonly siteOut: string;
  /** Frozen months, written once; default DATA_DIR/archive. */
  readonly archiveDir: string;
  /** Seconds between rebuilds of `npm run builder`; default 300. */
  readonly intervalS: number;
}

export function loadSiteConfig(env: Env): SiteConfig {
  const c = parseConfig(schema, env);
  const dataDir = resolve(c.DATA_DIR);
  return Object.freeze({
    dataDir,
    siteOut: resolve(c.SITE_OUT ?? join(dataDir, "site")),
    archiveDir: resolve(c.ARCHIVE_DIR ?? join(dataDir, "archive")),
    intervalS: c.SITE_INTERVAL,
  });
}
