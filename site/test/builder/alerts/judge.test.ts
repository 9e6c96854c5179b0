import { describe, expect, it } from "vitest";
import { loadAlertSettings } from "../../../../core/src/alerts/settings.ts";
import { addDays } from "../../../../core/src/time.ts";
import type { DailyRow, Status, StatusValue } from "../../../../reports/src/types.ts";
import { judgeCopLow, seasonStart } from "../../../builder/alerts/cop-low.ts";
import type { FactPoint } from "../../../builder/alerts/facts.ts";
import {
  judgeDeviceFault,
  judgeShortCycling,
  judgeSilences,
  mirrorCollector,
} from "../../../builder/alerts/judge.ts";

const TZ = "Europe/Berlin";
const T0 = Date.parse("2026-03-29T12:00:00Z"); // 14:00 in Berlin
const MIN = 60_000;
const H = 60 * MIN;
const s = loadAlertSettings({});

const value = (timeMs: number | null): StatusValue => ({ value: 1, unit: "", timeMs, ageS: null });
/** The status fields the silences read; the others play no part. */
const status = (meterMs: number | null, hpMs: number | null): Status =>
  ({
    nowMs: T0,
    tz: TZ,
    power_w: value(meterMs),
    outside_c: value(hpMs),
    flow_c: value(hpMs === null ? null : hpMs - 5 * MIN),
    return_c: value(null),
    dhw_c: value(null),
    compressor_on: value(null),
  }) as unknown as Status;
const point = (timeMs: number, fields: FactPoint["fields"]): FactPoint => ({ timeMs, tags: {}, fields });

describe("silences", () => {
  it("the meter after 10 minutes, the heat pump after 3 polls, with the collector's reason", () => {
    const reason = point(T0 - 2 * MIN, { open: 1, message: "the day's call budget is spent" });
    const [meter, hp] = judgeSilences(status(T0 - 11 * MIN, T0 - 16 * MIN), {
      settings: s,
      hpIntervalMs: 300_000,
      tz: TZ,
      reason,
    });
    expect(meter).toMatchObject({ condition: "meter_silent", open: true, sinceMs: T0 - 11 * MIN });
    expect(meter!.message).toMatch(
      /^No reading from the Shelly since 13:49:00 \(11 min; the limit is 10 min\)\./,
    );
    expect(meter!.message).toContain("Both the meter and the heat pump are silent");
    expect(hp).toMatchObject({ condition: "heatpump_silent", open: true, sinceMs: T0 - 16 * MIN });
    expect(hp!.message).toMatch(
      new RegExp(
        /^No heat pump reading since 13:44:00 \(16 min; the limit is 3 polls of 5 min\)\. /.source +
          /The collector says: the day's call budget is spent\./.source,
      ),
    );
    // 15 min is not beyond 3 polls of 5 min; a reason 20 min old is not the collector's word now.
    const [fine, quiet] = judgeSilences(status(T0 - 10 * MIN, T0 - 15 * MIN), {
      settings: s,
      hpIntervalMs: 300_000,
      tz: TZ,
      reason: { ...reason, timeMs: T0 - 20 * MIN },
    });
    expect(fine).toMatchObject({ open: false, message: "Newest reading 13:50:00." });
    expect(quiet).toMatchObject({ open: false, message: "Newest reading 13:45:00." });
    const [, why] = judgeSilences(status(T0, T0 - 16 * MIN), {
      settings: s,
      hpIntervalMs: 300_000,
      tz: TZ,
      reason: { ...reason, timeMs: T0 - 20 * MIN },
    });
    expect(why!.message).toContain("The collector has not said why (is it running?).");
    // No reading in the store at all: cannot tell (an open silence stays open).
    expect(
      judgeSilences(status(null, null), {
        settings: s,
        hpIntervalMs: 300_000,
        tz: TZ,
        reason: undefined,
      }).map((j) => j.open),
    ).toEqual([null, null]);
  });
});

describe("device_fault", () => {
  const msg = (fields: FactPoint["fields"]) => point(T0 - MIN, fields);
  it("opens with the device's codes, critical for a criticalError; absent is not reported, never 'no fault'", () => {
    const fault = judgeDeviceFault(
      msg({
        errors_reported: 1,
        error_codes: "F.1100",
        errors: "F.1100 (criticalError, since 2000-07-22T20:37:44.000Z)",
        warning_codes: "",
      }),
      s,
      TZ,
      T0,
    );
    expect(fault).toMatchObject({
      open: true,
      severity: "critical",
      title: "Heat pump fault F.1100",
      key: "F.1100",
    });
    expect(fault.message).toMatch(
      /^The heat pump reports F\.1100 \(criticalError, since 2000-07-22T20:37:44\.000Z\)\./,
    );
    const warning = judgeDeviceFault(
      msg({ errors_reported: 0, error_codes: "", errors: "", warning_codes: "A.11" }),
      s,
      TZ,
      T0,
    );
    expect(warning).toMatchObject({ open: true, severity: "warning", title: "Heat pump fault A.11" });
    expect(judgeDeviceFault(null, s, TZ, T0)).toMatchObject({ open: null });
    expect(
      judgeDeviceFault(
        msg({ errors_reported: 1, error_codes: "", errors: "", warning_codes: "" }),
        s,
        TZ,
        T0,
      ),
    ).toEqual(expect.objectContaining({ open: false, message: "No active error (13:59:00)." }));
    expect(
      judgeDeviceFault(msg({ errors_reported: 0, error_codes: "", warning_codes: "" }), s, TZ, T0),
    ).toMatchObject({
      open: false,
      status: "unknown",
    });
    const ignoring = loadAlertSettings({ ALERT_DEVICE_FAULT_IGNORE: "F.1100" });
    expect(
      judgeDeviceFault(
        msg({ errors_reported: 1, error_codes: "F.1100", warning_codes: "" }),
        ignoring,
        TZ,
        T0,
      ).open,
    ).toBe(false);
  });
});

