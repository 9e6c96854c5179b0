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
  DEFAULT_HOUSE,
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
  auxW,
  cop,
  icingPerS,
  maxOutputW,
} from "./heatpump.ts";
import { outsideC } from "./weather.ts";
import { createOffsetCache, dayOf } from "../../core/src/time.ts";

type Mode = "off" | "heating" | "dhw";

interface ModelOptions {
  seed: number;
  /** Device time zone (IANA), default Europe/Berlin: day counters roll over at its midnight. */
  tz?: string;
  /** First instant, UTC ms. */
  startMs: number;
  house?: Partial<HouseParams>;
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

/** Run and pause of an injected short-cycling fault, ms: a start every 10 minutes. */
export const SHORT_RUN_MS = 4 * 60_000;
export const SHORT_PAUSE_MS = 6 * 60_000;

export class Model {
  readonly seed: number;
  readonly tz: string;
  readonly house: HouseParams;
  readonly counters: DeviceCounters;
  private readonly offset: (tMs: number) => number;

  /** Instant of the current state, UTC ms. */
  t: number;
  outsideC: number;
  smoothOutsideC: number;
  heatingEnabled = false;
  demandW = 0;
  curveC = 30;
  /** Space-heating deficit, Wh: positive means the house wants heat. */
  deficitWh = 0;
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
  /** Heat delivered to the water (negative while defrosting), W. */
  heatW = 0;
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
  /** Lifetime heat and vendor electricity, Wh (for spf_total). */
  lifeHeatWh = BASE_HEAT_WH;
  lifeElecWh = BASE_ELEC_WH;

  constructor(opts: ModelOptions) {
    this.seed = opts.seed | 0;
    this.tz = opts.tz ?? "Europe/Berlin";
    this.house = { ...DEFAULT_HOUSE, ...opts.house };
    this.offset = createOffsetCache(this.tz);
    this.t = opts.startMs;
    this.switchedMs = opts.startMs - MIN_OFF_MS;
    this.counters = new DeviceCounters(this.tz, dayOf(this.tz, opts.startMs));
    // Start from the day's mean so the heating limit is right from the first step.
    let mean = 0;
    for (let h = 0; h < 24; h++) mean += outsideC(this.seed, opts.startMs - h * 3_600_000) / 24;
    this.smoothOutsideC = mean;
    this.outsideC = outsideC(this.seed, opts.startMs);
    this.flowC = this.returnC = curveFlowC(this.house, this.outsideC) - 4;
    this.update(opts.startMs, 0);
  }

  get runningMs(): number {
    return this.compressorOn ? this.t - this.runStartMs : 0;
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
    this.localDay = Math.floor(local / 86_400_000);
    this.localHour = (local - this.localDay * 86_400_000) / 3_600_000;

    const out = outsideC(this.seed, tMs);
    this.outsideC = out;
    this.smoothOutsideC += ((out - this.smoothOutsideC) * dtS) / SMOOTH_S;
    this.heatingEnabled = this.smoothOutsideC < this.house.heatingLimitC;
    this.demandW = this.heatingEnabled ? heatDemandW(this.house, out) : 0;
    if (!this.heatingEnabled) this.deficitWh = 0;
    this.curveC = curveFlowC(this.house, out);
    this.drawW = drawW(this.seed, this.localDay, this.localHour);

    this.control(tMs);
    this.powers(dtS);
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
        else this.stop();
      }
    } else if (dhwWanted(this.tankC, this.localHour) && (this.compressorOn || sinceSwitch >= MIN_OFF_MS)) {
      if (!this.compressorOn) this.start();
      this.mode = "dhw";
    } else if (this.mode === "heating") {
      const stopWanted = !this.heatingEnabled || this.deficitWh < -DEFICIT_BAND_WH;
      if (stopWanted && this.runningMs >= MIN_RUN_MS && !this.defrosting) this.stop();
    } else if (this.heatingEnabled && this.deficitWh > DEFICIT_BAND_WH && sinceSwitch >= MIN_OFF_MS) {
      this.start();
      this.mode = "heating";
    }
  }

  private powers(dtS: number): void {
    const out = this.outsideC;
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
      if (!this.defrosting && out < 5) {
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
      } else {
        const cap = maxOutputW(out);
        let q: number;
        let target: number;
        if (this.mode === "dhw") {
          q = Math.min(cap, DHW_OUTPUT_W);
          target = this.tankC + 7;
          this.flowLph = 1400;
        } else {
          q = Math.min(cap, Math.max(MIN_OUTPUT_W, this.demandW + this.deficitWh * 2));
          target = this.curveC + Math.min(4, Math.max(-2, (q - this.demandW) / 1000));
          this.flowLph = Math.min(1300, Math.max(500, q / (1.163 * 5)));
        }
        if (startup) q *= Math.min(1, 0.4 + (0.6 * this.runningMs) / 180_000);
        this.flowC += ((target - this.flowC) * dtS) / TAU_RUN_S;
        this.returnC = this.flowC - q / (1.163 * this.flowLph);
        this.heatW = q;
        this.compressorW = q / cop(this.flowC, out, startup);
      }
    }
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
    // The device counts produced heat only; defrost heat is not subtracted (as on real units).
    if (this.mode === "dhw") {
      if (heatWh > 0) today.heatDhwWh += heatWh;
      today.elecDhwWh += elecWh;
      this.tankC += heatWh / TANK_WH_PER_K;
    } else {
      if (heatWh > 0) today.heatHeatingWh += heatWh;
      today.elecHeatingWh += elecWh;
      if (this.heatingEnabled) this.deficitWh += this.demandW * h - heatWh;
      // A house that cannot be kept warm cools a little; the deficit does not grow without bound.
      if (this.deficitWh > 3000) this.deficitWh = 3000;
    }
    if (heatWh > 0) this.lifeHeatWh += heatWh;
    this.lifeElecWh += elecWh;
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
