/**
 * Simulated history straight from the model (no HTTP): `electric` every 10 s from two meters (the
 * heat pump's, role `heatpump`, and the backup heater's, role `backup`, unless left out), `heatpump` and the Viessmann
 * `collector` point every 5 min, in the project's schema, as line protocol; every point carries the
 * `home` tag.
 */
import { once } from "node:events";
import { open, rename, unlink } from "node:fs/promises";
import { finished } from "node:stream/promises";
import {
  MEASUREMENT,
  TAG,
  type CollectorField,
  type ElectricField,
  type HeatpumpField,
  type MeterRole,
} from "../../core/src/data/catalogue.ts";
import { lineEncoder } from "../../core/src/data/line-encoder.ts";
import { BACKUP_METER_IDS, HEATPUMP_DEVICE, SHELLY_ID } from "./ids.ts";
import { newReading, readMeter, type MeterProfile } from "./meter.ts";
import { Model } from "./model.ts";
import { createRng } from "./random.ts";
import { addDays, dayStartMs, parseDay } from "../../core/src/time.ts";

export interface HistoryOptions {
  /** Number of whole local days to generate. */
  days: number;
  /** Last day generated (`YYYY-MM-DD`, local to the model's time zone), inclusive. */
  end: string;
  seed: number;
  /** Output file (line protocol), written atomically (temp file + rename). */
  out: string;
  /** Device time zone (IANA): days and day counters follow it. Default: defaultZone(). */
  tz?: string;
  /** Meter wiring, default triphase. */
  profile?: MeterProfile;
  /** `device` tag of the meter, default `shellypro3em-sim000000`. */
  shellyDevice?: string;
  /** `device` tag of the heat pump, default `7633100000000001-0` (what the collector writes for the live simulator). */
  heatpumpDevice?: string;
  /** `device` tag of the backup heater's meter (role `backup`), default `shellyproem50-sim000001` (a Pro EM). */
  backupDevice?: string;
  /** `home` tag of every point (HOME_ID), default `home`. */
  home?: string;
  /**
   * Whether the backup heater's meter is written (default true). Without it the heater still heats
   * (its heat in flow x spread), unmetered: the heat pump's meter alone, as on most installations.
   */
  backupMeter?: boolean;
}

interface HistoryResult {
  lines: number;
  bytes: number;
  /** First and one-past-last instant covered, UTC ms. */
  startMs: number;
  endMs: number;
}

/** The live simulator's default zone (`npm run simulate -- serve`); history follows defaultZone(). */
export const DEFAULT_TZ = "Europe/Berlin";

const isZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * The zone of simulated history when none is given: the rule of every command (README,
 * "Configuration"), so history and the reports of it agree on where a day starts. REPORT_TZ, else
 * the machine's zone (TZ, which Node follows, else the system's), else UTC.
 */
export function defaultZone(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const candidates = [
    env.REPORT_TZ,
    env.TZ?.replace(/^:/, ""),
    Intl.DateTimeFormat().resolvedOptions().timeZone,
  ];
  return candidates.find((tz): tz is string => !!tz && isZone(tz)) ?? "UTC";
}
const DEFAULT_SHELLY_DEVICE = SHELLY_ID;
const DEFAULT_HEATPUMP_DEVICE = HEATPUMP_DEVICE;
/** The backup heater's meter: the simulated Pro EM (its clamp takes the rod and the immersion heater together). */
const DEFAULT_BACKUP_DEVICE = BACKUP_METER_IDS.proem;
const DEFAULT_HOME = "home";
/** Collector default budget (VIESSMANN_DAILY_BUDGET), reported on the `collector` point. */
const BUDGET = 1400;
const ELECTRIC_STEP_MS = 10_000;
const HEATPUMP_STEP_MS = 300_000;
/** Chunk size handed to the file stream, characters. */
const CHUNK = 1 << 18;

const ELECTRIC = [
  "power_w",
  "power_a_w",
  "power_b_w",
  "power_c_w",
  "voltage_a_v",
  "voltage_b_v",
  "voltage_c_v",
  "current_a_a",
  "current_b_a",
  "current_c_a",
  "energy_wh",
  "energy_ret_wh",
] as const satisfies readonly ElectricField[];

