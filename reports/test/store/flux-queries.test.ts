import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { countQuery, edgeQuery, latestQuery, samplesQuery } from "../../src/store/flux-queries.ts";
import { DEFAULT_HOME, homeKey, isHome } from "../../src/store/home-filter.ts";
import { InfluxSource } from "../../src/store/influx-source.ts";
import { STATUS_FIELDS } from "../../src/metrics/status.ts";
import { fluxChecker } from "../helpers/flux-lsp.ts";
import { parseFlux } from "../helpers/flux-stand-in/index.ts";
import { describePlan, planQuery } from "../helpers/flux-stand-in/plan.ts";
import { type FluxServer, startFluxServer } from "../helpers/flux-server.ts";

const T0 = Date.parse("2026-03-28T23:00:00Z");
const T1 = Date.parse("2026-03-29T22:00:00Z");
// A bucket name with quotes and a backslash: the template must escape it.
const BUCKET = 'heat "pump" \\ data';

/**
 * Every query the engine can send, with representative arguments. Built inside the tests, never at
 * import: mutation testing (npm run test:mutation) sees which test reaches which code.
 */
/** A home with its untagged points, and one without (HOME_UNTAGGED another home). */
const HOME = { id: "home", readsUntagged: true };
const TAGGED = { id: 'b "2"', readsUntagged: false };
const QUERIES: Record<string, () => string> = {
  samples: () => samplesQuery(BUCKET, HOME, T0, T1).toString(),
  samplesTagged: () => samplesQuery(BUCKET, TAGGED, T0, T1).toString(),
  count: () => countQuery(BUCKET, HOME, T0, T1).toString(),
  countTagged: () => countQuery(BUCKET, TAGGED, T0, T1).toString(),
  first: () => edgeQuery(BUCKET, HOME, "first", 0, T1).toString(),
  last: () => edgeQuery(BUCKET, TAGGED, "last", 0, T1).toString(),
  latest: () => latestQuery(BUCKET, HOME, T0, T1, STATUS_FIELDS).toString(),
  latestCurve: () =>
    latestQuery(BUCKET, TAGGED, T0, T1, ["heatpump.curve_slope", "heatpump.curve_shift"]).toString(),
};
const query = (name: string) => QUERIES[name]!();
const planOf = (text: string) => describePlan(planQuery(parseFlux(text).ops));
const allQueries = () => Object.keys(QUERIES).map(query);

