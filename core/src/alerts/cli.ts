/**
 * `npm run alerts`: what is open now, from the state files of the collector and the site builder in
 * DATA_DIR, and which channels are set. `npm run alerts -- --test` sends one test message to each
 * configured channel and says per channel what happened: exit 0 when every channel took it, 1 when
 * one did not or none is set, 2 for a bad option or variable.
 */
import { resolve } from "node:path";
import { parseCommandLine, runCommand } from "../command-line.ts";
import { redact } from "../effects.ts";
import { ConfigError, type Env, readEnv } from "../env.ts";
import { testNotice } from "./alerter.ts";
import { createNotifier, type NotifierOptions } from "./notifier.ts";
import { channelNames, loadAlertSettings } from "./settings.ts";
import { alertFilePath, readAlertFile } from "./state-file.ts";

export const USAGE = "usage: npm run alerts [-- --test]";

export interface AlertsIo {
  env?: Env;
  print?: (line: string) => void;
  /** Configuration errors. Default: stderr. */
  printError?: (line: string) => void;
  now?: () => number;
  notifier?: NotifierOptions;
}

export async function alertsCommand(argv: readonly string[], io: AlertsIo = {}): Promise<number> {
  const { values } = parseCommandLine(argv, { test: { type: "boolean", default: false } });
  const env = io.env ?? readEnv();
  let secrets: readonly string[] = [];
  const print = (line: string) =>
    (io.print ?? ((l) => process.stdout.write(`${l}\n`)))(redact(line, secrets));
  if (values.help) {
    print(USAGE);
    return 0;
  }
  let settings;
  try {
    settings = loadAlertSettings(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    (io.printError ?? ((l) => process.stderr.write(`${l}\n`)))(e.message);
    return 2;
  }
  secrets = settings.secrets;
  const notifier = createNotifier(settings, io.notifier);
  const configured = channelNames(settings);
  if (!values.test) {
    print(
      configured.length > 0
        ? `Channels: ${configured.map((c) => notifier.describe(c)).join(", ")}`
        : "No channel set: set NTFY_URL and/or ALERT_WEBHOOK_URL (README, Getting alerts)",
    );
    const dataDir = resolve(env.DATA_DIR ?? "./data");
    for (const program of ["collector", "builder"] as const) {
      const path = alertFilePath(dataDir, program);
      const file = readAlertFile(path);
      if (file === undefined || file === "damaged") {
        print(`${program}: ${file === "damaged" ? "state file damaged" : "no alerts judged yet"} (${path})`);
        continue;
      }
      const open = file.open.filter((a) => a.own);
      print(`${program}: ${open.length === 0 ? "nothing open" : `${open.length} open`}`);
      for (const a of open)
        print(`  ${a.condition} (${a.severity}) since ${new Date(a.openedMs).toISOString()}: ${a.title}`);
    }
    return 0;
  }
  if (configured.length === 0) {
    print(
      "No channel to test: set NTFY_URL (an ntfy topic URL) and/or ALERT_WEBHOOK_URL (README, Getting alerts)",
    );
    return 1;
  }
  const results = await notifier.deliver(testNotice("npm run alerts -- --test", (io.now ?? Date.now)()));
  for (const r of results)
    print(`${notifier.describe(r.channel)}: ${r.ok ? `delivered (${r.detail})` : `FAILED: ${r.detail}`}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

if (import.meta.main) runCommand(() => alertsCommand(process.argv.slice(2)), USAGE);
