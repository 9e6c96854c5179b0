/**
 * `npm run report -- --day 2026-03-29 [--json]` (also --week 2026-W13, --month 2026-03,
 * --season 2025-26; --rebuild drops the cache first; no period: today so far). Without --json a
 * readable table. stdout holds the report only; stderr says which data was read (the store, its
 * path or URL and bucket, the days it holds). An unknown option or a malformed period exits 2 with
 * one line; a configuration error names the variable and exits 2; a data source that cannot be
 * read, or holds nothing for the period, exits 1 with what to set.
 */
import { existsSync } from "node:fs";
import { readEnv, ConfigError } from "../../core/src/env.ts";
import { createLogger, redact } from "../../core/src/effects.ts";
import { isExpected } from "../../core/src/errors.ts";
import { parseCommandLine, runCommand, UsageError } from "../../core/src/command-line.ts";
import { createReports } from "./index.ts";
import { loadReportsConfig } from "./config.ts";
import { dropCache } from "./engine/cache.ts";
import { PeriodError, periodDays } from "./periods.ts";
import type { PeriodKind, PeriodReport } from "./types.ts";
import { formatReport } from "./output/table.ts";
import { noDataHint, readNote, sourceName } from "./output/source-note.ts";
import { dayOf } from "../../core/src/time.ts";

const USAGE =
  "usage: npm run report -- " +
  "(--day YYYY-MM-DD | --week YYYY-Www | --month YYYY-MM | --season YYYY-YY) [--json] [--rebuild]";

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
    // A malformed period is a usage error, whatever the data holds.
    for (const k of kinds) periodDays(k, values[k] as string);
    const env = readEnv();
    const config = loadReportsConfig(env);
    const note = (text: string) => process.stderr.write(`${redact(text, config.secrets)}\n`);
    // Log lines go to stderr too: stdout is the report.
    const logger = createLogger({ secrets: config.secrets, write: (_level, line) => note(line) });
    if (values.rebuild) {
      dropCache(config.dataDir);
      logger.info(`dropped the report cache in ${config.dataDir}/reports-cache`);
    }
    const fromLocalSource = env.LOCAL_SOURCE !== undefined;
    const where = sourceName(config.source, fromLocalSource);
    const noData = () => {
      note(noDataHint(config.source, fromLocalSource, config.dataDir));
      return 1;
    };
    if (config.source.kind === "local" && !existsSync(config.source.path)) return noData();
    const reports = createReports({ env, logger });
    try {
      const extent = await reports.extent();
      if (!extent) return noData();
      const kind: PeriodKind = kinds[0] ?? "day";
      const id = kinds[0] ? (values[kind] as string) : dayOf(reports.tz, Date.now());
      const rep: PeriodReport = await reports.report({ kind, id });
      note(readNote(where, extent, rep));
      if (rep.days_with_data === 0) {
        note(`no data for ${id}: choose a period between ${extent.first} and ${extent.last}`);
        return 1;
      }
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