describe("Flux queries pass the Flux language server (parse and type check)", () => {
  for (const name of Object.keys(QUERIES)) {
    it(name, async () => {
      const lsp = await fluxChecker();
      expect(await lsp.check(query(name))).toEqual([]);
    });
  }

  it("the checker does report errors (negative control)", async () => {
    const lsp = await fluxChecker();
    const bad = await lsp.check(query("samples").replace("|> keep(", '|> keep(columns: 1 + "a", '));
    expect(bad.length).toBeGreaterThan(0);
    const unknown = await lsp.check(query("count").replace("count()", "countt()"));
    expect(unknown.length).toBeGreaterThan(0);
  });

  it("every query is inside the subset the stand-in evaluates; what the old queries used is refused", () => {
    for (const text of allQueries()) expect(() => parseFlux(text)).not.toThrow();
    const old = [
      query("latest").replace(
        /filter\(fn: \(r\) => .*\)\n/,
        'filter(fn: (r) => contains(value: r._field, set: ["a"]))\n',
      ),
      query("count").replace("|> count()", "|> aggregateWindow(every: 1d, fn: count, createEmpty: false)"),
      `import "timezone"\n${query("samples")}`,
    ];
    for (const text of old) expect(() => parseFlux(text), text).toThrow();
  });

  it("the data asked for: the meters' power and energies, every heat pump field, the Viessmann calls", () => {
    expect(query("samples")).toContain(
      '(r._measurement == "electric" and ' +
        '(r._field == "power_w" or r._field == "energy_wh" or r._field == "energy_ret_wh") and ' +
        '(not exists r["role"] or r["role"] == "heatpump" or r["role"] == "backup" or ' +
        'r["role"] == "pumps" or r["role"] == "house"))' +
        ' or r._measurement == "heatpump" or (r._measurement == "collector" and r._field == "calls_today")',
    );
    // The meter's role and device come along: each meter is its own series.
    expect(query("samples")).toContain(
      'keep(columns: ["_time", "_measurement", "_field", "_value", "source", "role", "device"])',
    );
    // The newest electric value is the heat pump meter's.
    expect(query("latest")).toContain(
      '(r._measurement == "electric" and (r._field == "power_w") and ' +
        '(not exists r["role"] or r["role"] == "heatpump"))',
    );
    // The first point: each series' first, the earliest of them; the last: each one's last, the latest.
    expect(query("first")).toMatch(
      /\|> first\(\)[^]*\|> sort\(columns: \["_time"\]\)\n {2}\|> limit\(n: 1\)$/,
    );
    expect(query("last")).toMatch(
      /\|> last\(\)[^]*\|> sort\(columns: \["_time"\], desc: true\)\n {2}\|> limit\(n: 1\)$/,
    );
  });

  it("every query reads one home: its tag, and no tag only when the untagged points are its own", () => {
    for (const name of Object.keys(QUERIES)) {
      const tagged = name.endsWith("Tagged") || name === "last" || name === "latestCurve";
      expect(query(name), name).toContain(
        tagged
          ? 'filter(fn: (r) => r["home"] == "b \\"2\\"" and ('
          : 'filter(fn: (r) => (r["home"] == "home" or not exists r["home"]) and (',
      );
    }
  });

  it("the whole filter, exists too, is pushed down to storage (the stand-in plans as InfluxDB 2.7)", () => {
    // Nothing stays for Flux to evaluate after the read: no "|> filter" after "ReadRange+filter".
    const plans = Object.fromEntries(Object.keys(QUERIES).map((n) => [n, planOf(query(n))]));
    expect(plans).toEqual({
      samples: "ReadRange+filter |> keep",
      samplesTagged: "ReadRange+filter |> keep",
      count: "ReadWindowAggregate(count)+filter |> group |> keep",
      countTagged: "ReadWindowAggregate(count)+filter |> group |> keep",
      first: "ReadWindowAggregate(first)+filter |> keep |> group |> sortLimit",
      last: "ReadWindowAggregate(last)+filter |> keep |> group |> sortLimit",
      latest: "ReadWindowAggregate(last)+filter |> keep",
      latestCurve: "ReadWindowAggregate(last)+filter |> keep",
    });
  });

  it("values are escaped by the template, ranges are absolute, fields are compared one by one", () => {
    expect(query("samples")).toContain('from(bucket: "heat \\"pump\\" \\\\ data")');
    expect(query("samples")).toContain(
      "range(start: 2026-03-28T23:00:00.000Z, stop: 2026-03-29T22:00:00.000Z)",
    );
    expect(query("latest")).toContain(
      '(r._measurement == "electric" and (r._field == "power_w") and ' +
        '(not exists r["role"] or r["role"] == "heatpump")) or ' +
        '(r._measurement == "heatpump" and (r._field == "outside_c" or r._field == "flow_c"',
    );
    for (const text of allQueries()) expect(text).not.toMatch(/contains\(|aggregateWindow|import /);
  });
});

describe("the local store's home filter (home-filter.ts): the rule the queries above send", () => {
  it("a point of the home's tag; one without a tag (or an empty one) only where the home reads those", () => {
    // HOME reads the untagged points, TAGGED (id b "2") does not.
    expect(isHome(HOME, "home")).toBe(true);
    expect(isHome(HOME, undefined)).toBe(true);
    expect(isHome(HOME, "")).toBe(true);
    expect(isHome(HOME, 'b "2"')).toBe(false);
    expect(isHome(TAGGED, 'b "2"')).toBe(true);
    expect(isHome(TAGGED, undefined)).toBe(false);
    expect(isHome(TAGGED, "")).toBe(false);
    expect(isHome(TAGGED, "home")).toBe(false);
  });

  it("the home's piece of cache keys and store ids; HOME_ID and HOME_UNTAGGED unset: home, untagged read", () => {
    expect(homeKey(HOME)).toBe("home=home+untagged");
    expect(homeKey(TAGGED)).toBe('home=b "2"');
    expect(DEFAULT_HOME).toEqual({ id: "home", readsUntagged: true });
  });
});

describe("InfluxSource reads InfluxDB's annotated CSV (golden answers, parser only)", () => {
  const fixture = (f: string) => readFileSync(join(import.meta.dirname, "../fixtures/flux", f), "utf8");
  let server: FluxServer | undefined;
  const source = (url: string, token = "test-token") =>
    new InfluxSource({
      url,
      token,
      org: "home",
      bucket: "heatpump",
      tz: "Europe/Berlin",
      now: () => Date.parse("2026-03-30T12:00:00Z"),
    });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("samples: columns per measurement, tables merged by time, the source and role tags kept", async () => {
    server = await startFluxServer(() => fixture("samples.csv"));
    const s = await source(server.url).samples(T0, T1);
    const at = (hms: string) => Date.parse(`2026-03-29T${hms}Z`);
    // The untagged tables and the one of role heatpump are one meter.
    expect(s.elec.t).toEqual([at("08:00:00"), at("08:00:10"), at("08:00:20")]);
    expect(s.elec.power).toEqual([1500, 1480.5, 1490]);
    expect(s.elec.energy).toEqual([1_000_000, 1_000_004.15, Number.NaN]);
    // The returned-energy counter (export) only on the second point: a gap (NaN) on the first, never 0.
    expect(s.elec.ret).toEqual([Number.NaN, 1.87, Number.NaN]);
    // The backup heater's meter apart: its 52000 Wh never between the heat pump's counter readings.
    expect(s.meters).toEqual({
      backup: {
        t: [at("08:00:00"), at("08:00:10")],
        power: [3000, 2950],
        energy: [52_000, 52_008.2],
        ret: [Number.NaN, Number.NaN],
      },
    });
    expect(s.hp.t).toEqual([Date.parse("2026-03-29T08:00:00Z")]);
    expect(s.hp.f.flow_c).toEqual([38.5]);
    expect(s.hp.f.compressor_on).toEqual([1]);
    expect(s.hp.f.outside_c[0]).toBeNaN();
    expect(s.calls.v).toEqual([17]);
  });

  it("latest values, one row per field", async () => {
    server = await startFluxServer(() => fixture("latest.csv"));
    const l = await source(server.url).latest(T0, T1, STATUS_FIELDS);
    expect(l.get("electric.power_w")).toEqual({ t: Date.parse("2026-03-30T09:59:50Z"), v: 60 });
    expect(l.get("heatpump.curve_slope")?.v).toBe(0.6);
    expect(l.has("heatpump.flow_c")).toBe(false);
  });

  it("an error table after the first rows (HTTP 200) fails the query with the server's message", async () => {
    server = await startFluxServer(() => fixture("error-mid-stream.csv"));
    const err = await source(server.url)
      .samples(T0, T1)
      .catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ kind: "server" });
    expect((err as Error).message).toContain(
      'schema collision detected: column "_value" is both of type int and float',
    );
    expect((err as Error).message).toContain("after 2 rows");
  });
});

