import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAlertSettings } from "../../../core/src/alerts/settings.ts";
import {
  judgeDelivery,
  judgeDisk,
  judgeLogin,
  REFRESH_TOKEN_LIFETIME_MS,
  rejectedFacts,
} from "../../src/alerts/judgments.ts";

const T0 = Date.parse("2026-03-29T12:00:00Z");
const MIN = 60_000;
const DAY = 86_400_000;
const s = loadAlertSettings({});
const facts = {
  journalDir: "/data/journal",
  where: "InfluxDB at http://influxdb:8086",
  rejected: { files: 0 },
};

describe("delivery", () => {
  it("opens once InfluxDB has not taken writes for ALERT_DELIVERY_MIN (30 min), not before", () => {
    const down = { ...facts, state: "down" as const, failingSinceMs: T0 };
    expect(judgeDelivery(down, T0 + 29 * MIN, s).open).toBe(false);
    const j = judgeDelivery(down, T0 + 30 * MIN, s);
    expect(j).toMatchObject({ open: true, title: "InfluxDB not accepting writes", key: "down" });
    expect(j.message).toMatch(
      /^InfluxDB at http:\/\/influxdb:8086 has not accepted writes for 30 min \(no answer/,
    );
    const auth = judgeDelivery({ ...down, state: "auth" }, T0 + 45 * MIN, s);
    expect(auth.message).toContain("for 45 min (it refuses the token, org or bucket");
    expect(judgeDelivery({ ...facts, state: "ok", failingSinceMs: undefined }, T0, s)).toMatchObject({
      open: false,
    });
    expect(judgeDelivery({ ...facts, state: undefined, failingSinceMs: undefined }, T0, s)).toMatchObject({
      open: false,
      status: "unknown",
    });
  });

  it("opens while journal/rejected/ holds lines, naming the newest file and InfluxDB's cause", () => {
    const journal = mkdtempSync(join(tmpdir(), "journal-"));
    expect(rejectedFacts(journal)).toEqual({ files: 0 });
    mkdirSync(join(journal, "rejected"));
    writeFileSync(join(journal, "rejected", "2026-03-29T10-00-00.000Z+0.lp"), "# old\nx v=1 1\n");
    const cause =
      'InfluxDB answered HTTP 422: partial write: field type conflict: input field "power_w" on measurement ' +
      '"electric" is type float, already exists as type integer dropped=720';
    writeFileSync(
      join(journal, "rejected", "2026-03-29T11-00-00.000Z+512.lp"),
      `# ${cause}\nelectric power_w=1 1\n`,
    );
    const rejected = rejectedFacts(journal);
    expect(rejected).toEqual({ files: 2, newest: "2026-03-29T11-00-00.000Z+512.lp", cause });
    const j = judgeDelivery(
      { ...facts, journalDir: journal, rejected, state: "ok", failingSinceMs: undefined },
      T0,
      s,
    );
    expect(j).toMatchObject({ open: true, title: "Lines set aside by InfluxDB", key: "+rejected" });
    expect(j.message).toContain(`2 files of lines InfluxDB refused in ${join(journal, "rejected")}`);
    expect(j.message).toContain('field type conflict: input field "power_w"');
  });
});

describe("login_expiring", () => {
  it("opens 14 days before the refresh token's 180 days end", () => {
    const issued = T0 - 170 * DAY;
    const token = { refresh_token: "r", refreshed_at_ms: issued };
    // Ends at issued + 180 days = T0 + 10 days: within 14 days.
    const j = judgeLogin(token, T0, s);
    expect(j).toMatchObject({ open: true, severity: "warning", key: "2026-04-08" });
    expect(j.message).toMatch(/^The Viessmann refresh token ends on 2026-04-08 \(in 10 days\)/);
    expect(judgeLogin({ ...token, refreshed_at_ms: T0 - 166 * DAY + 1 }, T0, s).open).toBe(false);
    expect(judgeLogin({ ...token, refreshed_at_ms: T0 - 166 * DAY }, T0, s).open).toBe(true);
    const ended = judgeLogin({ ...token, refreshed_at_ms: T0 - REFRESH_TOKEN_LIFETIME_MS - DAY }, T0, s);
    expect(ended).toMatchObject({ open: true, severity: "critical" });
    expect(judgeLogin(undefined, T0, s)).toMatchObject({ open: false, status: "unknown" });
    expect(judgeLogin({ refresh_token: "r" }, T0, s)).toMatchObject({ open: false, status: "unknown" });
  });
});

describe("disk_low", () => {
  it("opens below 5 % or 1 GB free, whichever comes first", () => {
    const total = 32e9;
    expect(judgeDisk({ freeBytes: 1.7e9, totalBytes: total }, "/data", s).open).toBe(false); // 5.3 %
    const pct = judgeDisk({ freeBytes: 1.5e9, totalBytes: total }, "/data", s); // 4.7 %
    expect(pct).toMatchObject({ open: true, severity: "critical" });
    expect(pct.message).toMatch(
      /^1\.5 GB free of 32 GB \(4\.7 %\) where DATA_DIR is \(\/data\); the limits are 5 % and 1\.0 GB/,
    );
    expect(judgeDisk({ freeBytes: 0.9e9, totalBytes: 4e9 }, "/data", s).open).toBe(true); // 22 % but under 1 GB
    expect(judgeDisk(undefined, "/data", s)).toMatchObject({ open: false, status: "unknown" });
  });
});
