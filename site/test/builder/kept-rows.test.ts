/**
 * The parts of the append-only history, one by one: which row the engine answers for a closed day
 * (reports/src/engine/published-rows.ts), the rows and buckets read back from a published site
 * (kept-history.ts, published-buckets.ts), and what the plan says about them (history-notes.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { PublishedRows } from "../../../reports/src/engine/published-rows.ts";
import type { DailyRow, DayBuckets, PublishedHistory, Reports } from "../../../reports/src/types.ts";
import { sayKept } from "../../builder/history-notes.ts";
import { readSiteHistory } from "../../builder/kept-history.ts";
import { bucketsFromCsv } from "../../builder/published-buckets.ts";
import { fakeRow, localMidnight } from "../fixtures/fake-reports.ts";

const TZ = "Europe/Berlin";
const NOW = localMidnight("2026-04-05", TZ) + 12 * 3_600_000;

/** A closed day's row with the given coverage (percent of expected samples, Shelly and heat pump). */
function row(day: string, elec: number, hp: number, elecKwh = 10): DailyRow {
  return { ...fakeRow(day, TZ, NOW, false), coverage_elec_pct: elec, coverage_hp_pct: hp, elec_kwh: elecKwh };
}

function history(rows: DailyRow[], buckets: DayBuckets | null = null): PublishedHistory {
  return { rows: new Map(rows.map((r) => [r.day, Object.freeze(r)])), buckets: () => buckets };
}

describe("the row the engine answers for a closed day", () => {
  const published = [
    row("2026-03-01", 100, 100, 11),
    row("2026-03-02", 100, 100, 12),
    row("2026-03-03", 90, 100, 13),
  ];

  it("the store's, where it holds as much data as was published or more (a new engine version, late points)", () => {
    const p = new PublishedRows();
    p.set(history(published));
    const store = [
      row("2026-03-01", 100, 100, 21),
      row("2026-03-02", 100, 100, 22),
      row("2026-03-03", 95, 100, 23),
    ];
    expect(p.merge(store, undefined).map((r) => r.elec_kwh)).toEqual([21, 22, 23]);
    expect(p.keptDays()).toEqual([]);
  });

  it("the published one where the store holds fewer samples of either source, and the day after such a day", () => {
    const p = new PublishedRows();
    p.set(history(published));
    // 03-01 lost every point; 03-02 holds all of its own, but its counter step across midnight
    // started on 03-01; 03-03 lost heat pump readings though its Shelly readings grew.
    const store = [
      row("2026-03-01", 0, 0, 0),
      row("2026-03-02", 100, 100, 22),
      row("2026-03-03", 95, 99.9, 23),
    ];
    expect(p.merge(store, undefined).map((r) => r.elec_kwh)).toEqual([11, 12, 13]);
    expect(p.keptDays()).toEqual(["2026-03-01", "2026-03-02", "2026-03-03"]);
  });

  it("the store's for a lost day's neighbour whose own data grew; the days around the range count", () => {
    const p = new PublishedRows();
    p.set(history(published));
    const lost = row("2026-03-01", 50, 100);
    expect(p.merge([row("2026-03-02", 100, 100, 22)], lost)[0]!.elec_kwh).toBe(12);
    expect(p.merge([row("2026-03-02", 100, 100, 22)], undefined)[0]!.elec_kwh).toBe(22);
    // The day before a lost one: its last readings were judged with the next day's first ones.
    expect(p.merge([row("2026-03-02", 100, 100, 22)], undefined, row("2026-03-03", 0, 0))[0]!.elec_kwh).toBe(
      12,
    );
    expect(p.merge([row("2026-03-03", 91, 100, 23)], row("2026-03-02", 0, 0))[0]!.elec_kwh).toBe(23);
    expect(p.keptDays()).toEqual(["2026-03-02"]);
    expect(p.holds("2026-03-02")).toBe(true);
    expect(p.holds("2026-02-28")).toBe(false);
  });

  it("the store's for an open day and for a day never published, and always without a history", () => {
    const p = new PublishedRows();
    const open = { ...row("2026-03-01", 10, 10, 1), closed: false };
    expect(p.merge([open], undefined)[0]).toBe(open);
    p.set(history(published));
    expect(p.merge([open], undefined)[0]).toBe(open);
    const unknown = row("2026-03-04", 0, 0, 0);
    expect(p.merge([unknown], undefined)[0]).toBe(unknown);
  });

  it("a kept row takes the store row's fields in order: one it predates is null, a report's own goes", () => {
    const old = row("2026-03-01", 100, 100, 11) as unknown as Record<string, unknown>;
    delete old.export_kwh;
    delete old.elec_hourly_kwh;
    old.cost = 3.3; // a report adds each row's cost when prices are set; the engine's rows have none
    const p = new PublishedRows();
    p.set(history([old as unknown as DailyRow]));
    const store = row("2026-03-01", 0, 0, 0);
    const [kept] = p.merge([store], undefined);
    expect(Object.keys(kept!)).toEqual(Object.keys(store));
    expect(kept!.export_kwh).toBeNull();
    expect(kept!.elec_hourly_kwh).toEqual(Array.from({ length: 24 }, () => null));
    expect(kept!.elec_kwh).toBe(11);
    expect("cost" in kept!).toBe(false);
    // The same object every time: the builder's plan and JSON writer see at once it is unchanged.
    expect(p.merge([store], undefined)[0]).toBe(kept);
  });

  it("the published buckets for a day answered from the published history, else none", () => {
    const b: DayBuckets = { day: "2026-03-02", startMs: 0, values: {} as DayBuckets["values"] };
    const p = new PublishedRows();
    p.set(history(published, b));
    p.merge([row("2026-03-01", 100, 100), row("2026-03-02", 100, 100), row("2026-03-03", 0, 0)], undefined);
    expect(p.keptDays()).toEqual(["2026-03-02", "2026-03-03"]);
    expect(p.buckets("2026-03-03")).toBe(b);
    expect(p.buckets("2026-03-02")).toBe(b);
    expect(p.buckets("2026-03-01")).toBeNull();
  });

  it("the extent counts the published days before today", () => {
    const p = new PublishedRows();
    expect(p.extent({ first: "2026-03-10", last: "2026-04-05" }, "2026-04-05")).toEqual({
      first: "2026-03-10",
      last: "2026-04-05",
    });
    p.set(history([...published, row("2026-04-05", 100, 100)]));
    expect(p.extent({ first: "2026-03-10", last: "2026-04-05" }, "2026-04-05")).toEqual({
      first: "2026-03-01",
      last: "2026-04-05",
    });
    expect(p.extent(null, "2026-04-05")).toEqual({ first: "2026-03-01", last: "2026-03-03" });
  });
});

