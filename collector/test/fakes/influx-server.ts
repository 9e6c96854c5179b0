/**
 * A fake InfluxDB v2 write endpoint on loopback, for the writer's tests, the outage and kill -9
 * tests and the benchmark. Behaviour follows the InfluxDB v2 API reference
 * (https://docs.influxdata.com/influxdb/v2/api/#operation/PostWrite): `POST /api/v2/write?org=&bucket=&precision=`
 * with `Authorization: Token <token>`, body in line protocol (gzipped when `Content-Encoding: gzip`),
 * answers 204; 400 `{"code":"invalid","message":"unable to parse ..."}` naming the first malformed
 * line (every line is checked with our parser), and then nothing of the request is written; 422
 * `{"code":"unprocessable entity","message":"failure writing points to database: partial write: field
 * type conflict: ... dropped=N"}` for lines whose field has another type (number, boolean, string)
 * than the first value stored for it, while the other lines of the request are written (InfluxDB 2
 * names the first conflict of a request, tsdb/shard.go; `fieldTypes` seeds types another tool wrote
 * before); with `retentionMs`, points older than now minus it are dropped and the others written,
 * answered 422 in InfluxDB 2.7.12's words (v1/coordinator/points_writer.go, `SummariseDropped`;
 * a type conflict in the same request is answered instead, as a shard's error wins there); 401
 * `{"code":"unauthorized","message":"unauthorized access"}` for a wrong token. Status codes and
 * partial-write semantics as documented in "Troubleshoot issues writing data"
 * (https://docs.influxdata.com/influxdb/v2/write-data/troubleshoot/). `GET /health` and `GET /ping`
 * answer like the real server. `maxBodyBytes` stands in for a reverse proxy's body size limit
 * (nginx `client_max_body_size`): a larger request body, as sent (gzipped or not), gets 413.
 *
 * ```ts
 * const influx = await startFakeInflux({ token: "t0ken" });
 * influx.url;                // "http://127.0.0.1:<port>"
 * influx.lines;              // every accepted line, in arrival order
 * influx.requests;           // one entry per write request: status, lines received, gzip
 * await influx.setMode("down");        // connections refused (port closed)
 * await influx.setMode("unavailable"); // 503 with Retry-After: influx.retryAfter (default "1")
 * await influx.setMode("hang");        // requests are read and never answered
 * await influx.setMode("forbidden");   // 403
 * await influx.setMode("bad-request"); // 400 for every write
 * await influx.setMode("up");
 * await influx.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { parseLine } from "../../../core/src/data/line-protocol.ts";

export type FakeInfluxMode = "up" | "down" | "unavailable" | "forbidden" | "bad-request" | "hang";

export interface FakeInfluxRequest {
  readonly status: number;
  readonly lines: number;
  /** The lines as received. */
  readonly received: readonly string[];
  /** Body bytes as received (compressed when gzip). */
  readonly bytes: number;
  readonly gzip: boolean;
  readonly query: Readonly<Record<string, string>>;
  /** When the request arrived (Date.now()). */
  readonly atMs: number;
}

export interface FakeInflux {
  readonly url: string;
  readonly lines: string[];
  readonly requests: FakeInfluxRequest[];
  /** Retry-After value of the `unavailable` mode's 503 (delta-seconds or HTTP-date). */
  retryAfter: string;
  setMode(mode: FakeInfluxMode): Promise<void>;
  close(): Promise<void>;
}

export interface FakeInfluxOptions {
  /** Required token; default `test-token`. */
  token?: string;
  port?: number;
  /** Bodies larger than this many bytes (as sent) get 413, like a proxy's limit. Default: none. */
  maxBodyBytes?: number;
  /**
   * Field types already in the bucket, e.g. `{ "electric.power_w": "integer" }`: written by another
   * tool (a number in our lines is a float, so it conflicts). Default: none.
   */
  fieldTypes?: Readonly<Record<string, string>>;
  /** The bucket's retention period, ms: older points are dropped (a partial write). Default: infinite. */
  retentionMs?: number;
}

/** The field type InfluxDB stores for a value: a later value of another type is a conflict. */
const fieldType = (v: unknown) => (typeof v === "number" ? "float" : typeof v);
/** Go's time.Duration text of whole seconds: `72h0m0s`, `30m0s`, `5s`. */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
}
/** Go's RFC3339Nano: no trailing zeros in the fraction. */
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.?0+Z$/, "Z");
/** A point's series key as InfluxDB prints it: the line up to its first unescaped space. */
const seriesKey = (line: string) => /^(?:[^ \\]|\\.)*/.exec(line)![0];
/** The bucket's id in the retention message (InfluxDB names the database by it). */
const BUCKET_ID = "610c26001281c704";

function answer(
  res: ServerResponse,
  status: number,
  body?: object,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, body ? { "content-type": "application/json; charset=utf-8", ...headers } : headers);
  res.end(body ? JSON.stringify(body) : undefined);
}