const HEATPUMP = [
  "outside_c",
  "flow_c",
  "return_c",
  "dhw_c",
  "flow_lph",
  "compressor_on",
  "compressor_starts",
  "compressor_hours",
  "inverter_w",
  "heat_heating_day_kwh",
  "heat_dhw_day_kwh",
  "elec_heating_day_kwh",
  "elec_dhw_day_kwh",
  "dhw_active",
  "defrosting",
  "spf_total",
  "curve_slope",
  "curve_shift",
  "room_c",
  "cooling_active",
  "compressor_speed_rps",
  "heating_rod_starts",
  "heating_rod_hours",
  "heating_rod_heating_day_kwh",
  "heating_rod_dhw_day_kwh",
] as const satisfies readonly HeatpumpField[];

/** The backup meter's fields: what a one-channel meter of a resistive load tells. */
const BACKUP = ["power_w", "energy_wh"] as const satisfies readonly ElectricField[];

const COLLECTOR = ["calls_today", "budget"] as const satisfies readonly CollectorField[];

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
/** Device day counters are reported in kWh with one decimal. */
const kwh1 = (wh: number) => Math.round(wh / 100) / 10;

/** Checks options and returns the covered range; throws RangeError naming the option. */
function historyRange(opts: Pick<HistoryOptions, "days" | "end" | "tz">): {
  startMs: number;
  endMs: number;
} {
  if (!Number.isInteger(opts.days) || opts.days < 1) {
    throw new RangeError(`Expected \`days\` to be a whole number of days >= 1, got ${opts.days}`);
  }
  parseDay(opts.end);
  const tz = opts.tz ?? defaultZone();
  return {
    startMs: dayStartMs(tz, addDays(opts.end, -(opts.days - 1))),
    endMs: dayStartMs(tz, addDays(opts.end, 1)),
  };
}