describe("InfluxSource names the cause of a refused query", () => {
  const servers: { close(): void }[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  async function answering(status: number, body: object): Promise<InfluxSource> {
    const srv = createServer((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    servers.push(srv);
    return new InfluxSource({
      url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
      token: "secret-token-value",
      org: "home",
      bucket: "heatpump",
      tz: "UTC",
      now: () => 0,
    });
  }
  const failure = (s: InfluxSource) =>
    s.samples(0, 1000).then(
      () => {
        throw new Error("the query did not fail");
      },
      (e: unknown) => e as Error & { kind: string },
    );

  it("401: the token, never its value", async () => {
    const err = await failure(await answering(401, { code: "unauthorized", message: "unauthorized access" }));
    expect(err.kind).toBe("auth");
    expect(err.message).toContain("INFLUX_TOKEN");
    expect(err.message).not.toContain("secret-token-value");
  });

  it("404: the bucket name and the token's read permission", async () => {
    const err = await failure(
      await answering(404, {
        code: "not found",
        message: 'failed to initialize execute state: could not find bucket "heatpump"',
      }),
    );
    expect(err.message).toContain("INFLUX_BUCKET");
    expect(err.message).toContain("read permission");
    expect(err.message).toContain('could not find bucket "heatpump"');
  });

  it("400: a query InfluxDB could not compile, with its message", async () => {
    const err = await failure(
      await answering(400, { code: "invalid", message: "compilation failed: error @1:1" }),
    );
    expect(err.kind).toBe("payload");
    expect(err.message).toContain("could not compile");
    expect(err.message).toContain("compilation failed: error @1:1");
  });
});
