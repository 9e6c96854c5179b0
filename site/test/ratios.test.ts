/**
 * Ratios are ratios of sums, in every table the site renders. A site is built with the real report
 * engine from 40 days of simulated history (to Monday 30 March 2026, 14:30 in Berlin, so it holds
 * the 23-hour day, closed and open weeks and months, an archived February and a season in
 * progress). Then every table of every page is read back, and each COP (or SPF) in it is checked
 * against Σ heat / Σ electricity of the same rows: the days of the JSON twins (days on which both
 * are known) for a day, week, month or season; the five-minute buckets of the day's CSV for an
 * hour. Never a mean of shorter COPs.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../core/src/effects.ts";
import { writeHistory } from "../../collector/simulator/history.ts";
import { createReports } from "../../reports/src/index.ts";
import type { DailyRow, PeriodKind, PeriodReport } from "../../reports/src/types.ts";
import { buildSite } from "../builder/build.ts";
import { loadSiteConfig } from "../builder/config.ts";
import { listFiles } from "../builder/publish.ts";
import { localMidnight } from "./fixtures/fake-reports.ts";
import { dayList } from "../../core/src/time.ts";

const TZ = "Europe/Berlin";
const END = "2026-03-30";
const NOW = localMidnight(END, TZ) + 14.5 * 3_600_000;
const DAYS = dayList("2026-02-19", END);
/** Every day a table may name: the season so far (days before the data have no row, so no COP). */
const CALENDAR = dayList("2025-07-01", END);

let site = "";
const rows = new Map<string, DailyRow>();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "site-ratios-"));
  const history = join(dir, "history.lp");
  await writeHistory({ days: DAYS.length, end: END, seed: 11, out: history, tz: TZ });
  const reports = createReports({
    env: { LOCAL_SOURCE: history, REPORT_TZ: TZ, DATA_DIR: dir },
    now: () => NOW,
    noDiskCache: true,
  });
  site = join(dir, "site");
  const config = loadSiteConfig({ DATA_DIR: dir });
  await buildSite({ reports, config, clock: { now: () => NOW }, logger: memoryLogger(), secrets: [] });
  await reports.close();
  // Every day's row, from its page's JSON twin.
  for (const d of DAYS) {
    const r = JSON.parse(readFileSync(join(site, `day/${d}.json`), "utf8")) as PeriodReport;
    rows.set(d, r.rows[0]!);
  }
}, 240_000);

/** Σ heat / Σ electricity over the days on which both are known. */
function copOf(days: readonly string[]): number | null {
  let heat = 0;
  let elec = 0;
  for (const d of days) {
    const r = rows.get(d);
    if (!r || r.heat_kwh === null || r.elec_kwh === null) continue;
    heat += r.heat_kwh;
    elec += r.elec_kwh;
  }
  return elec > 0 ? heat / elec : null;
}

/*
 * The days of a week, month or season, worked out here from the calendar (never by the report
 * engine's own period code): ISO weeks from Monday (week 1 holds 4 January), seasons from 1 July to
 * 30 June.
 */
