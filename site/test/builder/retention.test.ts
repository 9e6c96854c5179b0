/**
 * The builder reads the InfluxDB bucket's retention at start (InfluxDB 2's GET /api/v2/buckets):
 * a finite one is a warning, a token that may not read it is said once, a local store is not asked.
 */
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import type { ReportSource } from "../../../reports/src/config.ts";
import { checkRetention, retentionText } from "../../builder/retention.ts";

const influx: ReportSource = {
  kind: "influx",
  url: "http://user:pw@influx.local:8086",
  token: "read-only-token",
  org: "home",
  bucket: "heatpump",
};

/** A fetch answering `status` with `body`, recording what it was asked. */
function answering(status: number, body: unknown) {
  const asked: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (url: string, init: RequestInit) => {
    asked.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  };
  return { asked, fetchImpl };
}

const bucket = (rules: { type?: string; everySeconds?: number }[]) => ({
  buckets: [{ id: "0a1b2c3d4e5f6a7b", name: "heatpump", retentionRules: rules }],
});

describe("the bucket's retention", () => {
  it("asks for the bucket by org and name with the token, without the URL's user and password", async () => {
    const { asked, fetchImpl } = answering(200, bucket([]));
    await checkRetention(influx, memoryLogger(), fetchImpl);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.url).toBe("http://influx.local:8086/api/v2/buckets?org=home&name=heatpump");
    expect((asked[0]!.init.headers as Record<string, string>).Authorization).toBe("Token read-only-token");
  });

  it("finite: a warning with the days InfluxDB keeps, what the site keeps, and how to keep everything", async () => {
    const logger = memoryLogger();
    // 30 days, as `influx bucket create --retention 30d` stores it.
    await checkRetention(
      influx,
      logger,
      answering(200, bucket([{ type: "expire", everySeconds: 2_592_000 }])).fetchImpl,
    );
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain("warn");
    expect(logger.lines[0]).toContain(
      "InfluxDB bucket heatpump keeps data for 30 days (retention 2592000 s)",
    );
    expect(logger.lines[0]).toContain("the site keeps the figures it published");
    expect(logger.lines[0]).toContain("influx bucket update --id 0a1b2c3d4e5f6a7b --retention 0");
  });

  it("infinite (no rule, or 0 s): nothing to say", async () => {
    const logger = memoryLogger();
    await checkRetention(influx, logger, answering(200, bucket([])).fetchImpl);
    await checkRetention(
      influx,
      logger,
      answering(200, bucket([{ type: "expire", everySeconds: 0 }])).fetchImpl,
    );
    expect(logger.lines).toEqual([]);
  });

  it("a token that may not read it: said once, as information, and the start goes on", async () => {
    for (const [status, body, why] of [
      [401, { code: "unauthorized", message: "unauthorized access" }, "HTTP 401"],
      [200, { buckets: [] }, "the bucket is not among those the token may see"],
    ] as const) {
      const logger = memoryLogger();
      await checkRetention(influx, logger, answering(status, body).fetchImpl);
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toContain("info");
      expect(logger.lines[0]).toContain(`could not read the retention of InfluxDB bucket heatpump (${why}`);
    }
    const logger = memoryLogger();
    await checkRetention(influx, logger, () => Promise.reject(new Error("connect ECONNREFUSED")));
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain("(connect ECONNREFUSED;");
  });

  it("a local store is not asked", async () => {
    const { asked, fetchImpl } = answering(200, bucket([]));
    const logger = memoryLogger();
    await checkRetention({ kind: "local", path: "/data/journal" }, logger, fetchImpl);
    expect(asked).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it("in words", () => {
    expect(retentionText(86_400)).toBe("1 day");
    expect(retentionText(315_360_000)).toBe("3650 days");
    expect(retentionText(129_600)).toBe("36 hours");
  });
});
