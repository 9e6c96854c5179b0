/**
 * The stand-in's HTTP API, exercised with the official client (@influxdata/influxdb-client) where
 * the project uses it and with raw requests where bytes and headers matter.
 */
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { flux, HttpError, InfluxDB, Point } from "@influxdata/influxdb-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInfluxStandIn, type InfluxStandIn } from "../helpers/flux-stand-in/server.ts";
import { validFlux } from "../helpers/flux-stand-in/test-support.ts";

let s: InfluxStandIn;
beforeAll(async () => {
  s = await startInfluxStandIn({
    org: "home",
    bucket: "heatpump",
    token: "all-access",
    tokens: [
      { token: "reader", write: false },
      { token: "writer", read: false },
      { token: "nobody", read: false, write: false },
    ],
  });
  s.load(
    [
      "hp,device=h1 on=true,flow=30.5,starts=7i 1500000000",
      "hp,device=h1 on=false,flow=31,starts=8i 2500000000",
      // 40 points one second apart for a response above gziphandler's 1400 bytes
      ...Array.from({ length: 40 }, (_, i) => `big,device=b1 v=${i + 0.5} ${(100 + i) * 1_000_000_000}`),
    ].join("\n"),
  );
});
afterAll(() => s.close());

const T0 = new Date(0);
const T3 = new Date(3000);

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}${path}`, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function query(text: string, headers: Record<string, string> = {}, org = "home", token = "all-access") {
  const body = JSON.stringify({
    query: await validFlux(text),
    type: "flux",
    dialect: { header: true, delimiter: ",", annotations: ["datatype", "group", "default"] },
  });
  return post(`/api/v2/query?org=${org}`, body, {
    Authorization: `Token ${token}`,
    "Content-Type": "application/json",
    ...headers,
  });
}

const json = (r: Raw) => JSON.parse(r.body.toString("utf8")) as { code: string; message: string };

const HP = `from(bucket: "heatpump")
  |> range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:00:03Z)
  |> filter(fn: (r) => r._measurement == "hp")`;

describe("writes and queries through the official client", () => {
  it("stores what WriteApi sends (gzip included) and QueryApi.collectRows reads it back typed", async () => {
    const client = new InfluxDB({ url: s.url, token: "all-access" });
    const write = client.getWriteApi("home", "heatpump", "ns", { gzipThreshold: 1, flushInterval: 0 });
    write.writePoints([
      new Point("elec")
        .tag("device", "m1")
        .floatField("power", 12.5)
        .intField("starts", 3)
        .booleanField("on", true)
        .stringField("note", 'a "q", b')
        .timestamp("1000000000"),
      new Point("elec").tag("device", "m1").floatField("power", 13).timestamp("2000000000"),
    ]);
    await write.close();
    expect(s.stats.gzipWrites).toBeGreaterThan(0);

    const q = flux`from(bucket: ${"heatpump"})
  |> range(start: ${T0}, stop: ${T3})
  |> filter(fn: (r) => r._measurement == ${"elec"} and r._field == ${"power"})`;
    await validFlux(q.toString());
    const rows = await client.getQueryApi("home").collectRows<Record<string, unknown>>(q);
    expect(rows).toEqual([
      {
        result: "_result",
        table: 0,
        _start: "1970-01-01T00:00:00Z",
        _stop: "1970-01-01T00:00:03Z",
        _time: "1970-01-01T00:00:01Z",
        _value: 12.5,
        _field: "power",
        _measurement: "elec",
        device: "m1",
      },
      expect.objectContaining({ table: 0, _time: "1970-01-01T00:00:02Z", _value: 13 }),
    ]);
    const typed = await client.getQueryApi("home").collectRows<Record<string, unknown>>(
      await validFlux(`from(bucket: "heatpump")
  |> range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:00:03Z)
  |> filter(fn: (r) => r._measurement == "elec" and r._field != "power")
  |> keep(columns: ["_field", "_value"])`),
    );
    expect(typed.map((r) => [r._field, r._value])).toEqual([
      ["note", 'a "q", b'],
      ["on", true],
      ["starts", 3],
    ]);
  });

  it("sends annotated CSV with InfluxDB's content type", async () => {
    const r = await query(`${HP} |> filter(fn: (r) => r._field == "starts") |> last()`);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(r.body.toString("utf8")).toBe(
      "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,long,string,string,string\r\n" +
        "#group,false,false,true,true,false,false,true,true,true\r\n" +
        "#default,_result,,,,,,,,\r\n" +
        ",result,table,_start,_stop,_time,_value,_field,_measurement,device\r\n" +
        ",,0,1970-01-01T00:00:00Z,1970-01-01T00:00:03Z,1970-01-01T00:00:02.5Z,8,starts,hp,h1\r\n" +
        "\r\n",
    );
  });

  it('writes a table emptied by filter(onEmpty: "keep") as a block whose #default row holds its key', async () => {
    const r = await query(
      `${HP} |> filter(fn: (r) => r._field == "starts") |> filter(fn: (r) => r.device == "none", onEmpty: "keep")`,
    );
    expect(r.body.toString("utf8")).toBe(
      "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,long,string,string,string\r\n" +
        "#group,false,false,true,true,false,false,true,true,true\r\n" +
        "#default,_result,0,1970-01-01T00:00:00Z,1970-01-01T00:00:03Z,,,starts,hp,h1\r\n" +
        ",result,table,_start,_stop,_time,_value,_field,_measurement,device\r\n" +
        "\r\n",
    );
    const rows = await new InfluxDB({ url: s.url, token: "all-access" })
      .getQueryApi("home")
      .collectRows(
        await validFlux(
          `${HP} |> filter(fn: (r) => r._field == "starts") |> filter(fn: (r) => r.device == "none", onEmpty: "keep")`,
        ),
      );
    expect(rows).toEqual([]);
  });

  it("gzips a response of 1400 bytes or more when the client accepts gzip, and counts both sizes", async () => {
    s.stats.reset();
    const BIG = `from(bucket: "heatpump")
  |> range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:10:00Z)
  |> filter(fn: (r) => r._measurement == "big")`;
    const plain = await query(BIG);
    const zipped = await query(BIG, { "Accept-Encoding": "gzip" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(plain.body.length).toBeGreaterThanOrEqual(1400);
    expect(gunzipSync(zipped.body).toString("utf8")).toBe(plain.body.toString("utf8"));
    const small = await query(`${HP} |> count()`, { "Accept-Encoding": "gzip" });
    expect(small.body.length).toBeLessThan(1400);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(s.stats.queries).toBe(3);
    expect(s.stats.queryTexts[0]).toBe(BIG);
    expect(s.stats.responseBytes).toBe(plain.body.length * 2 + small.body.length);
    expect(s.stats.wireBytes).toBe(plain.body.length + zipped.body.length + small.body.length);
    expect(s.stats.log.map((e) => [e.status, e.gzip, e.rows])).toEqual([
      [200, false, 40],
      [200, true, 40],
      [200, false, 3],
    ]);
  });
});

describe("errors as InfluxDB 2.7 answers them", () => {
  it("401 without a valid token", async () => {
    const r = await query(HP, {}, "home", "wrong");
    expect(r.status).toBe(401);
    expect(json(r)).toEqual({ code: "unauthorized", message: "unauthorized access" });
  });

  it("404 for an unknown bucket, and for a token without read permission", async () => {
    const unknown = await query(
      `from(bucket: "nope") |> range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:00:03Z)`,
    );
    expect(unknown.status).toBe(404);
    expect(json(unknown)).toEqual({
      code: "not found",
      message: 'failed to initialize execute state: could not find bucket "nope"',
    });
    const writer = await query(HP, {}, "home", "writer");
    expect(writer.status).toBe(404);
    expect(json(writer).message).toBe('failed to initialize execute state: could not find bucket "heatpump"');
    expect((await query(HP, {}, "home", "reader")).status).toBe(200);
  });

  it("400 for another org", async () => {
    const r = await query(HP, {}, "work");
    expect(r.status).toBe(400);
    expect(json(r)).toEqual({
      code: "invalid",
      message: 'failed to decode request body: organization name "work" not found',
    });
  });

  it("400 for a query outside the subset", async () => {
    const r = await query(`${HP} |> aggregateWindow(every: 1s, fn: mean)`);
    expect(r.status).toBe(400);
    expect(json(r).code).toBe("invalid");
    expect(json(r).message).toMatch(/^error @3:51-3:87: aggregateWindow\(\)/);
  });

  it("a runtime error before any table is an HTTP 400, which the client raises", async () => {
    const text = await validFlux(`${HP}\n  |> first()\n  |> group()`);
    const r = await query(text);
    expect(r.status).toBe(400);
    expect(json(r)).toEqual({
      code: "invalid",
      message:
        'runtime error @5:6-5:13: group: schema collision detected: column "_value" is both of type bool and float',
    });
    const api = new InfluxDB({ url: s.url, token: "all-access" }).getQueryApi("home");
    const err = await api.collectRows(text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).statusCode).toBe(400);
  });

  it("a runtime error after rows is an error table in a 200 response, which the client does NOT raise", async () => {
    const text = await validFlux(`${HP} |> group()`);
    const r = await query(text);
    expect(r.status).toBe(200);
    expect(r.body.toString("utf8")).toMatch(
      new RegExp(
        ",,0,1970-01-01T00:00:00Z,1970-01-01T00:00:03Z,1970-01-01T00:00:02\\.5Z,31,flow,hp,h1\r\n\r\n" +
          "#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n" +
          ",schema collision: cannot group float and boolean types together,\r\n$",
      ),
    );
    const rows = await new InfluxDB({ url: s.url, token: "all-access" })
      .getQueryApi("home")
      .collectRows(text);
    // two data rows, then the error table's row read as if it were data
    expect(rows).toHaveLength(3);
    expect(rows[2]).toEqual(
      expect.objectContaining({ error: "schema collision: cannot group float and boolean types together" }),
    );
  });

  it("fault injection: the n-th query fails after k rows (error table) or at once (HTTP error)", async () => {
    s.stats.reset();
    s.injectFault({ query: 2, afterRows: 1, message: "injected: storage went away" });
    s.injectFault({ query: 3, afterRows: 0, message: "injected: at once", code: "internal error" });
    expect((await query(HP)).status).toBe(200);
    const second = await query(HP);
    expect(second.status).toBe(200);
    const text = second.body.toString("utf8");
    expect(text.split("\r\n").filter((l) => l.startsWith(",,"))).toHaveLength(1);
    expect(
      text.endsWith(
        "\r\n\r\n#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n" +
          ",injected: storage went away,\r\n",
      ),
    ).toBe(true);
    const third = await query(HP);
    expect(third.status).toBe(500);
    expect(json(third)).toEqual({ code: "internal error", message: "injected: at once" });
    expect((await query(HP)).status).toBe(200);
  });

  it(
    "writes: 400 for a bad line (nothing stored), 422 for a type clash (the rest stored), " +
      "403/404 without permission",
    async () => {
      const write = (body: string, token = "all-access", params = "org=home&bucket=heatpump&precision=s") =>
        post(`/api/v2/write?${params}`, body, { Authorization: `Token ${token}` });
      const bad = await write("w f=1 100\nw f=oops 101");
      expect(bad.status).toBe(400);
      expect(json(bad)).toEqual({
        code: "invalid",
        message: "unable to parse 'w f=oops 101': invalid field format",
      });
      const clash = await write("w f=1 100\nw f=2i 101\nw f=3 102");
      expect(clash.status).toBe(422);
      expect(json(clash)).toEqual({
        code: "unprocessable entity",
        message:
          "failure writing points to database: partial write: " +
          'field type conflict: input field "f" on measurement "w" is type integer, ' +
          "already exists as type float dropped=1",
      });
      const stored = s.evaluate(
        await validFlux(
          'from(bucket: "heatpump") |> range(start: 1970-01-01T00:01:00Z, stop: 1970-01-01T00:02:00Z) ' +
            '|> filter(fn: (r) => r._measurement == "w")',
        ),
      );
      expect(stored.tables[0]?.length).toBe(2);
      expect((await write("w f=1 100", "reader")).status).toBe(403);
      expect(json(await write("w f=1 100", "nobody"))).toEqual({
        code: "not found",
        message: 'bucket "heatpump" not found',
      });
      expect(json(await write("w f=1 100", "all-access", "org=home&bucket=heatpump&precision=h"))).toEqual({
        code: "invalid",
        message: "invalid precision; valid precision units are ns, us, ms, and s",
      });
      expect((await write("w f=1 100", "writer")).status).toBe(204);
    },
  );

  it("answers /health and /ping like InfluxDB", async () => {
    const health = await fetch(`${s.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual(expect.objectContaining({ name: "influxdb", status: "pass" }));
    const ping = await fetch(`${s.url}/ping`);
    expect(ping.status).toBe(204);
    expect(ping.headers.get("x-influxdb-build")).toBe("OSS");
  });
});