describe("a published site read back", () => {
  const report = (kind: string, rows: unknown[], tz = TZ) => JSON.stringify({ kind, tz, rows }, null, 2);

  it("takes closed days with data from the archive's months and the day twins, the day's own twin last", () => {
    const dir = mkdtempSync(join(tmpdir(), "kept-rows-"));
    const site = join(dir, "site");
    const archive = join(dir, "archive");
    for (const d of [join(site, "day"), join(site, "archive"), archive]) mkdirSync(d, { recursive: true });
    writeFileSync(
      join(archive, "2026-02.json"),
      report("month", [
        row("2026-02-27", 100, 100, 1),
        row("2026-02-28", 0, 0),
        row("2026-02-26", 100, 100, 2),
      ]),
    );
    writeFileSync(join(site, "day", "2026-02-27.json"), report("day", [row("2026-02-27", 100, 100, 3)]));
    // Another zone's days (REPORT_TZ changed), an open day, a broken file, another folder's JSON.
    writeFileSync(join(site, "day", "2026-03-01.json"), report("day", [row("2026-03-01", 100, 100)], "UTC"));
    writeFileSync(
      join(site, "day", "2026-03-02.json"),
      report("day", [{ ...row("2026-03-02", 50, 50), closed: false }]),
    );
    writeFileSync(join(site, "day", "2026-03-03.json"), "{");
    writeFileSync(join(site, "day", "index.json"), report("day", [row("2026-03-04", 100, 100)]));
    const h = readSiteHistory(site, archive, TZ);
    expect([...h.rows.keys()].sort()).toEqual(["2026-02-26", "2026-02-27"]);
    expect(h.rows.get("2026-02-27")!.elec_kwh).toBe(3);
    expect(Object.isFrozen(h.rows.get("2026-02-26"))).toBe(true);
    expect(h.buckets("2026-02-27")).toBeNull();
  });

  it("reads a day's five-minute buckets from its CSV twin by column name", () => {
    const csv =
      "time,local_time,power_w,heat_w,flow_c,cop,unknown\r\n" +
      "2026-03-01T23:00:00Z,2026-03-02T00:00:00+01:00,1200.5,,35.1,3.25,x\r\n" +
      "2026-03-01T23:05:00Z,2026-03-02T00:05:00+01:00,,4000,-2.5,,y\r\n";
    const b = bucketsFromCsv("2026-03-02", csv)!;
    expect(b.startMs).toBe(Date.parse("2026-03-01T23:00:00Z"));
    expect(b.values.power_w).toEqual([1200.5, null]);
    expect(b.values.heat_w).toEqual([null, 4000]);
    expect(b.values.flow_c).toEqual([35.1, -2.5]);
    expect(b.values.cop).toEqual([3.25, null]);
    // A column the file predates.
    expect(b.values.defrost).toEqual([null, null]);
    expect(bucketsFromCsv("2026-03-02", "day,elec_kwh\r\n2026-03-02,3\r\n")).toBeNull();
    expect(bucketsFromCsv("2026-03-02", "")).toBeNull();
  });
});

describe("what the plan says", () => {
  it("the kept days once, again only when they change", () => {
    const reports = {} as Reports;
    const logger = memoryLogger();
    sayKept(reports, [], logger);
    sayKept(reports, ["2026-02-20", "2026-02-21"], logger);
    sayKept(reports, ["2026-02-20", "2026-02-21"], logger);
    sayKept(reports, ["2026-02-20", "2026-02-21", "2026-02-22"], logger);
    sayKept(reports, [], logger);
    expect(logger.lines).toHaveLength(3);
    expect(logger.lines[0]).toContain(
      "kept the published figures of 2 days (2026-02-20 to 2026-02-21) the store now holds less data for",
    );
    expect(logger.lines[1]).toContain("of 3 days (2026-02-20 to 2026-02-22)");
    expect(logger.lines[2]).toContain("the store holds every published day again");
  });
});
