/**
 * A fake InfluxDB v2 write endpoint on loopback, for the writer's tests, the outage and kill -9
 * tests and the benchmark. Behaviour follows the InfluxDB v2 API reference
 * (https://docs.influxdata.com/influxdb/v2/api/#operation/PostWrite): `POST /api/v2/write?org=&bucket=&precision=`
 * with `Authorization: Token <token>`, body in line protocol (gzipped when `Content-Encoding: gzip`),
 * answers 204; 400 `{"code":"invalid","message":"unable to parse ..."}` for a malformed line (every
 * line is checked with our parser); 401 `{"code":"unauthorized","message":"unauthorized access"}` for
 * a wrong token. `GET /health` and `GET /ping` answer like the real server.
 *
 * ```ts
 * const influx = await startFakeInflux({ token: "t0ken" });
 * influx.url;                // "http://127.0.0.1:<port>"
 * influx.lines;              // every accepted line, in arrival order
 * influx.requests;           // one entry per write request: status, line count, gzip
 * await influx.setMode("down");        // connections refused (port closed)
 * await influx.setMode("unavailable"); // 503 with Retry-After: 1
 * await influx.setMode("forbidden");   // 403
 * await influx.setMode("bad-request"); // 400 for every write
 * await influx.setMode("up");
 * await influx.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { parseLine } from "../../src/store/line-protocol.ts";

export type FakeInfluxMode = "up" | "down" | "unavailable" | "forbidden" | "bad-request";

export interface FakeInfluxRequest {
  readonly status: number;
  readonly lines: number;
  readonly gzip: boolean;
  readonly query: Readonly<Record<string, string>>;
}

export interface FakeInflux {
  readonly url: string;
  readonly lines: string[];
  readonly requests: FakeInfluxRequest[];
  setMode(mode: FakeInfluxMode): Promise<void>;
  close(): Promise<void>;
}

export interface FakeInfluxOptions {
  /** Required token; default `test-token`. */
  token?: string;
  port?: number;
}

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
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const gzip = req.headers["content-encoding"] === "gzip";
    const body = (gzip ? gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks)).toString("utf8");
    const got = body.split("\n").filter((l) => l.length > 0);
    const query = Object.fromEntries(u.searchParams);
    const record = (status: number) => requests.push({ status, lines: got.length, gzip, query });
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
        { "retry-after": "1" },
      );
    }
    if (mode === "bad-request") {
      record(400);
      return answer(res, 400, { code: "invalid", message: "forced bad request" });
    }
    for (const l of got) {
      try {
        parseLine(l);
      } catch (e) {
        record(400);
        return answer(res, 400, {
          code: "invalid",
          message: `unable to parse '${l}': ${(e as Error).message}`,
        });
      }
    }
    lines.push(...got);
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
    for (const sock of sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    lines,
    requests,
    async setMode(next) {
      if (next === "down") await unlisten();
      else if (!server) await listen();
      mode = next;
    },
    close: unlisten,
  };
}
