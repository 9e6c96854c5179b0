/**
 * One heat pump in one house, stepped in fixed increments (10 s). Both the history writer and the
 * live servers drive this model, so the Shelly and the Viessmann side always tell the same story.
 *
 * Per step: `update(t)` settles the state at instant t (weather, control decisions, rollovers) and
 * `integrate(dtS)` accumulates energies over [t, t + dt) at the powers decided at t. Readings taken
 * between the two describe instant t with counters covering everything before it.
 */
import { DeviceCounters } from "./device-counters.ts";
import {
  COLD_WATER_C,
  coolingLoadW,
  DEFAULT_HOUSE,
  inCoolingWeek,
  roomC,
  TANK_LOSS_W_PER_K,
  TANK_TARGET_C,
  TANK_WH_PER_K,
  curveFlowC,
  dhwWanted,
  drawW,
  heatDemandW,
  type HouseParams,
} from "./house.ts";
import {
  DEFICIT_BAND_WH,
  DEFROST_ELEC_W,
  DEFROST_HEAT_W,
  DEFROST_MS,
  DHW_OUTPUT_W,
  MIN_OFF_MS,
  MIN_OUTPUT_W,
  MIN_RUN_MS,
  PHASE_SPLIT,
  COOLING_FLOW_C,
  IMMERSION_W,
  MAX_COOLING_W,
  MIN_COOLING_W,
  auxW,
  compressorSpeedRps,
  cop,
  eer,
  icingPerS,
  maxOutputW,
  rodW,
} from "./heatpump.ts";
import { outsideC } from "./weather.ts";
import { createOffsetCache, dayOf } from "../../core/src/time.ts";

type Mode = "off" | "heating" | "dhw" | "cooling";

interface ModelOptions {
  seed: number;
  /** Device time zone (IANA), default Europe/Berlin: day counters roll over at its midnight. */
  tz?: string;
  /** First instant, UTC ms. */
  startMs: number;
  house?: Partial<HouseParams>;
  /** Outside temperature, °C, at an instant (UTC ms); default the seeded weather (weather.ts). Tests set it. */
  outside?: (tMs: number) => number;
}

/** Smoothing of the outside temperature for the heating limit (time constant, s). */
const SMOOTH_S = 24 * 3600;
/** Thermal time constants of the water in the pipes, s. */
const TAU_RUN_S = 180;
const TAU_IDLE_S = 900;
/** Vendor estimate: the unit's own electricity figure counts the compressor only, and reads a bit low. */
const VENDOR_ELEC_FACTOR = 0.97;
/** Lifetime totals before the simulation starts (an installation two seasons old). */
const BASE_HEAT_WH = 21_500_000;
const BASE_ELEC_WH = 5_600_000;

/** Legionella cycle: Sundays from 14:00 local the immersion heater takes the cylinder to 60 °C (at most 3 h). */
export const LEGIONELLA_C = 60;
const LEGIONELLA_HOUR = 14;
const LEGIONELLA_MAX_MS = 3 * 3_600_000;

/** Run and pause of an injected short-cycling fault, ms: a start every 10 minutes. */
export const SHORT_RUN_MS = 4 * 60_000;
export const SHORT_PAUSE_MS = 6 * 60_000;

export class Model {
  readonly seed: number;
  readonly tz: string;
  readonly house: HouseParams;
  readonly counters: DeviceCounters;
  private readonly offset: (tMs: number) => number;
  private readonly weather: (tMs: number) => number;

  /** Instant of the current state, UTC ms. */
  t: number;
  outsideC: number;
  smoothOutsideC: number;
  heatingEnabled = false;
  demandW = 0;
  curveC = 30;
  /** Space-heating deficit, Wh: positive means the house wants heat. */
  deficitWh = 0;
  /**
   * The cooling week (house.ts inCoolingWeek): circuit 0's program is normalCooling, space heating is
   * off, and the compressor cools when the house has gathered heat (`coolingDeficitWh`).
   */
  coolingWeek = false;
  coolingLoadW = 0;
  /** Heat gathered above the cooling set point, Wh: positive means the house wants cooling. */
  coolingDeficitWh = 0;

  mode: Mode = "off";
  compressorOn = false;
  switchedMs: number;
  runStartMs = 0;
  ice = 0;
  defrostUntilMs = 0;
  defrosting = false;
  tankC = 48;
  flowC = 25;
  returnC = 25;
  flowLph = 0;
  /** Heat the compressor delivers to the water (negative while defrosting and cooling), W. */
  heatW = 0;
  /** The heating rod in the flow, W (heatpump.ts rodW), and the immersion heater in the cylinder, W. */
  rodW = 0;
  immersionW = 0;
  /** The weekly legionella cycle: running, until when at the latest, and the local day it last ran. */
  legionella = false;
  legionellaEndMs = 0;
  legionellaDay = -1;
  /** Compressor (inverter) electrical power, W. */
  compressorW = 0;
  /** Everything the meter sees, W. */
  totalW = 12;
  auxW = 12;
  drawW = 0;
  /** Local hour (0..24, fractional) and local day number (days since 1970 in local time). */
  localHour = 0;
  localDay = 0;

