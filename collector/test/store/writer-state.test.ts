import { HttpError } from "@influxdata/influxdb-client";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../../core/src/effects.ts";
import { createStateReporter } from "../../src/store/writer-state.ts";

const W = "InfluxDB at http://influx:8086";
const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:8086"), { code: "ECONNREFUSED" });
const http = (status: number) =>
  new HttpError(status, "Status", '{"message":"no"}', undefined, "application/json");

function reporter() {
  const logger = memoryLogger();
  const r = createStateReporter({ logger, where: W, org: "home", bucket: "heatpump" });
  // memoryLogger lines: `<ISO time> <level padded to 5> <message>`.
  const said = () => logger.lines.map((l) => l.slice(25));
  return { r, said };
}

describe("writer state reporter", () => {
  it("says each outage once per answer received, and once that writes are accepted again", () => {
    const { r, said } = reporter();
    r.accepted(); // already ok: nothing to say
    r.failed(refused);
    r.failed(refused);
    expect(r.state()).toBe("down");
    r.failed(http(503));
    r.failed(http(503));
    r.journalWritten(); // the journal had no trouble: nothing to say, the 503 stays said
    r.failed(http(503));
    r.accepted();
    r.accepted();
    expect(r.state()).toBe("ok");
    expect(said()).toEqual([
      `warn  ${W} is not accepting writes (connect ECONNREFUSED 10.0.0.5:8086); ` +
        "the journal keeps every point, will keep trying",
      `warn  ${W} is not accepting writes (HTTP 503); the journal keeps every point, will keep trying`,
      `info  ${W} accepts writes again; sending the backlog in order`,
    ]);
  });

  it("names the setting to check for 401, 403 and 404", () => {
    const { r, said } = reporter();
    r.failed(http(401));
    r.failed(http(401));
    r.failed(http(403));
    r.failed(http(404));
    expect(r.state()).toBe("auth");
    expect(said()).toEqual([
      `error ${W}: the token is wrong or lacks write permission on bucket "heatpump" (HTTP 401); ` +
        "check INFLUX_TOKEN. The journal keeps every point; retrying.",
      `error ${W}: the token is wrong or lacks write permission on bucket "heatpump" (HTTP 403); ` +
        "check INFLUX_TOKEN. The journal keeps every point; retrying.",
      `error ${W}: org "home" or bucket "heatpump" does not exist (HTTP 404); ` +
        "check INFLUX_ORG and INFLUX_BUCKET. The journal keeps every point; retrying.",
    ]);
  });

  it("says once that every write is refused, as down, with the server's message cut at 300 characters", () => {
    const { r, said } = reporter();
    r.refusingEverything(400, "forced bad request");
    r.refusingEverything(400, "forced bad request");
    expect(r.state()).toBe("down");
    r.refusingEverything(422, "x".repeat(301));
    expect(said()).toEqual([
      `warn  ${W} refuses every write, even single lines (HTTP 400: forced bad request); ` +
        "the journal keeps every point, will keep trying",
      `warn  ${W} refuses every write, even single lines (HTTP 422: ${"x".repeat(300)}...); ` +
        "the journal keeps every point, will keep trying",
    ]);
  });

  it("says once that the journal cannot be updated, keeps the state, and once that it can again", () => {
    const { r, said } = reporter();
    r.journalWritten(); // no failure before: nothing to say
    r.journalFailed("ENOSPC", "/data/journal/cursor.json", ", 0 bytes free");
    r.journalFailed("ENOSPC", "/data/journal/cursor.json", ", 0 bytes free");
    expect(r.state()).toBe("ok");
    r.accepted(); // InfluxDB was never down: nothing to say about it
    r.journalWritten();
    r.journalWritten();
    expect(said()).toEqual([
      "error cannot update the journal (/data/journal/cursor.json): ENOSPC, 0 bytes free; " +
        "sending pauses and resumes by itself, nothing is lost",
      "info  the journal can be updated again; sending goes on",
    ]);
  });
});
