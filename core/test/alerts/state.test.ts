import { describe, expect, it } from "vitest";
import { advance, type AlertState, duration, emptyState, type Judgment } from "../../src/alerts/state.ts";

const T0 = Date.parse("2026-03-29T12:00:00Z");
const MIN = 60_000;
const H = 60 * MIN;
const REMIND = { remindMs: 24 * H };

const silent = (open: boolean | null, extra: Partial<Judgment> = {}): Judgment => ({
  condition: "meter_silent",
  open,
  severity: "warning",
  title: "Electricity meter silent",
  message: open ? "No reading since 11:48." : "Newest reading 13:59.",
  ...extra,
});

/** A state that has judged once already (so no first-start summary). */
const judged: AlertState = { ...emptyState(), checkedMs: T0 - MIN };

describe("the alert state machine", () => {
  it("opens once, stays quiet while open, reminds after a day, resolves once saying how long", () => {
    let s = judged;
    const step = (j: Judgment, at: number) => {
      const r = advance(s, [j], at, REMIND);
      s = r.state;
      return r.notices.map((n) => `${n.kind}: ${n.title}`);
    };
    expect(step(silent(true, { sinceMs: T0 - 12 * MIN }), T0)).toEqual(["opened: Electricity meter silent"]);
    expect(s.open).toHaveLength(1);
    expect(s.open[0]!.openedMs).toBe(T0 - 12 * MIN);
    expect(step(silent(true), T0 + MIN)).toEqual([]);
    expect(step(silent(true), T0 + 24 * H - 1)).toEqual([]);
    // 24 h after it was told, not after it began.
    expect(step(silent(true), T0 + 24 * H)).toEqual(["reminder: Electricity meter silent"]);
    expect(step(silent(true), T0 + 25 * H)).toEqual([]);
    const r = advance(s, [silent(false)], T0 + 26 * H - 12 * MIN, REMIND);
    expect(r.notices).toHaveLength(1);
    // Opened at T0 - 12 min, resolved at T0 + 26 h - 12 min: 26 h.
    expect(r.notices[0]).toMatchObject({
      kind: "resolved",
      title: "Resolved: Electricity meter silent",
      openedMs: T0 - 12 * MIN,
      resolvedMs: T0 + 26 * H - 12 * MIN,
    });
    expect(r.notices[0]!.message).toBe(
      "Resolved after 26 h: Electricity meter silent. Newest reading 13:59.",
    );
    expect(r.state.open).toEqual([]);
    expect(r.state.past[0]).toMatchObject({ condition: "meter_silent", resolvedMs: T0 + 26 * H - 12 * MIN });
    expect(advance(r.state, [silent(false)], T0 + 27 * H, REMIND).notices).toEqual([]);
  });

  it("a judgment that cannot tell keeps the state, open or not", () => {
    const open = advance(judged, [silent(true)], T0, REMIND).state;
    const kept = advance(open, [silent(null, { message: "no data" })], T0 + H, REMIND);
    expect(kept.notices).toEqual([]);
    expect(kept.state.open).toHaveLength(1);
    expect(kept.state.checks[0]).toMatchObject({ status: "open", message: "No reading since 11:48." });
    const unknown = advance(judged, [silent(null, { message: "no data" })], T0, REMIND);
    expect(unknown.state.open).toEqual([]);
    expect(unknown.state.checks[0]).toMatchObject({ status: "unknown", message: "no data" });
  });

  it("the first judging tells two or more open alerts in one summary, one alert as itself", () => {
    const fault: Judgment = {
      condition: "device_fault",
      open: true,
      severity: "critical",
      title: "Heat pump fault F.1100",
      message: "The heat pump reports F.1100.",
    };
    const first = advance(emptyState(), [silent(true), fault], T0, REMIND);
    expect(first.notices.map((n) => [n.kind, n.severity, n.title])).toEqual([
      ["summary", "critical", "2 alerts open"],
    ]);
    expect(first.notices[0]!.message).toContain("- Heat pump fault: Heat pump fault F.1100.");
    expect(first.state.open.map((a) => a.condition)).toEqual(["meter_silent", "device_fault"]);
    expect(advance(emptyState(), [silent(true)], T0, REMIND).notices.map((n) => n.kind)).toEqual(["opened"]);
    // Later, two at once are two notices.
    expect(advance(judged, [silent(true), fault], T0, REMIND).notices.map((n) => n.kind)).toEqual([
      "opened",
      "opened",
    ]);
  });

  it("a new key or a higher severity while open is told once; the other program's alerts never", () => {
    const fault = (codes: string, severity: "warning" | "critical"): Judgment => ({
      condition: "device_fault",
      open: true,
      severity,
      title: `Heat pump fault ${codes}`,
      message: codes,
      key: codes,
    });
    let s = advance(judged, [fault("A.11", "warning")], T0, REMIND).state;
    const same = advance(s, [fault("A.11", "warning")], T0 + MIN, REMIND);
    expect(same.notices).toEqual([]);
    const more = advance(same.state, [fault("A.11,F.454", "warning")], T0 + 2 * MIN, REMIND);
    expect(more.notices.map((n) => [n.kind, n.title, n.openedMs])).toEqual([
      ["changed", "Heat pump fault A.11,F.454", T0],
    ]);
    s = more.state;
    const worse = advance(s, [{ ...fault("A.11,F.454", "critical") }], T0 + 3 * MIN, REMIND);
    expect(worse.notices.map((n) => [n.kind, n.severity])).toEqual([["changed", "critical"]]);

    const mirrored = (open: boolean): Judgment => ({ ...silent(open), condition: "disk_low", own: false });
    const opened = advance(judged, [mirrored(true)], T0, REMIND);
    expect(opened.notices).toEqual([]);
    expect(opened.state.open[0]).toMatchObject({ condition: "disk_low", own: false });
    const resolved = advance(opened.state, [mirrored(false)], T0 + H, REMIND);
    expect(resolved.notices).toEqual([]);
    expect(resolved.state.past[0]).toMatchObject({ condition: "disk_low", resolvedMs: T0 + H });
  });

  it("no reminders when they are switched off (ALERT_REMIND_H=0)", () => {
    const s = advance(judged, [silent(true)], T0, { remindMs: 0 }).state;
    expect(advance(s, [silent(true)], T0 + 30 * 24 * H, { remindMs: 0 }).notices).toEqual([]);
  });

  it("says how long in words", () => {
    expect(duration(45_000)).toBe("45 s");
    expect(duration(12 * MIN)).toBe("12 min");
    expect(duration(72 * MIN)).toBe("1 h 12 min");
    expect(duration(26 * H)).toBe("26 h");
    expect(duration(76 * H)).toBe("3 days 4 h");
  });
});
