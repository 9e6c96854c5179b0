/**
 * `npm run simulate -- serve`: a simulated Shelly Pro 3EM and Viessmann cloud on loopback, both
 * driven by one live model, and on request a second meter for the backup heater (a Pro EM's channel 1
 * or a Plus 1PM). `startSimulator()` is the programmatic entry (the demo uses it).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseCommandLine } from "../../core/src/command-line.ts";
import { Faults, type FaultSettings } from "./faults.ts";
import { DEFAULT_TZ } from "./history.ts";
import { BACKUP_METER_CHANNELS, type BackupMeterKind } from "./ids.ts";
import { LiveModel } from "./live.ts";
import type { MeterProfile } from "./meter.ts";
import { startShellyServer } from "./shelly-server.ts";
import { DEFAULT_CLIENT_ID, startViessmannServer } from "./viessmann-server.ts";

export interface SimulatorOptions {
  /** Model seed (default 1). */
  seed?: number;
  /** Time acceleration: simulated seconds per real second (default 1). */
  speed?: number;
  /** Device time zone (default Europe/Berlin). */
  tz?: string;
  /** Meter wiring (default triphase). */
  profile?: MeterProfile;
  /** Shelly password; when set the meter asks for SHA-256 digest auth (user `admin`). */
  shellyPassword?: string;
  /** Ports on 127.0.0.1 (default 0 = any free port). */
  shellyPort?: number;
  /**
   * A meter for the backup heater (role `backup`): a Pro EM metering it on channel 1, or a Plus 1PM.
   * Default none. It has the Pro 3EM's password, if any.
   */
  backupMeter?: BackupMeterKind;
  backupPort?: number;
  viessmannPort?: number;
  /** OAuth client id accepted by the simulated IAM (default `simulator-client`). */
  clientId?: string;
  /** Viessmann API calls per UTC day before 429 (default 1450). */
  dailyLimit?: number;
  /** Simulated start instant, UTC ms (default now). */
  startMs?: number;
  /**
   * Local days simulated before the start day (default 8). Pass the `days` of a history written
   * with the same seed and zone and ending yesterday: the live counters then continue it exactly.
   */
  warmupDays?: number;
  /** Initial fault switches. */
  faults?: Partial<FaultSettings>;
  /** Real clock, ms (tests inject one). */
  now?: () => number;
}