  /**
   * A fault injected by the simulator (faults.ts `shortCycling`): the compressor runs SHORT_RUN_MS
   * and pauses SHORT_PAUSE_MS, whatever the house needs, as a unit with a faulty sensor or far too
   * little water in its circuit would.
   */
  shortCycling = false;
  compressorStarts = 1873;
  compressorSeconds = 4_120 * 3600;
  /** Shelly counters, Wh: total and per phase (triphase wiring, see meter.ts). */
  energyWh = 3_412_000;
  phaseEnergyWh: [number, number, number] = [1_190_000, 1_111_000, 1_111_000];
  energyRetWh = 1.87;
  /**
   * The backup heater (a heating rod in the flow, or the immersion heater of the hot-water cylinder)
   * on its own meter (role `backup`): power now (W) and that meter's energy counter (Wh).
   */
  backupW = 0;
  backupEnergyWh = 52_000;
  /** The device's own statistics of its heating rod (heating.heatingRod.statistics). */
  rodStarts = 214;
  rodSeconds = 21 * 3600;
  /** Lifetime heat and vendor electricity, Wh (for spf_total). */
  lifeHeatWh = BASE_HEAT_WH;
  lifeElecWh = BASE_ELEC_WH;

  constructor(opts: ModelOptions) {
    this.seed = opts.seed | 0;
    this.tz = opts.tz ?? "Europe/Berlin";
    this.house = { ...DEFAULT_HOUSE, ...opts.house };
    this.offset = createOffsetCache(this.tz);
    const seed = this.seed;
    this.weather = opts.outside ?? ((tMs) => outsideC(seed, tMs));
    this.t = opts.startMs;
    this.switchedMs = opts.startMs - MIN_OFF_MS;
    this.counters = new DeviceCounters(this.tz, dayOf(this.tz, opts.startMs));
    // Start from the day's mean so the heating limit is right from the first step.
    let mean = 0;
    for (let h = 0; h < 24; h++) mean += this.weather(opts.startMs - h * 3_600_000) / 24;
    this.smoothOutsideC = mean;
    this.outsideC = this.weather(opts.startMs);
    this.flowC = this.returnC = curveFlowC(this.house, this.outsideC) - 4;
    this.update(opts.startMs, 0);
  }

  get runningMs(): number {
    return this.compressorOn ? this.t - this.runStartMs : 0;
  }

  /** Compressor speed, rev/s (0 when it stands). */
  get compressorSpeedRps(): number {
    return compressorSpeedRps(this.compressorOn, this.compressorW);
  }

  private start(): void {
    this.compressorOn = true;
    this.compressorStarts++;
    this.runStartMs = this.t;
    this.switchedMs = this.t;
  }

  private stop(): void {
    this.compressorOn = false;
    this.mode = "off";
    this.switchedMs = this.t;
    this.defrosting = false;
  }

  /** Settles the state at instant `tMs` (decisions, rollovers, instantaneous powers). */
  update(tMs: number, dtS: number): void {
    this.t = tMs;
    this.counters.roll(tMs);
    const local = tMs + this.offset(tMs);
    const day = Math.floor(local / 86_400_000);
    if (day !== this.localDay) this.coolingWeek = inCoolingWeek(day);
    this.localDay = day;
    this.localHour = (local - this.localDay * 86_400_000) / 3_600_000;

    const out = this.weather(tMs);
    this.outsideC = out;
    this.smoothOutsideC += ((out - this.smoothOutsideC) * dtS) / SMOOTH_S;
    this.heatingEnabled = !this.coolingWeek && this.smoothOutsideC < this.house.heatingLimitC;
    this.demandW = this.heatingEnabled ? heatDemandW(this.house, out) : 0;
    if (!this.heatingEnabled) this.deficitWh = 0;
    this.coolingLoadW = this.coolingWeek ? coolingLoadW(this.house, out) : 0;
    if (!this.coolingWeek) this.coolingDeficitWh = 0;
    this.curveC = curveFlowC(this.house, out);
    this.drawW = drawW(this.seed, this.localDay, this.localHour);

    this.control(tMs);
    this.legionellaControl();
    this.powers(dtS);
  }

  /** The room sensor, °C (house.ts roomC), from the state at the current instant. */
  get roomC(): number {
    return roomC(
      this.house,
      this.localHour,
      this.outsideC,
      this.smoothOutsideC,
      this.deficitWh,
      this.coolingWeek ? this.coolingDeficitWh : NaN,
    );
  }

