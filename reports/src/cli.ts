/**
 * `npm run report -- --day 2026-03-29 [--json]` (also --week 2026-W13, --month 2026-03,
 * --season 2025-26; --rebuild drops the cache first). Without --json a readable table.
 * An unknown option or a malformed period exits 2 with one line; a configuration error names the
 * variable and exits 2; a data source that cannot be read exits 1.
 */
import { readEnv, ConfigError } from "../../core/src/env.ts";
import { createLogger } from "../../core/src/effects.ts";
import { isExpected } from "../../core/src/errors.ts";
import { parseCommandLine, runCommand, UsageError } from "../../core/src/command-line.ts";
import { createReports } from "./index.ts";
import { loadReportsConfig } from "./config.ts";
import { dropCache } from "./engine/cache.ts";
import { PeriodError } from "./periods.ts";
import type { PeriodKind, PeriodReport } from "./types.ts";
import { formatReport } from "./output/table.ts";
import { dayOf } from "../../core/src/time.ts";

const USAGE =
  "usage: npm run report -- (--day YYYY-MM-DD | --week YYYY-Www | --month YYYY-MM | --season YYYY-YY) [--json] [--rebuild]";

async function main(): Promise<number> {
  const { values } = parseCommandLine(process.argv.slice(2), {
    day: { type: "string" },
    week: { type: "string" },
    month: { type: "string" },
    season: { type: "string" },
    json: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
  });
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const kinds = (["day", "week", "month", "season"] as const).filter((k) => values[k] !== undefined);
  if (kinds.length > 1)
    throw new UsageError(`choose one period, not ${kinds.map((k) => `--${k}`).join(" and ")}`);
  try {
    const env = readEnv();
    const config = loadReportsConfig(env);
    const logger = createLogger({ secrets: config.secrets });
    if (values.rebuild) {
      dropCache(config.dataDir);
      logger.info(`dropped the report cache in ${config.dataDir}/reports-cache`);
    }
    const reports = createReports({ env, logger });
    try {
      const kind: PeriodKind = kinds[0] ?? "day";
      const id = kinds[0] ? (values[kind] as string) : dayOf(reports.tz, Date.now());
      const rep: PeriodReport = await reports.report({ kind, id });
      process.stdout.write(values.json ? JSON.stringify(rep, null, 2) + "\n" : formatReport(rep));
      return 0;
    } finally {
      await reports.close();
    }
  } catch (e) {
    if (e instanceof PeriodError) throw new UsageError(e.message);
    if (e instanceof ConfigError || isExpected(e)) {
      process.stderr.write(`${(e as Error).message}\n`);
      return e instanceof ConfigError ? 2 : 1;
    }
    throw e;
  }
}

runCommand(main, USAGE);
