/** Test helper: simulated history parsed and summed per local day. */
import { parseLine, type ParsedLine } from "../../../core/src/data/line-protocol.ts";
import { historyChunks, type HistoryOptions } from "../../simulator/history.ts";
import { dayOf } from "../../../core/src/time.ts";

export interface Day {
  date: string;
  /** Shelly energy_wh increase of the heat pump's meter (role `heatpump`), kWh. */
  elecKwh: number;
  /** The backup heater meter's energy_wh increase over the day's readings, kWh. */
  backupKwh: number;
  /** Integral of power_w (10 s samples), kWh. */
  powerIntegralKwh: number;
  /** Device day counters at the last sample of the day, kWh. */
  heatKwh: number;
  vendorElecKwh: number;
  meanOutsideC: number;
  heatpumpSamples: number;
  dhwSamples: number;
  defrostSamples: number;
  /** Compressor starts during the day. */
  starts: number;
}

export function generate(opts: Omit<HistoryOptions, "out">): ParsedLine[] {
  const lines: ParsedLine[] = [];
  for (const chunk of historyChunks(opts)) {
    for (const l of chunk.split("\n")) {
      const p = parseLine(l);
      if (p) lines.push(p);
    }
  }
  return lines;
}

export function daily(lines: readonly ParsedLine[], tz: string): Day[] {
  const days = new Map<
    string,
    Day & {
      firstE?: number;
      lastE?: number;
      firstB?: number;
      firstStarts?: number;
      lastStarts?: number;
      sumOut: number;
    }
  >();
  const get = (date: string) => {
    let d = days.get(date);
    if (!d) {
      d = {
        date,
        elecKwh: 0,
        backupKwh: 0,
        powerIntegralKwh: 0,
        heatKwh: 0,
        vendorElecKwh: 0,
        meanOutsideC: 0,
        heatpumpSamples: 0,
        dhwSamples: 0,
        defrostSamples: 0,
        starts: 0,
        sumOut: 0,
      };
      days.set(date, d);
    }
    return d;
  };
  for (const p of lines) {
    const d = get(dayOf(tz, p.timeMs));
    const f = p.fields as Record<string, number>;
    if (p.measurement === "electric" && p.tags.role === "backup") {
      d.firstB ??= f.energy_wh!;
      d.backupKwh = (f.energy_wh! - d.firstB) / 1000;
    } else if (p.measurement === "electric") {
      d.firstE ??= f.energy_wh!;
      d.lastE = f.energy_wh!;
      d.powerIntegralKwh += (f.power_w! * 10) / 3600 / 1000;
    } else if (p.measurement === "heatpump") {
      d.heatpumpSamples++;
      d.sumOut += f.outside_c!;
      d.heatKwh = f.heat_heating_day_kwh! + f.heat_dhw_day_kwh!;
      d.vendorElecKwh = f.elec_heating_day_kwh! + f.elec_dhw_day_kwh!;
      d.dhwSamples += f.dhw_active!;
      d.defrostSamples += f.defrosting!;
      d.firstStarts ??= f.compressor_starts!;
      d.lastStarts = f.compressor_starts!;
    }
  }
  const out: Day[] = [];
  for (const d of days.values()) {
    // The meter's day: from this day's first reading to the next day's first reading.
    out.push({
      ...d,
      meanOutsideC: d.sumOut / d.heatpumpSamples,
      starts: d.lastStarts! - d.firstStarts!,
      elecKwh: 0,
    });
  }
  const list = [...days.values()];
  for (let i = 0; i < out.length; i++) {
    const next = list[i + 1];
    const end = next ? next.firstE! : list[i]!.lastE!;
    out[i]!.elecKwh = (end - list[i]!.firstE!) / 1000;
  }
  return out;
}
