/**
 * Cumulative counters read the way a meter reader would (README, "Reports: outliers").
 *
 * A reading is judged against the last accepted one (level L at time tL). It is consistent when it
 * lies between L - slack and L + maxRise * (t - tL) + slack: a counter neither runs backwards nor
 * rises faster than the installation can draw (MAX_POWER_W). A reading outside that band is:
 * - an outlier when one of the next LOOKAHEAD readings is consistent with L again (a glitch: the
 *   meter's `0`, a digit dropped in transit); it is left out and the next step is taken from L, so no
 *   energy is lost;
 * - a reset (a drop: device reset or replacement) or a level shift (a jump up) when the readings
 *   after it go on from its new value and none returns to L. A reset counts its value as increase
 *   (the counter restarted from 0), unless that value is more than the band allows since tL (a new
 *   meter with a total of its own): then the step counts 0. A level shift counts 0;
 * - undecided when no reading follows it yet: left out for now, but not counted as an outlier (the
 *   next reading decides).
 *
 * The result is the counter as one continuous, never falling series (`cum`): every consumer takes
 * plain differences, so the rules live here only.
 */
import type { HeatpumpField } from "../../../core/src/data/catalogue.ts";
import { AUX_ROLES, type ElecSamples, type Samples } from "../store/samples.ts";

interface CounterRule {
  /** Largest believable rise per ms (counter units). */
  maxRisePerMs: number;
  /** Tolerance around the band (counter units): resolution and rounding of the device. */
  slack: number;
}

/** How many following readings may show that a strange reading was a glitch. */
const LOOKAHEAD = 5;

interface JudgedCounter {
  /** Accepted increase since the first reading; NaN where the reading is missing or left out. */
  cum: number[];
  /** Indexes of the readings left out as outliers (not the undecided newest one). */
  outliers: number[];
}

export function judgeCounter(t: readonly number[], v: readonly number[], rule: CounterRule): JudgedCounter {
  const n = v.length;
  const cum = new Array<number>(n).fill(Number.NaN);
  const outliers: number[] = [];
  let level = Number.NaN;
  let levelT = Number.NaN;
  let total = 0;
  const fits = (x: number, base: number, baseT: number, at: number) =>
    x >= base - rule.slack && x <= base + rule.maxRisePerMs * (at - baseT) + rule.slack;
  const accept = (i: number, increase: number) => {
    total += increase;
    cum[i] = total;
    level = Math.max(level, v[i]!);
    levelT = t[i]!;
  };
  // One step past the end reads undefined: no band fits it, no reading follows, so it stays undecided.
  // Stryker disable next-line EqualityOperator: equivalent, see above
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    if (Number.isNaN(level)) {
      cum[i] = total;
      level = x;
      levelT = t[i]!;
      continue;
    }
    if (fits(x, level, levelT, t[i]!)) {
      accept(i, Math.max(0, x - level));
      continue;
    }
    // Outside the band: look at what follows.
    let next = -1;
    let back = false;
    for (let j = i + 1, seen = 0; j < n && seen < LOOKAHEAD; j++) {
      if (Number.isNaN(v[j]!)) continue;
      seen++;
      // Stryker disable next-line EqualityOperator: next is -1 or an index after i, never 0
      if (next < 0) next = j;
      if (fits(v[j]!, level, levelT, t[j]!)) {
        back = true;
        break;
      }
    }
    // Stryker disable next-line EqualityOperator: next is -1 or an index after i, never 0
    if (next < 0) continue; // undecided
    if (back || !fits(v[next]!, x, t[i]!, t[next]!)) {
      outliers.push(i);
      continue;
    }
    // The readings go on from the new value: a reset (drop) or a level shift (jump up).
    // Out of band above the level is above it by more than the band (counters are never negative), so
    // there `x <= band` alone decides.
    // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, see above
    const drop = x < level;
    const restarted = drop && x <= rule.maxRisePerMs * (t[i]! - levelT) + rule.slack;
    total += restarted ? x : 0;
    cum[i] = total;
    level = x;
    levelT = t[i]!;
  }
  return { cum, outliers };
}

/** The rules of every counter the reports read, from the installation's largest draw (W). */
export function counterRules(maxPowerW: number) {
  const perHourToMs = 1 / 3_600_000;
  // The heat pump's own day counters (kWh, 0.1 kWh steps): heat up to 10 x the electricity (COP 10).
  const deviceKwh: CounterRule = { maxRisePerMs: ((10 * maxPowerW) / 1000) * perHourToMs, slack: 0.1 };
  return {
    energyWh: { maxRisePerMs: maxPowerW * perHourToMs, slack: 1 } satisfies CounterRule,
    heatpump: {
      heat_heating_day_kwh: deviceKwh,
      heat_dhw_day_kwh: deviceKwh,
      elec_heating_day_kwh: deviceKwh,
      elec_dhw_day_kwh: deviceKwh,
      heating_rod_heating_day_kwh: deviceKwh,
      heating_rod_dhw_day_kwh: deviceKwh,
      // At most two starts a minute; hours rise at most an hour an hour.
      compressor_starts: { maxRisePerMs: 2 / 60_000, slack: 1 },
      compressor_hours: { maxRisePerMs: perHourToMs, slack: 1 },
    } satisfies Partial<Record<HeatpumpField, CounterRule>>,
  };
}

/**
 * The samples with every counter judged: counters replaced by their continuous series, power
 * readings above `maxPowerW` left out, and the times of all readings left out in `outliers`. The
 * other meters (Samples.meters: backup heater, pumps, house) are judged like the heat pump's, each on
 * its own readings and by the same MAX_POWER_W (so it must cover the largest of them, the house's
 * where a house meter is read).
 */
export function judgeSamples(s: Samples, maxPowerW: number): Samples {
  const rules = counterRules(maxPowerW);
  const out: number[] = [];
  const meters: Samples["meters"] = {};
  for (const role of AUX_ROLES) {
    const m = s.meters[role];
    if (m) meters[role] = judgeMeter(m, rules.energyWh, maxPowerW, out);
  }
  const f = { ...s.hp.f };
  for (const [name, rule] of Object.entries(rules.heatpump) as [HeatpumpField, CounterRule][]) {
    const judged = judgeCounter(s.hp.t, s.hp.f[name], rule);
    f[name] = judged.cum;
    for (const i of judged.outliers) out.push(s.hp.t[i]!);
  }
  const elec = judgeMeter(s.elec, rules.energyWh, maxPowerW, out);
  out.sort((a, b) => a - b);
  return { elec, hp: { t: s.hp.t, f }, meters, calls: s.calls, outliers: out };
}

/** One meter judged: its counters, and power readings above `maxPowerW` left out (times into `out`). */
function judgeMeter(e: ElecSamples, rule: CounterRule, maxPowerW: number, out: number[]): ElecSamples {
  const energy = judgeCounter(e.t, e.energy, rule);
  for (const i of energy.outliers) out.push(e.t[i]!);
  // The returned-energy counter (export) cannot rise faster than the import one.
  const returned = judgeCounter(e.t, e.ret, rule);
  for (const i of returned.outliers) out.push(e.t[i]!);
  const power = e.power.map((p, i) => {
    if (p > maxPowerW) {
      out.push(e.t[i]!);
      return Number.NaN;
    }
    return p;
  });
  return { t: e.t, power, energy: energy.cum, ret: returned.cum };
}
