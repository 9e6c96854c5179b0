import { describe, expect, it } from "vitest";
import { emptyAlertFile, type AlertFile } from "../../../core/src/alerts/state-file.ts";
import { alertBanner, alertsJson, alertsView } from "../../src/lib/alerts-view.ts";

const TZ = "Europe/Berlin";
const T0 = Date.parse("2026-03-29T12:00:00Z"); // 14:00 in Berlin
const MIN = 60_000;

const file: AlertFile = {
  ...emptyAlertFile("builder"),
  checkedMs: T0,
  channels: ["ntfy"],
  open: [
    {
      condition: "device_fault",
      severity: "critical",
      title: "Heat pump fault F.1100",
      message: "The heat pump reports F.1100.",
      key: "F.1100",
      openedMs: T0 - 90 * MIN,
      toldMs: T0 - 90 * MIN,
      own: true,
    },
    {
      condition: "disk_low",
      severity: "critical",
      title: "Disk almost full",
      message: "0.4 GB free",
      openedMs: T0 - 26 * 60 * MIN,
      toldMs: T0 - 2 * MIN,
      own: false,
    },
  ],
  past: [
    {
      condition: "meter_silent",
      severity: "warning",
      title: "Electricity meter silent",
      message: "No reading since 09:00:00.",
      openedMs: T0 - 5 * 60 * MIN,
      resolvedMs: T0 - 4 * 60 * MIN - 48 * MIN,
      own: true,
    },
  ],
  checks: [
    { condition: "short_cycling", status: "unknown", message: "Too few readings.", atMs: T0, own: true },
  ],
};
const data = { state: file, tz: TZ, builtAtMs: T0 + 5 * MIN };

describe("the alerts on the site", () => {
  it("the dashboard's banner names each open alert with its start, in the report zone", () => {
    // 26 h before 14:00 CEST on 29 March is 10:00 UTC on the 28th: 11:00 CET, before the clocks went forward.
    expect(alertBanner(data)).toBe(
      "2 alerts open: Heat pump fault F.1100 (since 12:30:00); Disk almost full (since 28 Mar 11:00:00).",
    );
    expect(alertBanner({ ...data, state: { ...file, open: [] } })).toBeNull();
    expect(alertBanner(undefined)).toBeNull();
    expect(alertBanner({ ...data, state: null })).toBeNull();
  });

  it("the page: open alerts, what is watched, past alerts; absolute times", () => {
    const v = alertsView(data);
    expect(v.sub).toBe(
      "Judged 14:00:00 (Europe/Berlin), after the build before this one. Notifications go to ntfy.",
    );
    expect(v.open).toEqual([
      {
        head: "Critical: Heat pump fault F.1100",
        since: "Since 12:30:00, 1 h 30 min by then",
        message: "The heat pump reports F.1100.",
      },
      {
        head: "Critical: Disk almost full",
        since: "Since 28 Mar 11:00:00, 26 h by then; told by the collector",
        message: "0.4 GB free",
      },
    ]);
    expect(v.checks).toEqual([
      {
        head: "Compressor short-cycling",
        cells: [
          "Not known",
          "14:00:00",
          "Too few readings.",
          "ALERT_SHORT_CYCLING_STARTS_PER_H, ALERT_SHORT_CYCLING_HOURS",
        ],
      },
    ]);
    expect(v.past).toEqual([
      { head: "Electricity meter silent", cells: ["Warning", "09:00:00", "09:12:00", "12 min"] },
    ]);
    expect(alertsView({ ...data, state: null }).sub).toBe(
      "Not judged yet: the builder judges the alerts after each build.",
    );
  });

  it("the JSON twin: the same in UTC", () => {
    expect(alertsJson(data)).toMatchObject({
      judged_at: "2026-03-29T12:00:00.000Z",
      channels: ["ntfy"],
      open: [
        { condition: "device_fault", opened_at: "2026-03-29T10:30:00.000Z", judged_by: "builder" },
        { condition: "disk_low", opened_at: "2026-03-28T10:00:00.000Z", judged_by: "collector" },
      ],
      past: [
        {
          condition: "meter_silent",
          opened_at: "2026-03-29T07:00:00.000Z",
          resolved_at: "2026-03-29T07:12:00.000Z",
        },
      ],
    });
  });
});
