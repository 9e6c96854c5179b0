/** The readable table of `npm run report` (without --json). */
import { minusSign } from "./number-text.ts";
import type { DailyRow, PeriodReport, Totals } from "./types.ts";

const f = (v: number | null, d = 2) => (v === null ? "–" : minusSign(v.toFixed(d)));

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

function totalsLine(t: Totals): string {
  return [
    `electricity ${f(t.elec_kwh)} kWh, heat ${f(t.heat_kwh, 1)} kWh (heating ${f(t.heat_heating_kwh, 1)}, hot water ${f(t.heat_dhw_kwh, 1)})`,
    `COP ${f(t.cop)} (vendor ${f(t.cop_vendor)}, running ${f(t.cop_running)}), standby ${f(t.standby_elec_kwh)} kWh`,
    `starts ${f(t.starts, 0)} (device ${f(t.starts_vendor, 0)}), mean run ${f(t.mean_run_min, 1)} min, running ${f(t.running_hours, 1)} h`,
    `outside ${f(t.outside_mean_c, 1)} °C, flow ${f(t.flow_mean_c, 1)} °C (heat-weighted; space heating only ${f(t.flow_heating_mean_c, 1)} °C)`,
    `coverage electricity ${f(t.coverage_elec_pct, 1)} %, heat pump ${f(t.coverage_hp_pct, 1)} %, days with data ${t.days_with_data}/${t.days}`,
  ].join("\n");
}

export function formatReport(r: PeriodReport): string {
  const cells = [COLUMNS.map(([h]) => h), ...r.rows.map((row) => COLUMNS.map(([, get]) => get(row)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const table = cells
    .map((c) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  "))
    .join("\n");
  const spf = r.kind === "season" ? `\nSPF ${f(r.cop)} — meter covers: ${r.meter_boundary ?? ""}` : "";
  const p = r.progress;
  // A period in progress says how much of it the sums cover.
  const soFar = p
    ? r.kind === "day"
      ? `, so far: ${f(p.elapsed_hours, 1)} of ${f(p.hours, 0)} hours`
      : `, so far: ${f(p.elapsed_days, 1)} of ${r.days} days`
    : "";
  return `${r.label} (${r.tz})${soFar}\n${totalsLine(r)}${spf}\n\n${table}\n`;
}