const DAY_MS = 86_400_000;
const utc = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Monday of ISO week 1 of `year`. */
const week1 = (year: number) => {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
};
function periodOf(kind: PeriodKind, d: string): string {
  if (kind === "day") return d;
  if (kind === "month") return d.slice(0, 7);
  const y = Number(d.slice(0, 4));
  if (kind === "season") {
    const from = Number(d.slice(5, 7)) >= 7 ? y : y - 1;
    return `${from}-${String((from + 1) % 100).padStart(2, "0")}`;
  }
  // The ISO year is the one whose week 1 starts on or before the day.
  const year = utc(d) >= week1(y + 1) ? y + 1 : utc(d) >= week1(y) ? y : y - 1;
  const w = Math.floor((utc(d) - week1(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(w).padStart(2, "0")}`;
}
function periodDays(kind: PeriodKind, id: string): { first: string; last: string } {
  if (kind === "day") return { first: id, last: id };
  if (kind === "week") {
    const first = week1(Number(id.slice(0, 4))) + (Number(id.slice(6)) - 1) * 7 * DAY_MS;
    return { first: iso(first), last: iso(first + 6 * DAY_MS) };
  }
  if (kind === "month") {
    const [y, m] = id.split("-").map(Number) as [number, number];
    return { first: `${id}-01`, last: iso(Date.UTC(y, m, 0)) };
  }
  const from = Number(id.slice(0, 4));
  return { first: `${from}-07-01`, last: `${from + 1}-06-30` };
}
/** The period before `id`: the one holding the day before its first. */
const previousPeriod = (kind: PeriodKind, id: string) =>
  periodOf(kind, iso(utc(periodDays(kind, id).first) - DAY_MS));

const upToNow = (kind: PeriodKind, id: string) => {
  const { first, last } = periodDays(kind, id);
  return dayList(first, last < END ? last : END);
};

const short = (d: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC",
    weekday: "short",
    day: "numeric",
    month: "short",
  }).format(new Date(`${d}T12:00:00Z`));
const long = (m: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "long", year: "numeric" }).format(
    new Date(`${m}-15T12:00:00Z`),
  );

/** The days each row heading names: a day (`2026-03-29`, `Sun 29 Mar`, `Sun 29 Mar 2026`), a week, month or season. */
const NAMED = new Map<string, string[]>();
function namesOnce(): Map<string, string[]> {
  if (NAMED.size) return NAMED;
  for (const d of CALENDAR) for (const n of [d, short(d), `${short(d)} ${d.slice(0, 4)}`]) NAMED.set(n, [d]);
  for (const kind of ["week", "month", "season"] as const)
    for (const id of new Set(CALENDAR.map((d) => periodOf(kind, d)))) {
      const name =
        kind === "week"
          ? `Week ${Number(id.slice(6))}, ${id.slice(0, 4)}`
          : kind === "month"
            ? long(id)
            : id.replace("-", "/");
      NAMED.set(name, upToNow(kind, id));
    }
  return NAMED;
}
/**
 * The days a row heading names. A period still going on at the time of the build (it holds END) is
 * named with " (so far)", and only such a period: its sums are not yet the whole period's.
 */
function daysNamed(head: string, where: string): string[] | null {
  const soFar = head.endsWith(" (so far)");
  const days = namesOnce().get(soFar ? head.slice(0, -" (so far)".length) : head) ?? null;
  if (days) expect(soFar, `${where}: "(so far)" exactly on a period in progress`).toBe(days.includes(END));
  return days;
}

/**
 * Hour starts (ms) of a day's five-minute buckets with Σ heat and Σ electricity where both are known,
 * from its CSV.
 */
function hoursOf(day: string): { label: string; cop: number | null }[] {
  const [header, ...lines] = readFileSync(join(site, `day/${day}.csv`), "utf8")
    .trim()
    .split("\r\n");
  const col = header!.split(",");
  const at = (name: string) => col.indexOf(name);
  const hours = new Map<string, { heat: number; elec: number; ran: boolean }>();
  const label = (ms: number) =>
    new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .format(new Date(ms))
      .replace(/:\d\d$/, ":00");
  for (const line of lines) {
    const v = line.split(",");
    const key = label(Date.parse(v[at("time")]!));
    const e = hours.get(key) ?? { heat: 0, elec: 0, ran: false };
    hours.set(key, e);
    if (v[at("cop")] !== "") e.ran = true;
    if (v[at("heat_w")] === "" || v[at("power_w")] === "") continue;
    e.heat += Number(v[at("heat_w")]);
    e.elec += Number(v[at("power_w")]);
  }
  return [...hours].map(([l, e]) => ({ label: l, cop: e.ran && e.elec > 0 ? e.heat / e.elec : null }));
}

const cellValue = (text: string) => (text === "–" ? null : Number(text.replace(/,/g, "")));

/** A displayed COP (2 decimals) against the exact ratio: rounding once more may move it by 0.01. */
function expectCop(where: string, shown: string, expected: number | null) {
  const v = cellValue(shown);
  if (expected === null) expect(v, where).toBeNull();
  else {
    expect(v, where).not.toBeNull();
    expect(Math.abs(v! - expected), `${where}: ${shown} vs ${expected.toFixed(4)}`).toBeLessThanOrEqual(
      0.0101,
    );
  }
}

interface Table {
  columns: string[];
  rows: { head: string; cells: string[] }[];
}

function tablesOf(rel: string): Table[] {
  const { document } = parseHTML(readFileSync(join(site, rel), "utf8"));
  return [...document.querySelectorAll("table:not(.cal-grid)")].map((t) => ({
    columns: [...t.querySelectorAll("thead th")].map((th) => th.textContent!.trim()),
    rows: [...t.querySelectorAll("tbody tr")].map((tr) => ({
      head: tr.querySelector("th")?.textContent!.trim() ?? "",
      cells: [...tr.querySelectorAll("td")].map((td) => td.textContent!.trim()),
    })),
  }));
}

describe("every COP in every table is Σ heat / Σ electricity of the same rows or buckets", () => {
  it("checks tables with a COP on every kind of page (the walk below is not empty)", () => {
    const pages = listFiles(site).filter((f) => f.endsWith(".html"));
    const kinds = new Set(
      pages
        .filter((p) => tablesOf(p).some((t) => t.columns.includes("COP") || t.columns.includes("SPF")))
        .map((p) => p.split("/")[0]),
    );
    expect([...kinds].sort()).toEqual(["archive", "day", "index.html", "month", "season", "week"]);
  });

  it("row by row: days, hours, weeks, months and seasons", () => {
    let checked = 0;
    for (const page of listFiles(site).filter((f) => f.endsWith(".html"))) {
      const day = /^day\/(\d{4}-\d{2}-\d{2})\//.exec(page)?.[1];
      for (const t of tablesOf(page)) {
        const k = t.columns.findIndex((c) => c === "COP" || c === "SPF");
        if (k < 0) continue;
        const hours = t.columns[0] === "Hour" && day ? hoursOf(day) : null;
        t.rows.forEach((row, i) => {
          const where = `${page} [${t.columns.join("|")}] ${row.head}`;
          if (hours) {
            // Hours in order; the label says which.
            expect(row.head, where).toBe(hours[i]!.label);
            expectCop(where, row.cells[k - 1]!, hours[i]!.cop);
          } else {
            const days = daysNamed(row.head, where);
            expect(days, where).not.toBeNull();
            expectCop(where, row.cells[k - 1]!, copOf(days!));
          }
          checked++;
        });
      }
    }
    expect(checked).toBeGreaterThan(300);
  }, 180_000); // every table of every page parsed: a minute or more on a busy machine

  it("the comparison tables: this period's compared days and the previous period's", () => {
    let checked = 0;
    for (const page of listFiles(site).filter((f) =>
      /^(day|week|month|season)\/[^/]+\/index\.html$/.test(f),
    )) {
      const [kind, id] = page.split("/") as [PeriodKind, string];
      const report = JSON.parse(readFileSync(join(site, `${kind}/${id}.json`), "utf8")) as PeriodReport;
      const t = tablesOf(page).find((x) => x.columns[3] === "Change");
      if (!t) continue;
      const cop = t.rows.find((r) => r.head === "COP")!;
      const prev = previousPeriod(kind, id);
      // In progress: the first N complete days of each, N the days before today (at most as many as
      // the previous period has); closed: all of this one's and the previous one's.
      const inProgress = upToNow(kind, id).includes(END);
      const n = inProgress
        ? Math.min(
            upToNow(kind, id).length - 1,
            dayList(periodDays(kind, prev).first, periodDays(kind, prev).last).length,
          )
        : undefined;
      expect(report.progress?.compared_days, page).toBe(n);
      const now = n === undefined ? upToNow(kind, id) : upToNow(kind, id).slice(0, n);
      const before = n === undefined ? upToNow(kind, prev) : upToNow(kind, prev).slice(0, n);
      expectCop(`${page} now`, cop.cells[0]!, copOf(now));
      expectCop(`${page} previous`, cop.cells[1]!, copOf(before));
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  }, 180_000); // every table of every page parsed: a minute or more on a busy machine

  it("the calendar: each day's COP in its cell and title", () => {
    const { document } = parseHTML(readFileSync(join(site, "day/index.html"), "utf8"));
    const cells = [...document.querySelectorAll("a.cal")];
    expect(cells).toHaveLength(DAYS.length);
    for (const a of cells) {
      const d = /\/day\/([\d-]+)\//.exec(a.getAttribute("href")!)![1]!;
      expectCop(`calendar ${d}`, a.querySelector(".v")!.textContent!, copOf([d]));
      expectCop(`calendar title ${d}`, /COP ([\d.–]+)/.exec(a.getAttribute("title")!)![1]!, copOf([d]));
    }
  });

  it("negative numbers in the pages' text (figures, tables, chart titles) carry the minus sign U+2212", () => {
    let negatives = 0;
    for (const page of listFiles(site).filter((f) => f.endsWith(".html"))) {
      const { document } = parseHTML(readFileSync(join(site, page), "utf8"));
      const text = document.body.textContent ?? "";
      // An ASCII hyphen that starts a number (not the one inside 2026-03-29 or 2025-26).
      expect(text.match(/(^|[^\w-])-\d[\d.,]*/g), page).toBeNull();
      negatives += (text.match(/\u2212\d/g) ?? []).length;
    }
    // February nights are below zero: there are negative figures to get right.
    expect(negatives).toBeGreaterThan(0);
  });
});