export interface Simulator {
  shellyUrl: string;
  /** The backup heater's meter, with `backupMeter`. */
  backupUrl: string | undefined;
  viessmannApiUrl: string;
  viessmannAuthUrl: string;
  /**
   * Environment for the collector (SHELLY_URL, VIESSMANN_CLIENT_ID, VIESSMANN_API_URL, …); with a
   * backup meter SHELLY_METERS (`heatpump=<url>,backup=<url>#<channel>`) instead of SHELLY_URL.
   */
  env: Record<string, string>;
  /** Fault switches (also reachable at `POST {viessmannApiUrl}/_sim/faults`). */
  faults: Faults;
  live: LiveModel;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${p}`);
    });
  });
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`Expected \`speed\` to be a positive number, got ${speed}`);
  const tz = opts.tz ?? DEFAULT_TZ;
  const live = new LiveModel({
    seed: opts.seed ?? 1,
    tz,
    profile: opts.profile ?? "triphase",
    speed,
    ...(opts.startMs !== undefined ? { startMs: opts.startMs } : {}),
    ...(opts.warmupDays !== undefined ? { warmupDays: opts.warmupDays } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const faults = new Faults(opts.faults);
  // The model follows the short-cycling switch from the next step on.
  faults.onChange = (f) => (live.model.shortCycling = f.shortCycling);
  live.model.shortCycling = faults.shortCycling;
  const clientId = opts.clientId ?? DEFAULT_CLIENT_ID;
  let viessmannUrl = "";
  const shelly = startShellyServer({
    live,
    faults,
    ...(opts.shellyPassword ? { password: opts.shellyPassword } : {}),
  });
  const viessmann = startViessmannServer({
    live,
    faults,
    clientId,
    ...(opts.dailyLimit !== undefined ? { dailyLimit: opts.dailyLimit } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    baseUrl: () => viessmannUrl,
  });
  const backup = opts.backupMeter
    ? startShellyServer({
        live,
        faults,
        backup: opts.backupMeter,
        ...(opts.shellyPassword ? { password: opts.shellyPassword } : {}),
      })
    : undefined;
  const shellyUrl = await listen(shelly, opts.shellyPort ?? 0);
  const backupUrl = backup ? await listen(backup, opts.backupPort ?? 0) : undefined;
  viessmannUrl = await listen(viessmann, opts.viessmannPort ?? 0);
  // Keep the model moving between requests so a fast-forwarded day never waits for a long catch-up.
  const timer = setInterval(() => live.sync(), 1000);
  timer.unref();
  const env: Record<string, string> = {
    ...(backupUrl && opts.backupMeter
      ? { SHELLY_METERS: metersEnv(shellyUrl, backupUrl, opts.backupMeter) }
      : { SHELLY_URL: shellyUrl }),
    VIESSMANN_CLIENT_ID: clientId,
    VIESSMANN_API_URL: viessmannUrl,
    VIESSMANN_AUTH_URL: viessmannUrl,
  };
  if (opts.shellyPassword) env.SHELLY_PASSWORD = opts.shellyPassword;
  return {
    shellyUrl,
    backupUrl,
    viessmannApiUrl: viessmannUrl,
    viessmannAuthUrl: viessmannUrl,
    env,
    faults,
    live,
    close: async () => {
      clearInterval(timer);
      await Promise.all([close(shelly), close(viessmann), ...(backup ? [close(backup)] : [])]);
    },
  };
}

/** SHELLY_METERS for the heat pump's Pro 3EM and the backup meter at their URLs (or host names). */
export function metersEnv(heatpumpUrl: string, backupUrl: string, kind: BackupMeterKind): string {
  return `heatpump=${heatpumpUrl},backup=${backupUrl}#${BACKUP_METER_CHANNELS[kind]}`;
}

/** `--backup-meter` as given: `proem` or `1pm`. */
export function backupMeterOption(raw: string | undefined): BackupMeterKind | undefined {
  if (raw === undefined) return undefined;
  if (raw === "proem") return "proem";
  if (raw === "1pm" || raw === "plus1pm") return "plus1pm";
  throw new RangeError(`--backup-meter must be proem or 1pm, got ${JSON.stringify(raw)}`);
}

/** CLI: `serve [--seed S] [--speed X] [--tz ZONE] [--monophase] [--shelly-password P] …` */
export async function serve(args: string[]): Promise<void> {
  const { values } = parseCommandLine(args, {
    seed: { type: "string" },
    speed: { type: "string" },
    tz: { type: "string" },
    monophase: { type: "boolean" },
    "shelly-password": { type: "string" },
    "shelly-port": { type: "string" },
    "backup-meter": { type: "string" },
    "backup-port": { type: "string" },
    "viessmann-port": { type: "string" },
    "client-id": { type: "string" },
    "daily-limit": { type: "string" },
    offline: { type: "boolean" },
    "fail-rate": { type: "string" },
    "latency-ms": { type: "string" },
  });
  if (values.help) {
    process.stdout.write("see npm run simulate -- --help\n");
    return;
  }
  const num = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new RangeError(`--${name} must be a number, got ${JSON.stringify(raw)}`);
    return n;
  };
  const sim = await startSimulator({
    seed: num("seed", values.seed, 1),
    speed: num("speed", values.speed, 1),
    tz: values.tz ?? DEFAULT_TZ,
    profile: values.monophase ? "monophase" : "triphase",
    ...(values["shelly-password"] ? { shellyPassword: values["shelly-password"] } : {}),
    shellyPort: num("shelly-port", values["shelly-port"], 0),
    backupMeter: backupMeterOption(values["backup-meter"]),
    backupPort: num("backup-port", values["backup-port"], 0),
    viessmannPort: num("viessmann-port", values["viessmann-port"], 0),
    ...(values["client-id"] ? { clientId: values["client-id"] } : {}),
    ...(values["daily-limit"] ? { dailyLimit: num("daily-limit", values["daily-limit"], 1450) } : {}),
    faults: {
      deviceOffline: values.offline ?? false,
      failRate: num("fail-rate", values["fail-rate"], 0),
      latencyMs: num("latency-ms", values["latency-ms"], 0),
    },
  });
  const out = process.stdout;
  out.write(`Simulated Shelly Pro 3EM (${sim.live.profile}): ${sim.shellyUrl}\n`);
  if (sim.backupUrl)
    out.write(`Simulated backup heater meter (${values["backup-meter"]}):  ${sim.backupUrl}\n`);
  out.write(`Simulated Viessmann API and login:  ${sim.viessmannApiUrl}\n`);
  out.write(`Time runs ${sim.live.speed}x; faults: GET/POST ${sim.viessmannApiUrl}/_sim/faults\n\n`);
  out.write("Environment for the collector (then `npm run login` and `npm run collect`):\n");
  for (const [k, v] of Object.entries(sim.env))
    out.write(`export ${k}=${k === "SHELLY_PASSWORD" ? "<the password you set>" : v}\n`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
