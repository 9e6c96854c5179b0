/** The readable table of `npm run report` (without --json). */
import { minusSign } from "./number-text.ts";
import type { AnalysisSettings, DailyRow, PeriodReport, Totals } from "../types.ts";

const f = (v: number | null | undefined, d = 2) =>
  v === null || v === undefined ? "–" : minusSign(v.toFixed(d));

const COLUMNS: [string, (r: DailyRow) => string][] = [
  ["day", (r) => r.day],
  ["elec kWh", (r) => f(r.elec_kwh)],
  ["heat kWh", (r) => f(r.heat_kwh, 1)],
  ["COP", (r) => f(r.cop)],
  ["COP vendor", (r) => f(r.cop_vendor)],
  ["run kWh", (r) => f(r.running_elec_kwh)],
  ["standby kWh", (r) => f(r.standby_elec_kwh)],
  ["starts", (r) => f(r.starts, 0)],
  ["run min", (r) => f(r.mean_run_min, 1)],
  ["outside °C", (r) => f(r.outside_mean_c, 1)],
  ["flow °C", (r) => f(r.flow_mean_c, 1)],
  ["cov el %", (r) => f(r.coverage_elec_pct, 0)],
  ["cov hp %", (r) => f(r.coverage_hp_pct, 0)],
];

/** The analytics lines (README, "Reports"); the house and money only where there is a figure. */
function analyticsLines(t: Totals, s: AnalysisSettings): string[] {
  const out = [
    `space heating COP ${f(t.cop_heating)} (vendor ${f(t.cop_heating_vendor)}, ${f(t.elec_heating_kwh)} kWh), ` +
      `hot water COP ${f(t.cop_dhw)} (vendor ${f(t.cop_dhw_vendor)}, ${f(t.elec_dhw_kwh)} kWh), ` +
      `${f(t.carnot_pct, 1)} % of Carnot`,
    `defrosts ${f(t.defrost_count, 0)} (${f(t.defrost_min, 0)} min, ${f(t.defrost_heat_kwh)} kWh drawn back, ` +
      `${f(t.defrost_share_pct, 1)} % of heat)`,
    `degree days ${f(t.hdd, 1)} (base ${s.hdd_base_c} °C): heat ${f(t.heat_per_hdd_kwh)} kWh, ` +
      `space-heating electricity ${f(t.elec_per_hdd_kwh)} kWh per degree day`,
  ];
  if (t.heat_loss_w_per_k !== null)
    out.push(
      `house: ${f(t.heat_loss_w_per_k, 0)} W/K, balance point ${f(t.balance_point_c, 1)} °C, ` +
        `design load ${f(t.design_load_w, 0)} W at ${s.design_outside_c} °C ` +
        `(${t.house_fit_days} days, R² ${f(t.house_fit_r2)})`,
    );
  const money = [
    t.cost !== undefined
      ? `cost ${f(t.cost)} ${t.currency} (${f(t.cost_per_heat_kwh, 3)} per kWh of heat)`
      : null,
    t.standing_charge !== undefined
      ? `standing charge ${f(t.standing_charge)} ${t.currency}, total ${f(t.cost_total)} ${t.currency}`
      : null,
    t.gas_cost !== undefined ? `gas boiler ${f(t.gas_cost)} ${t.currency}` : null,
    t.savings !== undefined ? `savings ${f(t.savings)} ${t.currency}` : null,
  ].filter((x) => x !== null);
  if (money.length > 0) out.push(money.join(", "));
  if (t.export_kwh !== null && t.export_kwh > 0) out.push(`export ${f(t.export_kwh)} kWh`);
  return out;
}

/** The system beyond the heat pump's meter, cooling and the room, only where there is a figure. */
function systemLines(t: Totals): string[] {
  const out: string[] = [];
  if (t.backup_elec_kwh !== null || t.pumps_elec_kwh !== null || t.cop_system !== null)
    out.push(
      `system COP ${f(t.cop_system)} (heat ${f(t.heat_system_kwh, 1)} kWh), ` +
        `backup heater ${f(t.backup_elec_kwh)} kWh (${f(t.backup_share_pct, 1)} % of heat), ` +
        `pumps ${f(t.pumps_elec_kwh)} kWh`,
    );
  if (t.house_elec_kwh !== null) out.push(`house ${f(t.house_elec_kwh)} kWh (context, in no COP)`);
  if (t.cooling_kwh !== null || t.cooling_elec_kwh !== null)
    out.push(
      `cooling ${f(t.cooling_kwh)} kWh for ${f(t.cooling_elec_kwh)} kWh of electricity, EER ${f(t.eer)}`,
    );
  if (t.room_mean_c !== null) out.push(`room ${f(t.room_mean_c, 1)} °C`);
  return out;
}

function totalsLine(t: Totals, s: AnalysisSettings): string {
  return [
    `electricity ${f(t.elec_kwh)} kWh, heat ${f(t.heat_kwh, 1)} kWh ` +
      `(heating ${f(t.heat_heating_kwh, 1)}, hot water ${f(t.heat_dhw_kwh, 1)})`,
    `COP ${f(t.cop)} (vendor ${f(t.cop_vendor)}, running ${f(t.cop_running)}), standby ${f(t.standby_elec_kwh)} kWh`,
    ...systemLines(t),
    `starts ${f(t.starts, 0)} (device ${f(t.starts_vendor, 0)}), ` +
      `mean run ${f(t.mean_run_min, 1)} min, running ${f(t.running_hours, 1)} h`,
    `outside ${f(t.outside_mean_c, 1)} °C, flow ${f(t.flow_mean_c, 1)} °C ` +
      `(heat-weighted; space heating only ${f(t.flow_heating_mean_c, 1)} °C)`,
    ...analyticsLines(t, s),
    `coverage electricity ${f(t.coverage_elec_pct, 1)} %, heat pump ${f(t.coverage_hp_pct, 1)} %, ` +
      `days with data ${t.days_with_data}/${t.days}`,
  ].join("\n");
}

export function formatReport(r: PeriodReport): string {
  const cells = [COLUMNS.map(([h]) => h), ...r.rows.map((row) => COLUMNS.map(([, get]) => get(row)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const table = cells
    .map((c) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  "))
    .join("\n");
  // The season's SPF: the heat pump's, and with other meters the system's at the boundary.
  const system = r.cop_system !== null ? `, system SPF ${f(r.cop_system)} (${r.metering.code ?? "–"})` : "";
  const spf = r.kind === "season" ? `\nSPF ${f(r.cop)}${system}` : "";
  const p = r.progress;
  // A period in progress says how much of it the sums cover.
  const soFar = p
    ? r.kind === "day"
      ? `, so far: ${f(p.elapsed_hours, 1)} of ${f(p.hours, 0)} hours`
      : `, so far: ${f(p.elapsed_days, 1)} of ${r.days} days`
    : "";
  const metering = `metering: ${r.metering.text}`;
  return `${r.label} (${r.tz})${soFar}\n${metering}\n${totalsLine(r, r.settings)}${spf}\n\n${table}\n`;
}
