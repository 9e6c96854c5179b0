/**
 * The whole system of a day: the meters beside the heat pump's (Samples.meters: backup heater,
 * pumps, house), the boundary they make (boundary.ts) and the system's COP.
 *
 * - Each meter's electricity as the heat pump's elec_kwh: the increase of its energy counter
 *   (counters judged alike, counters.ts), its power integrated where it has no counter; null when
 *   the role has no data that day.
 * - heat_system_kwh = heat_kwh + backup_elec_kwh: the device's heat counters count the compressor's
 *   heat only, and a resistance heater turns each kWh into one kWh of heat, so nothing is counted
 *   twice. Null without a backup meter.
 * - cop_system = (heat_kwh + backup) / (heating electricity of the heat pump + backup + pumps), the
 *   COP at the day's boundary; the heat pump's heating electricity is elec_kwh without the cooling
 *   intervals' (cooling.ts), as for `cop`. Null when only the heat pump is metered (then `cop` is the
 *   boundary's COP) or a side is missing.
 * - backup_share_pct = 100 * backup / heat_system_kwh.
 * - The house meter is reported only: it is in no COP.
 */
import { electricStats, medianSpacing, ratio, round } from "./primitives.ts";
import { boundaryOf } from "./boundary.ts";
import type { MeterRole } from "../../../core/src/data/catalogue.ts";
import { lowerBound } from "../../../core/src/sorted.ts";
import type { ElecSamples, Samples } from "../store/samples.ts";
import type { DailyRow } from "../types.ts";

type SystemFields = Pick<
  DailyRow,
  | "boundary"
  | "backup_elec_kwh"
  | "pumps_elec_kwh"
  | "house_elec_kwh"
  | "backup_vendor_kwh"
  | "heat_system_kwh"
  | "cop_system"
  | "backup_share_pct"
>;

interface SystemInput {
  thresholdW: number;
  /** Configured meter poll interval (ms), used when a day has too few readings to infer it. */
  elecIntervalMs: number;
  heatKwh: number | null;
  /** The heat pump meter's electricity, and the part of it spent cooling (null: none). */
  elecKwh: number | null;
  coolingElecKwh: number | null;
  /** The device's heating-rod electricity (its day counters), kWh; null where not reported. */
  backupVendorKwh: number | null;
}

/** A meter's electricity in [startMs, endMs), Wh, as electricStats counts the heat pump's; null without data. */
export function meterWh(
  m: ElecSamples | undefined,
  startMs: number,
  endMs: number,
  o: SystemInput,
): number | null {
  if (!m) return null;
  const interval = medianSpacing(m.t, lowerBound(m.t, startMs), lowerBound(m.t, endMs)) ?? o.elecIntervalMs;
  return electricStats(m.t, m.power, m.energy, startMs, endMs, o.thresholdW, 3 * interval).elecWh;
}

export function systemFigures(s: Samples, startMs: number, endMs: number, o: SystemInput): SystemFields {
  const kwh = (wh: number | null) => (wh === null ? null : wh / 1000);
  const backup = kwh(meterWh(s.meters.backup, startMs, endMs, o));
  const pumps = kwh(meterWh(s.meters.pumps, startMs, endMs, o));
  const house = kwh(meterWh(s.meters.house, startMs, endMs, o));
  // Stryker disable next-line ArrayDeclaration: boundaryOf looks for the three roles only, an extra entry is ignored
  const roles: MeterRole[] = [];
  if (o.elecKwh !== null) roles.push("heatpump");
  if (backup !== null) roles.push("backup");
  if (pumps !== null) roles.push("pumps");
  const heatSystem = o.heatKwh === null || backup === null ? null : o.heatKwh + backup;
  const aux = backup !== null || pumps !== null;
  const systemHeat = o.heatKwh === null ? null : o.heatKwh + (backup ?? 0);
  const systemElec =
    o.elecKwh === null ? null : o.elecKwh - (o.coolingElecKwh ?? 0) + (backup ?? 0) + (pumps ?? 0);
  return {
    boundary: boundaryOf(roles),
    backup_elec_kwh: round(backup, 4),
    pumps_elec_kwh: round(pumps, 4),
    house_elec_kwh: round(house, 4),
    backup_vendor_kwh: round(o.backupVendorKwh, 4),
    heat_system_kwh: round(heatSystem, 4),
    cop_system: aux ? round(ratio(systemHeat, systemElec), 3) : null,
    backup_share_pct: round(
      // heatSystem is null whenever backup is, and ratio is null with a null side: this test only reads well.
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, see above
      heatSystem !== null && backup !== null ? ratio(100 * backup, heatSystem) : null,
      2,
    ),
  };
}
