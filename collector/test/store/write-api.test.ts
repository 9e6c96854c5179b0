import { HttpError, Log } from "@influxdata/influxdb-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { openWriteApi, type WriteApiOptions } from "../../src/store/write-api.ts";
import { type FakeInflux, startFakeInflux } from "../fakes/influx-server.ts";

const opts: WriteApiOptions = {
  batchLines: 100,
  batchBytes: 64 * 1024,
  timeoutMs: 2000,
  gzipThreshold: 2000, // not the client's default (1000), to see it is passed on
  minRetryDelayMs: 20,
  maxRetryDelayMs: 50,
  retryJitterMs: 0,
};
/** 56 bytes each with its newline; `n` of them with distinct timestamps (ns). */
const lines = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `electric,device=pro3em power_w=${1000 + i} ${1795751400 + i}000000000`,
  );

let influx: FakeInflux;
beforeEach(async () => {
  influx = await startFakeInflux({ token: "secret-token" });
});
afterEach(async () => {
  await influx.close();
});
const open = () => {
  const logger = memoryLogger();
  const write = openWriteApi(
    { url: influx.url, token: "secret-token", org: "home", bucket: "heatpump" },
    opts,
    logger,
  );
  return { write, logger };
};
/** The rejection of `p`, which must reject. */
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("the write should have failed"),
    (e: unknown) => e,
  );

describe("write API", () => {
  it("sends each call as one request of the lines unchanged, ns precision, gzipped above the threshold", async () => {
    const { write } = open();
    await write(lines(3)); // ~170 bytes
    await write(lines(30)); // ~1.7 kB
    await write(lines(60)); // ~3.4 kB
    expect(influx.lines).toEqual([...lines(3), ...lines(30), ...lines(60)]);
    expect(influx.requests.map((r) => [r.status, r.lines, r.gzip])).toEqual([
      [204, 3, false],
      [204, 30, false],
      [204, 60, true],
    ]);
    expect(influx.requests[0]?.query).toEqual({ org: "home", bucket: "heatpump", precision: "ns" });
  });

  it("rejects with InfluxDB's HttpError at once, without retrying on its own", async () => {
    const { write } = open();
    await influx.setMode("unavailable"); // 503, Retry-After: 1
    const e = await rejection(write(lines(2)));
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).statusCode).toBe(503);
    expect((e as HttpError).headers?.["retry-after"]).toBe("1");
    await new Promise((r) => setTimeout(r, 1200)); // past the Retry-After: still only one request
    expect(influx.requests.map((r) => r.status)).toEqual([503]);
  });

  it("sends the client's own log lines to debug: the writer's state lines say a failure once", () => {
    const { logger } = open();
    Log.error("Write to InfluxDB failed.", new Error("connect ECONNREFUSED"));
    Log.warn("Retrying", undefined);
    expect(logger.lines.map((l) => l.slice(25))).toEqual([
      "debug influxdb-client: Write to InfluxDB failed. connect ECONNREFUSED",
      "debug influxdb-client: Retrying ",
    ]);
  });

  it("rejects with the server's message for a malformed line", async () => {
    const { write } = open();
    const bad = "electric,device=pro3em power_w=abc 1795751400000000000";
    const e = (await rejection(write([bad]))) as HttpError;
    expect([e.statusCode, (e.json as { message: string }).message]).toEqual([
      400,
      `unable to parse '${bad}': bad field value "abc"`,
    ]);
  });

  it("rejects with the network error when InfluxDB is down", async () => {
    await influx.setMode("down"); // before any request: no kept-alive connection to reset
    expect(await rejection(open().write(lines(1)))).toMatchObject({ code: "ECONNREFUSED" });
  });
});