  /** Sundays at 14:00 local (once that day): the immersion heater takes the cylinder to LEGIONELLA_C. */
  private legionellaControl(): void {
    if (this.legionella) {
      if (this.tankC >= LEGIONELLA_C || this.t >= this.legionellaEndMs) this.legionella = false;
    } else if (
      (this.localDay + 4) % 7 === 0 && // day 0 (1 Jan 1970) was a Thursday: 0 = Sunday
      this.localHour >= LEGIONELLA_HOUR &&
      this.localHour < LEGIONELLA_HOUR + 1 &&
      this.legionellaDay !== this.localDay &&
      this.tankC < LEGIONELLA_C
    ) {
      this.legionella = true;
      this.legionellaDay = this.localDay;
      this.legionellaEndMs = this.t + LEGIONELLA_MAX_MS;
    }
    this.immersionW = this.legionella ? IMMERSION_W : 0;
  }

  private control(tMs: number): void {
    const sinceSwitch = tMs - this.switchedMs;
    if (this.shortCycling) {
      if (this.compressorOn && this.runningMs >= SHORT_RUN_MS) this.stop();
      else if (!this.compressorOn && sinceSwitch >= SHORT_PAUSE_MS) {
        this.start();
        this.mode = "heating";
      }
      return;
    }
    if (this.defrosting && tMs >= this.defrostUntilMs) this.defrosting = false;
    if (this.mode === "dhw") {
      if (this.tankC >= TANK_TARGET_C) {
        // Back to space heating without a new start when the house needs heat.
        if (this.heatingEnabled && this.deficitWh > 0) this.mode = "heating";
        else if (this.coolingWeek && this.coolingDeficitWh > 0) this.mode = "cooling";
        else this.stop();
      }
    } else if (dhwWanted(this.tankC, this.localHour) && (this.compressorOn || sinceSwitch >= MIN_OFF_MS)) {
      if (!this.compressorOn) this.start();
      this.mode = "dhw";
    } else if (this.mode === "heating") {
      const stopWanted = !this.heatingEnabled || this.deficitWh < -DEFICIT_BAND_WH;
      if (stopWanted && this.runningMs >= MIN_RUN_MS && !this.defrosting) this.stop();
    } else if (this.mode === "cooling") {
      const stopWanted = !this.coolingWeek || this.coolingDeficitWh < -DEFICIT_BAND_WH;
      if (stopWanted && this.runningMs >= MIN_RUN_MS) this.stop();
    } else if (this.heatingEnabled && this.deficitWh > DEFICIT_BAND_WH && sinceSwitch >= MIN_OFF_MS) {
      this.start();
      this.mode = "heating";
    } else if (this.coolingWeek && this.coolingDeficitWh > DEFICIT_BAND_WH && sinceSwitch >= MIN_OFF_MS) {
      this.start();
      this.mode = "cooling";
    }
  }

  private powers(dtS: number): void {
    const out = this.outsideC;
    const rodWas = this.rodW;
    this.rodW = 0;
    if (!this.compressorOn) {
      this.heatW = 0;
      this.compressorW = 0;
      this.flowLph = 0;
      // Still water drifts towards the plant room / emitter temperature.
      const idle = this.heatingEnabled ? this.curveC - 4 : 23;
      const k = dtS / TAU_IDLE_S;
      this.flowC += (idle - this.flowC) * k;
      this.returnC += (idle - this.returnC) * k;
    } else {
      if (!this.defrosting && out < 5 && this.mode !== "cooling") {
        this.ice += icingPerS(out) * dtS;
        if (this.ice >= 1) {
          this.ice = 0;
          this.defrosting = true;
          this.defrostUntilMs = this.t + DEFROST_MS;
        }
      }
      const startup = this.runningMs < 5 * 60_000;
      if (this.defrosting) {
        this.flowLph = 1200;
        this.heatW = DEFROST_HEAT_W;
        this.compressorW = DEFROST_ELEC_W;
        this.returnC += ((this.curveC - 4 - this.returnC) * dtS) / TAU_RUN_S;
        this.flowC = this.returnC + this.heatW / (1.163 * this.flowLph);
      } else if (this.mode === "cooling") {
        // q: heat taken out of the water, W; the flow comes back warmer than it left.
        let q = Math.min(
          MAX_COOLING_W,
          Math.max(MIN_COOLING_W, this.coolingLoadW + this.coolingDeficitWh * 2),
        );
        this.flowLph = Math.min(1300, Math.max(500, q / (1.163 * 3)));
        const e = eer(this.flowC, out) * (startup ? 0.75 : 1);
        if (startup) q *= Math.min(1, 0.4 + (0.6 * this.runningMs) / 180_000);
        this.flowC += ((COOLING_FLOW_C - this.flowC) * dtS) / TAU_RUN_S;
        this.returnC = this.flowC + q / (1.163 * this.flowLph);
        this.heatW = -q;
        this.compressorW = q / e;
      } else {
        const cap = maxOutputW(out);
        // The rod helps space heating below the bivalence point; the compressor covers the rest.
        const rod = rodW(out, this.mode === "heating", false, this.deficitWh > 0);
        let q: number;
        let target: number;
        if (this.mode === "dhw") {
          q = Math.min(cap, DHW_OUTPUT_W);
          target = this.tankC + 7;
          this.flowLph = 1400;
        } else {
          q = Math.min(cap, Math.max(MIN_OUTPUT_W, this.demandW + this.deficitWh * 2 - rod));
          target = this.curveC + Math.min(4, Math.max(-2, (q + rod - this.demandW) / 1000));
          this.flowLph = Math.min(1300, Math.max(500, (q + rod) / (1.163 * 5)));
        }
        if (startup) q *= Math.min(1, 0.4 + (0.6 * this.runningMs) / 180_000);
        this.flowC += ((target - this.flowC) * dtS) / TAU_RUN_S;
        // The flow sensor sits after the rod: flow x spread carries the rod's heat too.
        this.returnC = this.flowC - (q + rod) / (1.163 * this.flowLph);
        this.heatW = q;
        this.rodW = rod;
        this.compressorW = q / cop(this.flowC, out, startup);
      }
    }
    if (this.rodW > 0 && rodWas === 0) this.rodStarts++;
    this.backupW = this.rodW + this.immersionW;
    this.auxW = auxW(this.compressorOn, this.flowLph, out);
    this.totalW = this.compressorW + this.auxW;
  }

