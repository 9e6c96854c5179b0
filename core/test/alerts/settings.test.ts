import { describe, expect, it } from "vitest";
import { alertSecrets, loadAlertSettings } from "../../src/alerts/settings.ts";
import { redact } from "../../src/effects.ts";
import type { ConfigError } from "../../src/env.ts";

const problems = (env: Record<string, string>) => {
  try {
    loadAlertSettings(env);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe("alert settings", () => {
  it("has a default for every threshold, which a variable overrides", () => {
    const d = loadAlertSettings({});
    expect(d).toMatchObject({
      ntfy: undefined,
      webhook: undefined,
      timeoutMs: 20_000,
      remindMs: 86_400_000,
      meterSilentMs: 600_000,
      heatpumpSilentPolls: 3,
      deliveryMs: 1_800_000,
      shortCyclingStartsPerH: 3,
      shortCyclingHours: 6,
      copLowPct: 75,
      copLowDays: 14,
      loginDays: 14,
      diskMinPct: 5,
      diskMinBytes: 1e9,
    });
    const s = loadAlertSettings({
      ALERT_METER_SILENT_MIN: "20",
      ALERT_HEATPUMP_SILENT_POLLS: "5",
      ALERT_DELIVERY_MIN: "60",
      ALERT_SHORT_CYCLING_STARTS_PER_H: "2.5",
      ALERT_SHORT_CYCLING_HOURS: "4",
      ALERT_COP_LOW_PCT: "60",
      ALERT_LOGIN_DAYS: "30",
      ALERT_DISK_MIN_PCT: "10",
      ALERT_DISK_MIN_GB: "2",
      ALERTS_OFF: "cop_low, short_cycling",
      ALERT_DEVICE_FAULT_IGNORE: "A.11,S.125",
    });
    expect(s.meterSilentMs).toBe(1_200_000);
    expect(s.heatpumpSilentPolls).toBe(5);
    expect(s.deliveryMs).toBe(3_600_000);
    expect(s.shortCyclingStartsPerH).toBe(2.5);
    expect(s.shortCyclingHours).toBe(4);
    expect(s.copLowPct).toBe(60);
    expect(s.loginDays).toBe(30);
    expect(s.diskMinPct).toBe(10);
    expect(s.diskMinBytes).toBe(2e9);
    expect([...s.off]).toEqual(["cop_low", "short_cycling"]);
    expect([...s.deviceFaultIgnore]).toEqual(["A.11", "S.125"]);
  });

  it("names a bad variable and the fix", () => {
    expect(problems({ NTFY_URL: "ntfy.sh/topic" })).toEqual([
      "NTFY_URL: must be an http(s) URL, e.g. NTFY_URL=https://ntfy.sh/heatpump-7f3k2q",
    ]);
    expect(problems({ ALERT_SHORT_CYCLING_HOURS: "2.5" })).toEqual([
      "ALERT_SHORT_CYCLING_HOURS: must be a whole number of hours, e.g. ALERT_SHORT_CYCLING_HOURS=6",
    ]);
    expect(problems({ ALERT_COP_LOW_PCT: "150" })).toEqual([
      "ALERT_COP_LOW_PCT: must be at most 100 percent; e.g. ALERT_COP_LOW_PCT=75",
    ]);
    expect(problems({ ALERTS_OFF: "cop" })[0]).toMatch(
      /^ALERTS_OFF: must list condition names, among meter_silent/,
    );
  });

  it("keeps every secret part of the channel and health check addresses out of log lines", () => {
    const env = {
      NTFY_URL: "https://ntfy.example.org/heatpump-7f3k2q",
      NTFY_TOKEN: "tk_abcdefghijkl",
      ALERT_WEBHOOK_URL: "https://hooks.example.org/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX",
      HEALTHCHECK_URL: "https://hc-ping.com/0b2b3c5e-1234-4bcd-9def-0123456789ab",
    };
    const secrets = alertSecrets(env);
    const text =
      "ntfy said: topic heatpump-7f3k2q is not yours; POST https://ntfy.example.org/heatpump-7f3k2q with " +
      "token tk_abcdefghijkl; webhook /services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX; " +
      "ping https://hc-ping.com/0b2b3c5e-1234-4bcd-9def-0123456789ab/fail";
    const out = redact(text, secrets);
    for (const s of ["heatpump-7f3k2q", "tk_abcdefghijkl", "XXXXXXXXXXXXXXXXXXXXXXXX", "0b2b3c5e-1234"])
      expect(out).not.toContain(s);
    // A short path segment is no secret on its own: the words of the log stay.
    expect(alertSecrets({ ALERT_WEBHOOK_URL: "https://example.org/hooks/heatpump" })).not.toContain(
      "heatpump",
    );
  });
});