/** Generates the history as chunks of complete lines (each ending in "\n"); counts lines into `stats`. */
export function* historyChunks(
  opts: Omit<HistoryOptions, "out">,
  stats: { lines: number } = { lines: 0 },
): Generator<string, void, undefined> {
  const { startMs, endMs } = historyRange(opts);
  const tz = opts.tz ?? defaultZone();
  const profile = opts.profile ?? "triphase";
  const model = new Model({ seed: opts.seed, tz, startMs });
  const rng = createRng(opts.seed);
  // Its own noise, so the heat pump meter's readings do not depend on the backup meter's.
  const backupRng = createRng(opts.seed ^ 0xbac0);
  const reading = newReading();
  const home = opts.home ?? DEFAULT_HOME;
  const electric = lineEncoder(
    MEASUREMENT.electric,
    {
      [TAG.device]: opts.shellyDevice ?? DEFAULT_SHELLY_DEVICE,
      [TAG.role]: "heatpump" satisfies MeterRole,
      [TAG.home]: home,
    },
    ELECTRIC,
  );
  const backup = lineEncoder(
    MEASUREMENT.electric,
    {
      [TAG.device]: opts.backupDevice ?? DEFAULT_BACKUP_DEVICE,
      [TAG.role]: "backup" satisfies MeterRole,
      [TAG.home]: home,
    },
    BACKUP,
  );
  const heatpump = lineEncoder(
    MEASUREMENT.heatpump,
    { [TAG.device]: opts.heatpumpDevice ?? DEFAULT_HEATPUMP_DEVICE, [TAG.home]: home },
    HEATPUMP,
  );
  const collector = lineEncoder(
    MEASUREMENT.collector,
    { [TAG.source]: "viessmann", [TAG.home]: home },
    COLLECTOR,
  );
  const withBackup = opts.backupMeter ?? true;
  const ev = new Array<number>(ELECTRIC.length).fill(0);
  const bv = new Array<number>(BACKUP.length).fill(0);
  const hv = new Array<number>(HEATPUMP.length).fill(0);
  const cv = [0, BUDGET];
  let callsDay = -1;
  let chunk = "";
  for (let t = startMs; t < endMs; t += ELECTRIC_STEP_MS) {
    if (t !== startMs) {
      model.integrate(ELECTRIC_STEP_MS / 1000);
      model.update(t, ELECTRIC_STEP_MS / 1000);
    }
    const r = readMeter(model, rng, profile, reading);
    ev[0] = r.powerW;
    ev[1] = r.phaseW[0];
    ev[2] = r.phaseW[1];
    ev[3] = r.phaseW[2];
    ev[4] = r.voltageV[0];
    ev[5] = r.voltageV[1];
    ev[6] = r.voltageV[2];
    ev[7] = r.currentA[0];
    ev[8] = r.currentA[1];
    ev[9] = r.currentA[2];
    ev[10] = r2(model.energyWh);
    ev[11] = r2(model.energyRetWh);
    chunk += electric(ev, t) + "\n";
    // A resistive load: the reading is the heater's power with 0.3 % gain noise, 0 when off.
    const bw = model.backupW;
    bv[0] = bw > 0 ? r1(bw * (1 + 0.003 * backupRng.gauss())) : 0;
    bv[1] = r2(model.backupEnergyWh);
    if (withBackup) {
      chunk += backup(bv, t) + "\n";
      stats.lines++;
    }
    stats.lines++;
    if ((t - startMs) % HEATPUMP_STEP_MS === 0) {
      const today = model.counters.today;
      hv[0] = r1(model.outsideC);
      hv[1] = r1(model.flowC);
      hv[2] = r1(model.returnC);
      hv[3] = r1(model.tankC);
      hv[4] = Math.round(model.flowLph);
      hv[5] = model.compressorOn ? 1 : 0;
      hv[6] = model.compressorStarts;
      hv[7] = Math.floor(model.compressorSeconds / 3600);
      hv[8] = Math.round(model.compressorW);
      hv[9] = kwh1(today.heatHeatingWh);
      hv[10] = kwh1(today.heatDhwWh);
      hv[11] = kwh1(today.elecHeatingWh);
      hv[12] = kwh1(today.elecDhwWh);
      hv[13] = model.mode === "dhw" ? 1 : 0;
      hv[14] = model.defrosting ? 1 : 0;
      hv[15] = r1(model.spf);
      hv[16] = model.house.curveSlope;
      hv[17] = model.house.curveShift;
      hv[18] = r1(model.roomC);
      hv[19] = model.coolingWeek ? 1 : 0;
      hv[20] = model.compressorSpeedRps;
      hv[21] = model.rodStarts;
      hv[22] = Math.floor(model.rodSeconds / 3600);
      hv[23] = kwh1(today.rodHeatingWh);
      // The legionella cycle's immersion heater is not the device's rod: its day counter for hot water stays 0.
      hv[24] = 0;
      chunk += heatpump(hv, t) + "\n";
      // The collector's own budget point: one features call per poll, counted per UTC day.
      const utcDay = Math.floor(t / 86_400_000);
      if (utcDay !== callsDay) {
        callsDay = utcDay;
        cv[0] = 0;
      }
      cv[0]!++;
      chunk += collector(cv, t) + "\n";
      stats.lines += 2;
    }
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Writes simulated history as line protocol to `opts.out` (atomically). */
export async function writeHistory(opts: HistoryOptions): Promise<HistoryResult> {
  const { startMs, endMs } = historyRange(opts);
  const tmp = `${opts.out}.tmp-${process.pid}`;
  // Open first, so a missing folder or a read-only disk fails before any work.
  const file = await open(tmp, "w");
  const stream = file.createWriteStream({ encoding: "utf8" });
  let failure: Error | undefined;
  stream.on("error", (e) => (failure = e));
  const stats = { lines: 0 };
  try {
    for (const chunk of historyChunks(opts, stats)) {
      if (failure) throw failure;
      // Backpressure: wait for the stream to drain before generating more.
      if (!stream.write(chunk)) await once(stream, "drain");
    }
    stream.end();
    await finished(stream);
    await rename(tmp, opts.out);
  } catch (err) {
    stream.destroy();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  return { lines: stats.lines, bytes: stream.bytesWritten, startMs, endMs };
}
