import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyCountsQuery, edgeQuery, latestQuery, samplesQuery, seriesQuery } from "../src/flux-queries.ts";
import { InfluxSource } from "../src/influx-source.ts";
import { dayRange } from "../src/periods.ts";
import { STATUS_FIELDS } from "../src/status.ts";
import { fluxChecker } from "./helpers/flux-lsp.ts";
import { type FluxServer, startFluxServer } from "./helpers/flux-server.ts";

const T0 = Date.parse("2026-03-28T23:00:00Z");
const T1 = Date.parse("2026-03-29T22:00:00Z");
// A bucket name with quotes and a backslash: the template must escape it.
const BUCKET = 'heat "pump" \\ data';

/** Every query the engine can send, with representative arguments. */
const QUERIES: Record<string, string> = {
  samples: samplesQuery(BUCKET, T0, T1).toString(),
  dailyCounts: dailyCountsQuery(BUCKET, "Europe/Berlin", T0, T1).toString(),
  first: edgeQuery(BUCKET, "first", 0, T1).toString(),
  last: edgeQuery(BUCKET, "last", 0, T1).toString(),
  latest: latestQuery(BUCKET, T0, T1, STATUS_FIELDS).toString(),
  latestCurve: latestQuery(BUCKET, T0, T1, ["heatpump.curve_slope", "heatpump.curve_shift"]).toString(),
  series: seriesQuery(BUCKET, "Europe/Berlin", T0, T1, 300_000, 300_000).toString(),
};

describe("Flux queries pass the Flux language server (parse and type check)", () => {
  for (const [name, text] of Object.entries(QUERIES)) {
    it(name, async () => {
      const lsp = await fluxChecker();
      expect(await lsp.check(text)).toEqual([]);
    });
  }

  it("the checker does report errors (negative control)", async () => {
    const lsp = await fluxChecker();
    const bad = await lsp.check(QUERIES.samples!.replace("|> keep(", '|> keep(columns: 1 + "a", '));
    expect(bad.length).toBeGreaterThan(0);
    const unknown = await lsp.check(QUERIES.dailyCounts!.replace("aggregateWindow(", "aggregateWindoww("));
    expect(unknown.length).toBeGreaterThan(0);
  });

  it("values are escaped by the template and ranges have explicit start and stop", () => {
    expect(QUERIES.samples).toContain('from(bucket: "heat \\"pump\\" \\\\ data")');
    expect(QUERIES.samples).toContain(
      "range(start: 2026-03-28T23:00:00.000Z, stop: 2026-03-29T22:00:00.000Z)",
    );
    expect(QUERIES.dailyCounts).toContain('location: timezone.location(name: "Europe/Berlin")');
    expect(QUERIES.series).toContain('every: duration(v: "300s")');
  });
});

describe("InfluxSource parses golden annotated-CSV answers", () => {
  const fixture = (f: string) => readFileSync(join(import.meta.dirname, "fixtures/flux", f), "utf8");
  let server: FluxServer;
  let source: InfluxSource;

  beforeAll(async () => {
    server = await startFluxServer((q) =>
      fixture(
        q.includes("union(")
          ? "series.csv"
          : q.includes("every: 1d")
            ? "daily-counts.csv"
            : q.includes("first()")
              ? "first.csv"
              : q.includes("desc: true")
                ? "last.csv"
                : q.includes("|> last()")
                  ? "latest.csv"
                  : "samples.csv",
      ),
    );
    source = new InfluxSource({
      url: server.url,
      token: "test-token",
      org: "home",
      bucket: "heatpump",
      tz: "Europe/Berlin",
      now: () => Date.parse("2026-03-30T12:00:00Z"),
    });
  });
  afterAll(() => server.close());

  it("samples: columns per measurement, tables merged by time, the source tag kept", async () => {
    const s = await source.samples(T0, T1);
    expect(s.elec.t).toEqual([Date.parse("2026-03-29T08:00:00Z"), Date.parse("2026-03-29T08:00:10Z")]);
    expect(s.elec.power).toEqual([1500, 1480.5]);
    expect(s.elec.energy).toEqual([1_000_000, 1_000_004.15]);
    expect(s.hp.t).toEqual([Date.parse("2026-03-29T08:00:00Z")]);
    expect(s.hp.f.flow_c).toEqual([38.5]);
    expect(s.hp.f.compressor_on).toEqual([1]);
    expect(s.hp.f.outside_c[0]).toBeNaN();
    expect(s.calls.v).toEqual([17]);
    expect(server.queries.at(-1)).toContain("range(start: 2026-03-28T23:00:00.000Z");
  });

  it("fingerprints: per local day, from the day's count and the day before's", async () => {
    const days = ["2026-03-28", "2026-03-29", "2026-03-30"].map((d) => dayRange("Europe/Berlin", d));
    expect(await source.fingerprints(days)).toEqual(["0:9216", "9216:8832", "8832:4320"]);
    // Days beyond the replay horizon are final and need no query.
    const old = await source.fingerprints([dayRange("Europe/Berlin", "2025-01-01")]);
    expect(old).toEqual(["final"]);
  });

  it("extent and latest values", async () => {
    expect(await source.extent()).toEqual({
      firstMs: Date.parse("2026-03-28T22:00:00Z"),
      lastMs: Date.parse("2026-03-30T09:59:50Z"),
    });
    const l = await source.latest(Date.parse("2026-03-30T12:00:00Z"), STATUS_FIELDS);
    expect(l.get("electric.power_w")).toEqual({ t: Date.parse("2026-03-30T09:59:50Z"), v: 60 });
    expect(l.get("heatpump.curve_slope")?.v).toBe(0.6);
    expect(l.has("heatpump.flow_c")).toBe(false);
  });

  it("server-side downsampled series", async () => {
    const s = await source.seriesSamples(T0, T1, 300_000, 300_000);
    expect(s.elec.power).toEqual([1200, 1100, 60]);
    expect(s.hp.f.flow_c).toEqual([38, 39]);
  });

  it("a refused token is an auth error naming the variable", async () => {
    const deny = createServer((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: "unauthorized", message: "unauthorized access" }));
    });
    await new Promise<void>((r) => deny.listen(0, "127.0.0.1", r));
    const s = new InfluxSource({
      url: `http://127.0.0.1:${(deny.address() as AddressInfo).port}`,
      token: "secret-token-value",
      org: "home",
      bucket: "heatpump",
      tz: "UTC",
      now: () => 0,
    });
    const err = await s.samples(0, 1000).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ kind: "auth" });
    expect((err as Error).message).toContain("INFLUX_TOKEN");
    expect((err as Error).message).not.toContain("secret-token-value");
    await new Promise<void>((r) => deny.close(() => r()));
  });
});