  /** Accumulates energies over [t, t + dtS) at the powers settled by `update`. */
  integrate(dtS: number): void {
    const h = dtS / 3600;
    const heatWh = this.heatW * h;
    const elecWh = this.compressorW * h * VENDOR_ELEC_FACTOR;
    this.energyWh += this.totalW * h;
    const compWh = this.compressorW * h;
    this.phaseEnergyWh[0] += compWh * PHASE_SPLIT[0] + this.auxW * h;
    this.phaseEnergyWh[1] += compWh * PHASE_SPLIT[1];
    this.phaseEnergyWh[2] += compWh * PHASE_SPLIT[2];
    if (this.compressorOn) this.compressorSeconds += dtS;
    const today = this.counters.today;
    // The backup meter counts the rod and the immersion heater; the device counts its rod apart.
    const rodWh = this.rodW * h;
    this.backupEnergyWh += this.backupW * h;
    if (this.rodW > 0) {
      today.rodHeatingWh += rodWh;
      this.rodSeconds += dtS;
    }
    this.tankC += (this.immersionW * h) / TANK_WH_PER_K;
    // The device counts produced heat only; defrost heat is not subtracted (as on real units).
    if (this.mode === "dhw") {
      if (heatWh > 0) today.heatDhwWh += heatWh;
      today.elecDhwWh += elecWh;
      this.tankC += heatWh / TANK_WH_PER_K;
    } else if (this.mode === "cooling") {
      // Cooling is no space heating: its own counters, and not in the lifetime (heating) SPF.
      today.coolingWh -= heatWh;
      today.elecCoolingWh += elecWh;
    } else {
      if (heatWh > 0) today.heatHeatingWh += heatWh;
      today.elecHeatingWh += elecWh;
      if (this.heatingEnabled) this.deficitWh += this.demandW * h - heatWh - rodWh;
      // A house that cannot be kept warm cools a little; the deficit does not grow without bound.
      if (this.deficitWh > 3000) this.deficitWh = 3000;
    }
    if (this.coolingWeek) {
      this.coolingDeficitWh += this.coolingLoadW * h + (this.mode === "cooling" ? heatWh : 0);
      if (this.coolingDeficitWh > 3000) this.coolingDeficitWh = 3000;
    }
    if (this.mode !== "cooling") {
      if (heatWh > 0) this.lifeHeatWh += heatWh;
      this.lifeElecWh += elecWh;
    }
    const lossW = TANK_LOSS_W_PER_K * (this.tankC - 20);
    this.tankC -= ((this.drawW + lossW) * h) / TANK_WH_PER_K;
    if (this.tankC < COLD_WATER_C) this.tankC = COLD_WATER_C;
  }

  /** Device seasonal performance factor (lifetime heat / lifetime electricity estimate). */
  get spf(): number {
    return this.lifeHeatWh / this.lifeElecWh;
  }

  /** Advances in `stepS` steps from the current instant up to (not including) `toMs`. */
  advanceTo(toMs: number, stepS = 10): void {
    const stepMs = stepS * 1000;
    while (this.t + stepMs <= toMs) {
      this.integrate(stepS);
      this.update(this.t + stepMs, stepS);
    }
  }
}
