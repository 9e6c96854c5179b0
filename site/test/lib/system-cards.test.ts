/**
 * The whole system on the report pages: the boundary every page states, the system's COP beside the
 * heat pump's with the backup heater's kWh and share, cooling outside the heating COP, the indoor
 * temperature the house fit used, and the tables' backup columns; none of it where the heat pump
 * alone is metered. Figures are set by hand on a fake report, so the expected text is worked out here.
 */
import { describe, expect, it } from "vitest";
import type { DailyRow, PeriodReport } from "../../../reports/src/types.ts";
import { comparisonRows, periodCards } from "../../src/lib/period-cards.ts";
import { dayRows, monthRows } from "../../src/lib/period-tables.ts";
import { periodView, seasonView } from "../../src/lib/page-views.ts";
import {
  boundaryLine,
  indoorText,
  rowsBoundaryLine,
  systemNotes,
  systemRows,
} from "../../src/lib/system-cards.ts";
import { createFakeReports } from "../fixtures/fake-reports.ts";

const TZ = "Europe/Berlin";
const plain = createFakeReports({ tz: TZ, first: "2025-07-01", last: "2026-04-05" });
const system = createFakeReports({ tz: TZ, first: "2025-07-01", last: "2026-04-05", system: true });
const H3 = {
  code: "H3" as const,
  roles: ["heatpump", "backup"],
  text: "H3: heat pump and backup heater metered",
};
const extent = { first: "2025-07-01", last: "2026-04-05" };

/**
 * A day with hand-set figures: the heat pump made 28 kWh of heat from 7 kWh, the backup heater used
 * 3 kWh (so 3 kWh of heat): system heat 28 + 3 = 31 kWh, system COP 31 / (7 + 3) = 3.10, the heat
 * pump's COP 28 / 7 = 4.00, the backup's share 100 · 3 / 31 = 9.677 %. Cooling took 12 kWh out of
 * the house for 4 kWh: EER 12 / 4 = 3.00.
 */
async function handDay(): Promise<PeriodReport> {
  const r = await system.report({ kind: "day", id: "2026-01-20" });
  return {
    ...r,
    heat_kwh: 28,
    elec_kwh: 7,
    cop: 4,
    backup_elec_kwh: 3,
    backup_vendor_kwh: null,
    heat_system_kwh: 31,
    cop_system: 3.1,
    backup_share_pct: (100 * 3) / 31,
    cooling_kwh: 12,
    cooling_elec_kwh: 4,
    eer: 3,
    room_mean_c: 20.64,
    metering: H3,
  };
}

describe("the boundary line", () => {
  it("words the report's statement; a statement without a code says so", () => {
    expect(boundaryLine(H3)).toBe("Boundary H3: heat pump and backup heater metered.");
    // A text that does not start with its code gets it; a final full stop is not doubled.
    expect(boundaryLine({ code: "H2", roles: ["heatpump"], text: "heat pump metered." })).toBe(
      "Boundary H2: heat pump metered.",
    );
    expect(boundaryLine({ code: null, roles: [], text: "" })).toBe(
      "Metering boundary: no electricity meter data.",
    );
    expect(boundaryLine(undefined)).toBe("");
  });

  it("the dashboard's last days: the widest boundary of the rows and the meters with data", async () => {
    const rows = await system.dailyRows("2026-01-14", "2026-01-20");
    const mixed: DailyRow[] = [
      { ...rows[0]!, boundary: "H2", backup_elec_kwh: null },
      { ...rows[1]!, boundary: "H3", backup_elec_kwh: 2 },
      { ...rows[2]!, boundary: null, backup_elec_kwh: null, elec_kwh: null },
    ];
    expect(rowsBoundaryLine(mixed, "Last 7 days")).toBe(
      "Last 7 days at boundary H3: heat pump and backup heater metered.",
    );
    expect(rowsBoundaryLine([{ ...rows[0]!, boundary: "H2", backup_elec_kwh: null }], "Last 7 days")).toBe(
      "Last 7 days at boundary H2: heat pump metered.",
    );
    expect(rowsBoundaryLine(mixed.slice(2), "Last 7 days")).toBeNull();
  });

  it("every report page states it after its subtitle; the season's old sentence is gone", async () => {
    const month = periodView(await plain.report({ kind: "month", id: "2026-02" }), extent);
    expect(month.subtitle).toBe(
      "Europe/Berlin; COP = heat / Shelly electricity over the whole period. Boundary H2: heat pump metered.",
    );
    const season = seasonView(await system.report({ kind: "season", id: "2025-26" }), extent);
    expect(season.subtitle).toMatch(/ Boundary H3: heat pump and backup heater metered\.$/);
    expect(season.notes.join(" ")).not.toContain("Metering boundary");
  });
});

