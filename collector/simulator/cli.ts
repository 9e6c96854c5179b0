/**
 * `npm run simulate -- history --days N [--end YYYY-MM-DD] [--seed S] [--tz ZONE] [--monophase] --out PATH`
 * `npm run simulate -- serve [--seed S] [--speed X] [--monophase] [--backup-meter proem|1pm] [--shelly-password P] ...`
 */
import { parseCommandLine, runCommand, UsageError } from "../../core/src/command-line.ts";
import { defaultZone, writeHistory } from "./history.ts";
import { readEnv } from "../../core/src/env.ts";
import { addDays, dayOf } from "../../core/src/time.ts";

const HISTORY_USAGE =
  "usage: npm run simulate -- history --days N [--end YYYY-MM-DD] [--seed S] [--tz ZONE] [--monophase] --out PATH";
const SERVE_USAGE =
  "usage: npm run simulate -- serve [--seed S] [--speed X] [--tz ZONE] [--monophase] [--shelly-password P] " +
  "[--shelly-port N] [--backup-meter proem|1pm] [--backup-port N] [--viessmann-port N] [--offline] " +
  "[--fail-rate R] [--latency-ms N]";
const USAGE = `${HISTORY_USAGE}\n${SERVE_USAGE.replace("usage: ", "       ")}`;
/** For a missing or unknown subcommand: one line. */
const COMMAND_USAGE =
  "usage: npm run simulate -- (history | serve) [options]; npm run simulate -- --help lists them";

function fail(message: string, usage = HISTORY_USAGE): never {
  throw new UsageError(message, usage);
}

function toNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) fail(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}

async function history(args: string[]): Promise<void> {
  const { values } = withUsage(HISTORY_USAGE, () =>
    parseCommandLine(args, {
      days: { type: "string" },
      end: { type: "string" },
      seed: { type: "string" },
      tz: { type: "string" },
      out: { type: "string" },
      monophase: { type: "boolean" },
    }),
  );
  if (values.help) {
    process.stdout.write(`${HISTORY_USAGE}\n`);
    return;
  }
  if (!values.out) fail("--out PATH is required (the line-protocol file to write)");
  if (!values.days) fail("--days N is required (how many whole local days to generate)");
  // The zone rule of every command: REPORT_TZ (also from .env), else the machine's zone.
  const tz = values.tz ?? defaultZone(readEnv());
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    fail(`--tz ${JSON.stringify(tz)} is not a known IANA time zone (e.g. Europe/Berlin)`);
  }
  const days = toNumber("days", values.days, 0);
  const end = values.end ?? addDays(dayOf(tz, Date.now()), -1);
  const started = performance.now();
  try {
    const r = await writeHistory({
      days,
      end,
      seed: toNumber("seed", values.seed, 1),
      tz,
      out: values.out,
      profile: values.monophase ? "monophase" : "triphase",
    });
    const s = (performance.now() - started) / 1000;
    process.stdout.write(
      `wrote ${r.lines} lines (${(r.bytes / 1e6).toFixed(1)} MB) for ${days} day(s) ending ${end} (${tz}) ` +
        `to ${values.out} in ${s.toFixed(1)} s\n`,
    );
  } catch (err) {
    if (err instanceof RangeError) fail(err.message);
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string")
      fail(`cannot write --out ${values.out} (${code}); check that its folder exists and is writable`);
    throw err;
  }
}

/** Runs `f`; a UsageError it throws gets the subcommand's usage. */
function withUsage<T>(usage: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError && e.usage === undefined) throw new UsageError(e.message, usage);
    throw e;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "history") {
    await history(rest);
    return 0;
  }
  if (command === "serve") {
    const { serve } = await import("./serve.ts");
    try {
      await serve(rest);
      return 0;
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(err.message, SERVE_USAGE);
      if (err instanceof RangeError || (err as { code?: string }).code === "EADDRINUSE")
        fail((err as Error).message, SERVE_USAGE);
      throw err;
    }
  }
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  fail(
    command ? `unknown command ${JSON.stringify(command)}` : "missing command: history or serve",
    COMMAND_USAGE,
  );
}

// One line naming what is wrong, with the subcommand's usage; exit status 2.
runCommand(() => main(process.argv.slice(2)), COMMAND_USAGE);
