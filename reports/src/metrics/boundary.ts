/**
 * The metering boundary (SEPEMO, as heatpumpmonitor.org states it) from the roles whose meters have
 * data: the heat pump's own meter (`heatpump`: outdoor and indoor unit with the source side) is H2;
 * with the backup heater's meter (`backup`) H3; with the circulation pumps' meter (`pumps`) H4. A
 * pumps meter without a backup meter is H4 too: the installation is taken to have no backup heater
 * (or none in use), which the statement says. Without the heat pump's meter there is no boundary:
 * the other meters alone say nothing about the heat pump. The `house` meter is context only: it is
 * listed among the roles but is part of no boundary and no COP.
 */
import { METER_ROLES, type MeterRole } from "../../../core/src/data/catalogue.ts";
import type { Boundary, BoundaryStatement, DailyRow } from "../types.ts";
import { rowNumber } from "./row-field.ts";

// Stryker disable next-line StringLiteral: without "H2" its index is -1, still below H3's and H4's
const ORDER: readonly Boundary[] = ["H2", "H3", "H4"];

/** The boundary the roles make, or null without the heat pump's meter. */
export function boundaryOf(roles: Iterable<MeterRole>): Boundary | null {
  const has = new Set(roles);
  if (!has.has("heatpump")) return null;
  if (has.has("pumps")) return "H4";
  return has.has("backup") ? "H3" : "H2";
}

/** The wider of two boundaries (null counts as none). */
export function wider(a: Boundary | null, b: Boundary | null): Boundary | null {
  // Stryker disable next-line ConditionalExpression: a null has index -1, so the comparison below returns b
  if (a === null) return b;
  // Stryker disable next-line ConditionalExpression: a null has index -1, so the comparison below returns a
  if (b === null) return a;
  // Stryker disable next-line EqualityOperator: on equal indexes a and b are the same boundary
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** The roles with meter data in a daily row (its electricity of that role is known). */
export function rowRoles(r: DailyRow): MeterRole[] {
  const field: Record<MeterRole, keyof DailyRow> = {
    heatpump: "elec_kwh",
    backup: "backup_elec_kwh",
    pumps: "pumps_elec_kwh",
    house: "house_elec_kwh",
  };
  return METER_ROLES.filter((role) => rowNumber(field[role])(r) !== null);
}

const NAMES: Record<MeterRole, string> = {
  heatpump: "heat pump",
  backup: "backup heater",
  pumps: "pumps",
  house: "house",
};

/** "a", "a and b", "a, b and c". */
function list(words: readonly string[]): string {
  // Stryker disable next-line StringLiteral: the separator of none or one word is never used
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** What a page says of its metering: the boundary, the roles (METER_ROLES order) and the words. */
export function boundaryStatement(code: Boundary | null, roles: Iterable<MeterRole>): BoundaryStatement {
  const has = new Set(roles);
  const ordered = METER_ROLES.filter((r) => has.has(r));
  const inBoundary = ordered.filter((r) => r !== "house").map((r) => NAMES[r]);
  const house = has.has("house") ? "; the house meter for context, in no COP" : "";
  let text: string;
  if (ordered.length === 0) text = "No electricity meter data";
  else if (code === null)
    text = `No boundary: no heat pump meter data (metered: ${list(ordered.map((r) => NAMES[r]))})`;
  else {
    const noBackup =
      code === "H4" && !has.has("backup") ? " (no backup heater meter: none taken to be in use)" : "";
    text = `${code}: ${list(inBoundary)} metered${noBackup}${house}`;
  }
  return { code, roles: ordered, text };
}

/** The widest boundary among a period's days (a row from before the field: from its roles). */
export function periodBoundary(rows: readonly DailyRow[]): Boundary | null {
  let code: Boundary | null = null;
  for (const r of rows)
    code = wider(code, (r.boundary as Boundary | null | undefined) ?? boundaryOf(rowRoles(r)));
  return code;
}

/** The statement of a period from its daily rows: the widest boundary among them, every role seen. */
export function periodMetering(rows: readonly DailyRow[]): BoundaryStatement {
  const roles = new Set<MeterRole>();
  for (const r of rows) for (const role of rowRoles(r)) roles.add(role);
  return boundaryStatement(periodBoundary(rows), roles);
}