describe("short_cycling", () => {
  /** Readings every 10 s: off (20 W) for `offMin`, then on (1500 W) for `onMin`, from 6 h 10 min back. */
  function cycles(offMin: number, onMin: number, fromMs = T0 - 6 * H - 10 * MIN) {
    const t: number[] = [];
    const w: number[] = [];
    const period = (offMin + onMin) * MIN;
    for (let x = fromMs; x < T0; x += 10_000) {
      t.push(x);
      w.push((x - fromMs) % period >= offMin * MIN ? 1500 : 20);
    }
    return { t, w };
  }
  const o = { settings: s, thresholdW: 100, elecIntervalMs: 10_000 };

  it("opens beyond 3 starts an hour over the last 6 hours, counted as the day page counts starts", () => {
    // A start every 10 min at offsets 6, 16, ... min from 6 h 10 min back: 36 inside the window.
    expect(judgeShortCycling(cycles(6, 4), T0, o)).toMatchObject({
      open: true,
      message: expect.stringMatching(
        /^36 compressor starts in the last 6 h \(6\.0 an hour; the limit is 3\), counted/,
      ) as unknown,
    });
    // A start every 20 min: 18 starts, 3.0 an hour, not beyond the limit.
    expect(judgeShortCycling(cycles(14, 6), T0, o)).toMatchObject({
      open: false,
      message: "18 compressor starts in the last 6 h (3.0 an hour; the limit is 3).",
    });
    // One hour of readings in a six-hour window: too few to tell.
    expect(judgeShortCycling(cycles(6, 4, T0 - H), T0, o).open).toBeNull();
  });
});

describe("cop_low", () => {
  /** A closed day with space heating whose COP is `cop` at `outside` °C. */
  const row = (day: string, outside: number, cop: number, heat = 30): DailyRow =>
    ({
      day,
      closed: true,
      cop_heating: cop,
      outside_mean_c: outside,
      heat_heating_kwh: heat,
    }) as unknown as DailyRow;
  /** 20 days of a season on the line COP = 3 + 0.1 × outside, outside −5 to +14 °C. */
  const season = Array.from({ length: 20 }, (_, i) =>
    row(addDays("2026-01-01", i), i - 5, 3 + 0.1 * (i - 5)),
  );

  it("a day below 75 % of what the season's line predicts at its outside temperature", () => {
    // At 0 °C the line predicts 3.0; 2.1 is 70 %.
    const low = judgeCopLow([...season, row("2026-01-21", 0, 2.1)], "2026-01-19", s);
    expect(low).toMatchObject({
      open: true,
      title: "Low COP on 2026-01-21",
      key: "2026-01-21",
      severity: "info",
    });
    expect(low.message).toMatch(
      new RegExp(
        /^Space-heating COP 2\.10 on 2026-01-21 at 0\.0 °C outside: /.source +
          /70 % of the 3\.00 the season's 20 earlier days predict \(the limit is 75 %\)/.source,
      ),
    );
    expect(judgeCopLow([...season, row("2026-01-21", 0, 2.4)], "2026-01-19", s)).toMatchObject({
      open: false,
    });
    // Days with little space heating are left out: the judged day is the newest usable one.
    expect(
      judgeCopLow([...season, row("2026-01-21", 0, 2.4), row("2026-01-22", 0, 1, 1)], "2026-01-19", s).open,
    ).toBe(false);
    // Too few days in the season yet.
    expect(judgeCopLow([...season.slice(0, 13), row("2026-01-14", 0, 2.1)], "2026-01-12", s)).toMatchObject({
      open: false,
      status: "unknown",
    });
    // No recent day with heating: the state stays as it is.
    expect(judgeCopLow(season, "2026-02-01", s).open).toBeNull();
    expect(seasonStart("2026-03-29")).toBe("2025-07-01");
    expect(seasonStart("2026-07-01")).toBe("2026-07-01");
  });
});

describe("the collector's conditions, mirrored", () => {
  it("open while its newest point says so and is fresh; unknown when stale or missing; never told again", () => {
    const p = (open: number, ageMin: number) =>
      point(T0 - ageMin * MIN, {
        open,
        severity: "critical",
        title: "Disk almost full",
        message: "0.4 GB free",
      });
    const judged = (points: [string, FactPoint][]) => mirrorCollector(new Map(points), T0, TZ);
    // Every condition the collector judges, in the catalogue's order.
    const [aux, delivery, login, disk] = judged([["disk_low", p(1, 4)]]);
    expect(delivery).toMatchObject({ condition: "delivery", open: null, own: false });
    expect(aux).toMatchObject({ condition: "aux_meter_silent", open: null, own: false });
    expect(login).toMatchObject({ condition: "login_expiring", open: null });
    expect(disk).toMatchObject({
      condition: "disk_low",
      open: true,
      own: false,
      severity: "critical",
      message: "0.4 GB free (the collector, 13:56:00)",
    });
    expect(judged([["disk_low", p(1, 16)]])[3]!.open).toBeNull();
    expect(judged([["disk_low", p(0, 60)]])[3]!.open).toBe(false);
  });
});