describe("cards where a backup heater is metered", () => {
  it("the heat pump's COP and the system's side by side, then the backup heater's kWh and share", async () => {
    const cards = periodCards(await handDay());
    const labels = cards.map((c) => c.label);
    const at = labels.indexOf("COP");
    expect(labels.slice(at, at + 3)).toEqual(["COP", "System COP", "Backup heater"]);
    expect(cards[at]!.value).toBe("4.00");
    expect(cards[at]!.note).toMatch(/^the heat pump alone; heat pump's estimate /);
    expect(cards[at + 1]).toMatchObject({
      value: "3.10",
      note: "31.0 kWh heat with the backup heater's, over all metered electricity",
    });
    // 9.677 % to one decimal.
    expect(cards[at + 2]).toMatchObject({
      value: "3.0 kWh",
      note: "9.7 % of the system's heat (1 kWh electricity = 1 kWh heat)",
    });
  });

  it("the heat pump's own figure for its heating rod beside the meter's, where the device reports it", async () => {
    const cards = periodCards({ ...(await handDay()), backup_vendor_kwh: 2.7 });
    expect(cards.find((c) => c.label === "Backup heater")!.note).toBe(
      "9.7 % of the system's heat (1 kWh electricity = 1 kWh heat); heat pump's own figure 2.7 kWh",
    );
  });

  it("cooling: its kWh, electricity and EER, outside the heating COP; the room sensor's mean", async () => {
    const cards = periodCards(await handDay());
    expect(cards.find((c) => c.label === "Cooling")).toMatchObject({
      value: "12.0 kWh",
      note: "EER 3.00; 4.0 kWh electricity; outside the heating COP",
    });
    expect(cards.find((c) => c.label === "Room, mean")!.value).toBe("20.6 °C");
  });

  it("the notes say what each COP counts and where cooling went", async () => {
    expect(systemNotes(await handDay())).toEqual([
      "COP 4.00 is the heat pump's alone: its compressor's heat over its own meter. System COP 3.10 adds " +
        "the backup heater on both sides (its 3.0 kWh of electricity became as much heat, 9.7 % of 31.0 kWh).",
      "Cooling: 12.0 kWh taken out of the house for 4.0 kWh of electricity (EER 3.00). Cooling is outside " +
        "the heating COP, the degree-day figures and the house fit.",
    ]);
  });

  it("the comparison gains the system's COP, the backup heater and cooling", async () => {
    const r = await handDay();
    const before = { ...r, cop_system: 2.5, backup_elec_kwh: 6, cooling_kwh: null };
    // 3.10 against 2.50: +24 %; 3 kWh against 6 kWh: −50 %; cooling against none: a dash.
    expect(systemRows(r, r, before)).toEqual([
      { label: "System COP", now: "3.10", before: "2.50", change: "+24 %" },
      { label: "Backup heater", now: "3.0 kWh", before: "6.0 kWh", change: "\u221250 %" },
      { label: "Cooling", now: "12.0 kWh", before: "–", change: "–" },
    ]);
  });

  it("a season says System SPF", async () => {
    const r = await system.report({ kind: "season", id: "2025-26" });
    expect(periodCards(r).map((c) => c.label)).toContain("System SPF");
  });
});

describe("the heat pump alone", () => {
  it("no system, backup, cooling or room card, no such row or note: the pages as before", async () => {
    for (const id of ["2026-01-20", "2025-07-15"]) {
      const r = await plain.report({ kind: "day", id });
      const labels = periodCards(r).map((c) => c.label);
      for (const l of ["System COP", "Backup heater", "Cooling", "Room, mean", "Circulation pumps"])
        expect(labels).not.toContain(l);
      expect(periodCards(r).find((c) => c.label === "COP")!.note).toMatch(/^heat pump's estimate/);
      expect(systemNotes(r)).toEqual([]);
    }
    const week = await plain.report({ kind: "week", id: "2026-W04" });
    expect(comparisonRows(week).map((x) => x.label)).not.toContain("System COP");
    expect(periodView(week, extent).notes).toEqual([]);
  });
});

describe("the indoor temperature of the house fit", () => {
  it("the room sensor, or the INDOOR_C setting with its value", async () => {
    const r = await plain.report({ kind: "month", id: "2026-01" });
    expect(indoorText({ ...r, indoor_source: "room" })).toBe("room sensor");
    expect(indoorText({ ...r, indoor_source: "setting" })).toBe("INDOOR_C setting 20 °C");
    expect(indoorText({ ...r, indoor_source: "setting", settings: { ...r.settings, indoor_c: 20.5 } })).toBe(
      "INDOOR_C setting 20.5 °C",
    );
    expect(indoorText({ ...r, indoor_source: null })).toBeNull();
  });

  it("a fitted month's house card ends with it", async () => {
    const r = await system.report({ kind: "month", id: "2026-01" });
    expect(r.heat_loss_w_per_k).not.toBeNull();
    const house = periodCards(r).find((c) => c.label === "Heat loss of the house")!;
    expect(house.note).toMatch(/; indoor: room sensor$/);
    const setting = periodCards({ ...r, indoor_source: "setting" }).find(
      (c) => c.label === "Heat loss of the house",
    )!;
    expect(setting.note).toMatch(/; indoor: INDOOR_C setting 20 °C$/);
  });
});

describe("the tables of days and months", () => {
  const OLD = ["Heat (kWh)", "Electricity (kWh)", "COP", "Outside (°C)", "Starts", "Coverage"];

  it("gain backup and system COP columns when a row has them, with the period's totals", async () => {
    const r = await system.report({ kind: "week", id: "2026-W04" });
    const [a, b] = r.rows;
    // Two hand-set days (the rest of the week's rows left out): 3 kWh backup and system COP 3.10;
    // the other with no backup meter that day.
    const rows = [
      { ...a!, backup_elec_kwh: 3, cop_system: 3.1 },
      { ...b!, backup_elec_kwh: null, cop_system: null },
    ];
    const t = dayRows({ ...r, rows, backup_elec_kwh: 3, cop_system: 3.1 }, extent);
    expect(t.columns).toEqual([
      "Day",
      "Heat (kWh)",
      "Electricity (kWh)",
      "COP",
      "Backup (kWh)",
      "System COP",
      "Outside (°C)",
      "Starts",
      "Coverage",
    ]);
    expect(t.rows.map((x) => x.cells.slice(3, 5))).toEqual([
      ["3.0", "3.10"],
      ["–", "–"],
    ]);
    expect(t.total!.cells.slice(3, 5)).toEqual(["3.0", "3.10"]);
    expect(t.total!.cells).toHaveLength(8);
  });

  it("a backup meter that read 0 kWh all period still has its column (metered, off)", async () => {
    const r = await system.report({ kind: "month", id: "2025-08" });
    expect(r.rows.every((x) => x.backup_elec_kwh === 0)).toBe(true);
    expect(dayRows(r, extent).columns).toContain("Backup (kWh)");
    expect(dayRows(r, extent).rows[0]!.cells[3]).toBe("0.0");
  });

  it("a season's months: whole kWh of backup per month", async () => {
    const r = await system.report({ kind: "season", id: "2025-26" });
    const t = monthRows(r, null, extent);
    const jan = r.months!.find((m) => m.id === "2026-01")!;
    const row = t.rows.find((x) => x.head === "January 2026")!;
    expect(t.columns.slice(4, 6)).toEqual(["Backup (kWh)", "System COP"]);
    expect(row.cells[3]).toBe(Math.round(jan.backup_elec_kwh!).toLocaleString("en-GB"));
    expect(row.cells[4]).toBe(jan.cop_system!.toFixed(2));
  });

  it("without a backup meter the columns are as before", async () => {
    const week = dayRows(await plain.report({ kind: "week", id: "2026-W04" }), extent);
    expect(week.columns).toEqual(["Day", ...OLD]);
    const season = monthRows(await plain.report({ kind: "season", id: "2025-26" }), null, extent);
    expect(season.columns).toEqual(["Month", ...OLD]);
    expect(season.total!.cells).toHaveLength(6);
  });
});
