/**
 * The whole system as metered (README, "The site"): the boundary every page states, and where more
 * than the heat pump is metered the system's COP beside the heat pump's, the backup heater's
 * electricity and share of the heat, the other meters, cooling (never in the heating COP) and the
 * room temperature. A page without those meters gets none of these cards, rows or notes.
 */
import type { BoundaryStatement, DailyRow, PeriodReport, Totals } from "../../../reports/src/types.ts";
import { change, kwh, num, pct, withUnit } from "./format.ts";
import type { ComparisonRow, Kpi } from "./page-parts.ts";

/** A backup heater was metered in the period (or on the row). */
export const hasBackup = (t: Pick<Totals, "backup_elec_kwh">): boolean => t.backup_elec_kwh !== null;

/** The system's COP exists: a backup heater (or the pumps) metered beside the heat pump. */
const hasSystem = (t: Pick<Totals, "backup_elec_kwh" | "cop_system">): boolean =>
  t.backup_elec_kwh !== null || t.cop_system !== null;

/** `Boundary H3: heat pump and backup heater metered.` from the report's statement. */
export function boundaryLine(m: BoundaryStatement | undefined): string {
  if (!m) return "";
  const text = m.text.trim().replace(/\.$/, "");
  if (m.code === null) return `Metering boundary: ${text || "no electricity meter data"}.`;
  return text.startsWith(m.code) ? `Boundary ${text}.` : `Boundary ${m.code}: ${text}.`;
}

const ROLE_WORDS = {
  heatpump: "heat pump",
  backup: "backup heater",
  pumps: "circulation pumps",
  house: "house",
};
const ORDER = ["H2", "H3", "H4"] as const;

/**
 * The dashboard's line for its last days (no period report there): the widest boundary of the rows
 * and the meters with data in them, e.g. `Last 7 days at boundary H3: heat pump and backup heater
 * metered.`; null while no row has a boundary.
 */
export function rowsBoundaryLine(rows: readonly DailyRow[], what: string): string | null {
  const codes = rows.map((r) => r.boundary).filter((c) => c !== null && c !== undefined);
  if (codes.length === 0) return null;
  const widest = ORDER[Math.max(...codes.map((c) => ORDER.indexOf(c)))]!;
  const metered = (k: "elec_kwh" | "backup_elec_kwh" | "pumps_elec_kwh" | "house_elec_kwh") =>
    rows.some((r) => r[k] !== null && r[k] !== undefined);
  const words = [
    ROLE_WORDS.heatpump,
    ...(metered("backup_elec_kwh") ? [ROLE_WORDS.backup] : []),
    ...(metered("pumps_elec_kwh") ? [ROLE_WORDS.pumps] : []),
    ...(metered("house_elec_kwh") ? [`${ROLE_WORDS.house} (context only)`] : []),
  ];
  const list = words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words.at(-1)}` : words[0]!;
  return `${what} at boundary ${widest}: ${list} metered.`;
}

/** Cards that go right after the COP card: the system's COP, the backup heater, the other meters. */
export function meteredCards(r: PeriodReport): Kpi[] {
  const cards: Kpi[] = [];
  if (hasSystem(r))
    cards.push({
      label: r.kind === "season" ? "System SPF" : "System COP",
      value: num(r.cop_system, 2),
      note: `${kwh(r.heat_system_kwh)} heat with the backup heater's, over all metered electricity`,
      quantity: "cop",
    });
  if (hasBackup(r))
    cards.push({
      label: "Backup heater",
      value: kwh(r.backup_elec_kwh),
      // A resistance heater: each kWh of electricity is a kWh of heat.
      note:
        `${pct(r.backup_share_pct, 1)} of the system's heat (1 kWh electricity = 1 kWh heat)` +
        (r.backup_vendor_kwh === null ? "" : `; heat pump's own figure ${kwh(r.backup_vendor_kwh)}`),
      quantity: "backup",
    });
  if (r.pumps_elec_kwh !== null)
    cards.push({
      label: "Circulation pumps",
      value: kwh(r.pumps_elec_kwh),
      note: "in the system COP",
      quantity: "elec",
    });
  if (r.house_elec_kwh !== null)
    cards.push({ label: "Whole house", value: kwh(r.house_elec_kwh), note: "for context: in no COP" });
  return cards;
}

/** The cooling card (heat taken out of the house, its electricity, the EER), where there was cooling. */
export function coolingCards(r: PeriodReport): Kpi[] {
  if (r.cooling_kwh === null) return [];
  return [
    {
      label: "Cooling",
      value: kwh(r.cooling_kwh),
      note: `EER ${num(r.eer, 2)}; ${withUnit(r.cooling_elec_kwh, "kWh")} electricity; outside the heating COP`,
      quantity: "cooling",
    },
  ];
}

/** The room sensor's mean, where the heat pump reports one. */
export function roomCards(r: PeriodReport): Kpi[] {
  if (r.room_mean_c === null) return [];
  return [
    { label: "Room, mean", value: withUnit(r.room_mean_c, "°C"), note: "room sensor, weighted by heat" },
  ];
}

/** The indoor temperature the house fit used: `room sensor` or `INDOOR_C setting 20 °C`; null unknown. */
export function indoorText(r: PeriodReport): string | null {
  if (r.indoor_source === "room") return "room sensor";
  if (r.indoor_source !== "setting") return null;
  const c = r.settings.indoor_c;
  return `INDOOR_C setting ${num(c, Number.isInteger(c) ? 0 : 1)} °C`;
}

/** The notes a page with a backup heater or cooling carries: what each COP counts, where cooling went. */
export function systemNotes(r: PeriodReport): string[] {
  const notes: string[] = [];
  if (hasBackup(r))
    notes.push(
      `${r.kind === "season" ? "SPF" : "COP"} ${num(r.cop, 2)} is the heat pump's alone: its compressor's heat ` +
        `over its own meter. System ${r.kind === "season" ? "SPF" : "COP"} ${num(r.cop_system, 2)} adds the ` +
        `backup heater on both sides (its ${kwh(r.backup_elec_kwh)} of electricity became as much heat, ` +
        `${pct(r.backup_share_pct, 1)} of ${kwh(r.heat_system_kwh)}).`,
    );
  if (r.cooling_kwh !== null)
    notes.push(
      `Cooling: ${kwh(r.cooling_kwh)} taken out of the house for ${kwh(r.cooling_elec_kwh)} of electricity ` +
        `(EER ${num(r.eer, 2)}). Cooling is outside the heating COP, the degree-day figures and the house fit.`,
    );
  return notes;
}

/** Comparison rows for the system's COP and the backup heater, on pages that meter one. */
export function systemRows(r: PeriodReport, n: Totals, p: Totals, perDay = false): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  if (hasSystem(r))
    rows.push({
      label: r.kind === "season" ? "System SPF" : "System COP",
      now: num(n.cop_system, 2),
      before: num(p.cop_system, 2),
      change: change(n.cop_system, p.cop_system),
    });
  if (hasBackup(r))
    rows.push({
      label: perDay ? "Backup heater, per day" : "Backup heater",
      now: kwh(n.backup_elec_kwh),
      before: kwh(p.backup_elec_kwh),
      change: change(n.backup_elec_kwh, p.backup_elec_kwh),
    });
  if (r.cooling_kwh !== null)
    rows.push({
      label: perDay ? "Cooling, per day" : "Cooling",
      now: kwh(n.cooling_kwh),
      before: kwh(p.cooling_kwh),
      change: change(n.cooling_kwh, p.cooling_kwh),
    });
  return rows;
}