export async function startFakeInflux(opts: FakeInfluxOptions = {}): Promise<FakeInflux> {
  const token = opts.token ?? "test-token";
  const lines: string[] = [];
  const requests: FakeInfluxRequest[] = [];
  let mode: FakeInfluxMode = "up";
  const fieldTypes = new Map<string, string>(Object.entries(opts.fieldTypes ?? {}));
  const hanging = new Set<ServerResponse>();
  let server: Server | undefined;
  let port = opts.port ?? 0;
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", "http://x");
    if (req.method === "GET" && u.pathname === "/health")
      return answer(res, 200, { name: "influxdb", message: "ready for queries and writes", status: "pass" });
    if (req.method === "GET" && u.pathname === "/ping")
      return answer(res, 204, undefined, { "x-influxdb-version": "v2.7.12" });
    if (req.method !== "POST" || u.pathname !== "/api/v2/write")
      return answer(res, 404, { code: "not found", message: "path not found" });
    const atMs = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const gzip = req.headers["content-encoding"] === "gzip";
    const body = (gzip ? gunzipSync(raw) : raw).toString("utf8");
    const got = body.split("\n").filter((l) => l.length > 0);
    const query = Object.fromEntries(u.searchParams);
    const record = (status: number) =>
      requests.push({ status, lines: got.length, received: got, bytes: raw.length, gzip, query, atMs });
    if (mode === "hang") {
      record(0);
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (opts.maxBodyBytes !== undefined && raw.length > opts.maxBodyBytes) {
      record(413);
      // What nginx answers for client_max_body_size: an HTML page, no JSON.
      res.writeHead(413, { "content-type": "text/html" });
      res.end("<html><head><title>413 Request Entity Too Large</title></head></html>");
      return;
    }
    if (req.headers.authorization !== `Token ${token}`) {
      record(401);
      return answer(res, 401, { code: "unauthorized", message: "unauthorized access" });
    }
    if (mode === "forbidden") {
      record(403);
      return answer(res, 403, { code: "forbidden", message: "insufficient permissions for write" });
    }
    if (mode === "unavailable") {
      record(503);
      return answer(
        res,
        503,
        { code: "unavailable", message: "service unavailable" },
        { "retry-after": fake.retryAfter },
      );
    }
    if (mode === "bad-request") {
      record(400);
      return answer(res, 400, { code: "invalid", message: "forced bad request" });
    }
    const parsed = [];
    for (const l of got) {
      try {
        parsed.push(parseLine(l)!);
      } catch (e) {
        record(400);
        return answer(res, 400, {
          code: "invalid",
          message: `unable to parse '${l}': ${(e as Error).message}`,
        });
      }
    }
    // Beyond the retention: dropped before any type check (no shard takes them).
    const bound = opts.retentionMs === undefined ? -Infinity : Date.now() - opts.retentionMs;
    const expired = parsed.flatMap((p, i) => (p.timeMs < bound ? [{ line: got[i]!, timeMs: p.timeMs }] : []));
    const conflicts: string[] = [];
    parsed.forEach((p, i) => {
      if (p.timeMs < bound) return;
      const clash = Object.entries(p.fields).find(([f, v]) => {
        const known = fieldTypes.get(`${p.measurement}.${f}`);
        return known !== undefined && known !== fieldType(v);
      });
      if (clash) {
        const [f, v] = clash;
        conflicts.push(
          `field type conflict: input field "${f}" on measurement "${p.measurement}" ` +
            `is type ${fieldType(v)}, already exists as type ${fieldTypes.get(`${p.measurement}.${f}`)}`,
        );
        return;
      }
      for (const [f, v] of Object.entries(p.fields)) fieldTypes.set(`${p.measurement}.${f}`, fieldType(v));
      lines.push(got[i]!);
    });
    if (conflicts.length > 0) {
      record(422);
      return answer(res, 422, {
        code: "unprocessable entity",
        message: `failure writing points to database: partial write: ${conflicts[0]} dropped=${conflicts.length}`,
      });
    }
    if (expired.length > 0) {
      record(422);
      const sorted = [...expired].sort((a, b) => a.timeMs - b.timeMs);
      const at = rfc3339(bound);
      const drop = (which: string, e: { line: string; timeMs: number }) =>
        `${which} point ${seriesKey(e.line)} at ${rfc3339(e.timeMs)} dropped because it violates a ` +
        `Retention Policy Lower Bound at ${at}`;
      return answer(res, 422, {
        code: "unprocessable entity",
        message:
          `failure writing points to database: partial write: dropped ${expired.length} points outside ` +
          `retention policy of duration ${goDuration(opts.retentionMs!)} - ${drop("oldest", sorted[0]!)}, ` +
          `${drop("newest", sorted.at(-1)!)} dropped=${expired.length} for database: ${BUCKET_ID} ` +
          "for retention policy: autogen",
      });
    }
    record(204);
    answer(res, 204);
  }

  async function listen(): Promise<void> {
    const s = createServer((req, res) => {
      handle(req, res).catch((e: unknown) =>
        answer(res, 500, { code: "internal error", message: String(e) }),
      );
    });
    s.on("connection", (sock) => {
      sockets.add(sock);
      sock.on("close", () => sockets.delete(sock));
    });
    await new Promise<void>((resolve) => s.listen(port, "127.0.0.1", resolve));
    port = (s.address() as AddressInfo).port;
    server = s;
  }

  async function unlisten(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s) return;
    hanging.clear();
    for (const sock of sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await listen();
  const fake: FakeInflux = {
    url: `http://127.0.0.1:${port}`,
    lines,
    requests,
    retryAfter: "1",
    async setMode(next) {
      if (next === "down") await unlisten();
      else if (!server) await listen();
      // Requests held by `hang` are dropped (connection reset), as by a server that died.
      if (mode === "hang" && next !== "hang") for (const res of [...hanging]) res.destroy();
      mode = next;
    },
    close: unlisten,
  };
  return fake;
}
