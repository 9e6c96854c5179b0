/**
 * The HTTP face of the stand-in: the parts of InfluxDB 2.7's API the project uses, answering
 * like influxdb v2.7.12 does (http/query_handler.go, http/write_handler.go, http/health.go,
 * kit/transport/http/error_handler.go for error bodies and status codes).
 *
 *   POST /api/v2/query?org=   JSON {query, dialect, type} (or raw Flux with application/vnd.flux)
 *   POST /api/v2/write?org=&bucket=&precision=ns|us|ms|s   line protocol, gzip accepted
 *   GET  /health, GET /ping, GET /ready
 *
 * Query responses are gzip-compressed when the client accepts it and the body reaches 1400 bytes
 * (NYTimes gziphandler v1.0.1 DefaultMinSize, used by InfluxDB). A runtime error before any
 * table answers with an HTTP error (400 "invalid" or 500 "internal error"); after tables it
 * becomes an error table in a 200 response.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { once } from "node:events";
import { createGzip, gunzip, type Gzip } from "node:zlib";
import { encodeResult, type Annotation, type Dialect } from "./annotated-csv.ts";
import { evaluate, type EvalResult } from "./evaluate.ts";
import { LineProtocolParser, type Precision } from "./line-protocol.ts";
import { FluxCompileError, parseFlux } from "./parse.ts";
import { Bucket, Loader, type LoadOptions, type WriteResult } from "./store.ts";

const gunzipAsync = promisify(gunzip);
const GZIP_MIN_SIZE = 1400;
const VERSION = "v2.7.12";

interface TokenSpec {
  token: string;
  /** May read (query) the buckets; default true. */
  read?: boolean;
  /** May write; default true. */
  write?: boolean;
}

interface StandInOptions {
  org?: string;
  /** 16 hex digits; random by default. */
  orgId?: string;
  bucket?: string;
  /** The all-access token; random by default. */
  token?: string;
  /** Further tokens with restricted permissions. */
  tokens?: TokenSpec[];
  /** Clock for lines written without a timestamp (ms since the epoch). */
  now?: () => number;
}

/** Make the n-th query (1-based, counted from the first query the server receives) fail. */
export interface Fault {
  query: number;
  /** Data rows written before the error; 0 answers with an HTTP error instead. */
  afterRows: number;
  message: string;
  /** "invalid" (HTTP 400, default) or "internal error" (HTTP 500) when nothing was written. */
  code?: "invalid" | "internal error";
}

interface QueryLogEntry {
  query: string;
  status: number;
  /** The physical plan the stand-in used (e.g. "ReadRange+filter |> group |> sort"). */
  plan?: string;
  /** Body bytes before compression. */
  bytes: number;
  /** Body bytes on the wire. */
  wireBytes: number;
  gzip: boolean;
  tables: number;
  rows: number;
  error?: string;
}

export interface StandInStats {
  queries: number;
  /** The Flux text of every query, in arrival order. */
  queryTexts: string[];
  /** Response body bytes of all queries, uncompressed. */
  responseBytes: number;
  /** Response body bytes of all queries as sent (after gzip where used). */
  wireBytes: number;
  writes: number;
  /** Writes whose body came gzip-compressed. */
  gzipWrites: number;
  writtenPoints: number;
  log: QueryLogEntry[];
  reset(): void;
}

export interface InfluxStandIn {
  url: string;
  org: string;
  orgId: string;
  bucket: string;
  token: string;
  stats: StandInStats;
  /** Line protocol into a bucket without HTTP (one write: a bad line rejects all of it). */
  load(lineProtocol: string, opts?: LoadOptions & { bucket?: string }): WriteResult;
  /** A .lp file, or every .lp file of a directory, in batches of 10 000 lines. */
  loadPath(path: string, opts?: LoadOptions & { bucket?: string }): WriteResult;
  createBucket(name: string): void;
  injectFault(fault: Fault): void;
  /** Evaluates a query without HTTP (no stats, no faults). */
  evaluate(flux: string, bucket?: string): EvalResult;
  close(): Promise<void>;
}

interface HttpError {
  status: number;
  code: string;
  message: string;
}
const STATUS: Record<string, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  "not found": 404,
  "unprocessable entity": 422,
  "internal error": 500,
};
const httpError = (code: string, message: string): HttpError => ({
  status: STATUS[code] ?? 500,
  code,
  message,
});

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/i.test(String(req.headers["accept-encoding"] ?? ""));
}

/** Writes a body the way gziphandler does: compressed once it reaches 1400 bytes, plain below. */
async function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  chunks: Iterable<string>,
): Promise<{ bytes: number; wireBytes: number; gzip: boolean }> {
  res.setHeader("Vary", "Accept-Encoding");
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const gzip = acceptsGzip(req);
  let bytes = 0;
  let wireBytes = 0;
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let zipper: Gzip | null = null;
  const write = async (b: Buffer) => {
    const target = zipper ?? res;
    if (!target.write(b)) await once(target, "drain");
  };
  for (const s of chunks) {
    const b = Buffer.from(s, "utf8");
    bytes += b.length;
    if (zipper) {
      await write(b);
      continue;
    }
    pending.push(b);
    pendingLen += b.length;
    if (gzip && pendingLen >= GZIP_MIN_SIZE) {
      zipper = createGzip();
      res.setHeader("Content-Encoding", "gzip");
      res.writeHead(status);
      zipper.on("data", (d: Buffer) => {
        wireBytes += d.length;
      });
      zipper.pipe(res);
      await write(Buffer.concat(pending));
      pending = [];
    }
  }
  if (zipper) {
    await new Promise<void>((resolve) => {
      res.once("finish", resolve);
      (zipper as Gzip).end();
    });
    return { bytes, wireBytes, gzip: true };
  }
  const body = Buffer.concat(pending);
  wireBytes = body.length;
  res.writeHead(status);
  await new Promise<void>((resolve) => res.end(body, resolve));
  return { bytes, wireBytes, gzip: false };
}

function sendError(req: IncomingMessage, res: ServerResponse, e: HttpError) {
  return sendBody(
    req,
    res,
    e.status,
    { "Content-Type": "application/json; charset=utf-8", "X-Platform-Error-Code": e.code },
    [JSON.stringify({ code: e.code, message: e.message })],
  );
}

const ANNOTATIONS = new Set(["datatype", "group", "default"]);

export async function startInfluxStandIn(opts: StandInOptions = {}): Promise<InfluxStandIn> {
  const org = opts.org ?? "stand-in";
  const orgId = opts.orgId ?? randomBytes(8).toString("hex");
  const bucketName = opts.bucket ?? "stand-in";
  const token = opts.token ?? randomBytes(24).toString("base64url");
  const now = opts.now ?? Date.now;
  const buckets = new Map<string, Bucket>([[bucketName, new Bucket(bucketName)]]);
  const tokens = new Map<string, Required<TokenSpec>>([[token, { token, read: true, write: true }]]);
  for (const t of opts.tokens ?? [])
    tokens.set(t.token, { token: t.token, read: t.read ?? true, write: t.write ?? true });
  const loader = new Loader();
  const parser = new LineProtocolParser();
  const faults: Fault[] = [];

  const stats: StandInStats = {
    queries: 0,
    queryTexts: [],
    responseBytes: 0,
    wireBytes: 0,
    writes: 0,
    gzipWrites: 0,
    writtenPoints: 0,
    log: [],
    reset() {
      stats.queries = 0;
      stats.queryTexts = [];
      stats.responseBytes = 0;
      stats.wireBytes = 0;
      stats.writes = 0;
      stats.gzipWrites = 0;
      stats.writtenPoints = 0;
      stats.log = [];
    },
  };

  const authorize = (req: IncomingMessage): Required<TokenSpec> | null => {
    const m = /^(?:Token|Bearer)\s+(.+)$/i.exec(String(req.headers.authorization ?? ""));
    return m ? (tokens.get((m[1] as string).trim()) ?? null) : null;
  };

  /** queryOrganization (http/requests.go): org by name or id, orgID by id. */
  const findOrg = (url: URL): HttpError | null => {
    const byName = url.searchParams.get("org");
    const byId = url.searchParams.get("orgID");
    if (byId) return byId === orgId ? null : httpError("not found", "organization not found");
    if (!byName) return httpError("invalid", "Please provide either orgID or org");
    if (byName === org || byName === orgId) return null;
    if (/^[0-9a-f]{16}$/.test(byName)) return httpError("not found", "organization not found");
    return httpError("not found", `organization name "${byName}" not found`);
  };

  async function handleQuery(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const auth = authorize(req);
    if (!auth) return void (await sendError(req, res, httpError("unauthorized", "unauthorized access")));
    let body = await readBody(req);
    if (/gzip/i.test(String(req.headers["content-encoding"] ?? ""))) body = await gunzipAsync(body);
    const decodeFail = (msg: string) =>
      sendError(req, res, httpError("invalid", `failed to decode request body: ${msg}`));
    let query: string;
    let dialect: Dialect;
    const ct = String(req.headers["content-type"] ?? "application/json");
    if (ct.startsWith("application/vnd.flux")) {
      query = body.toString("utf8");
      dialect = { header: true, delimiter: ",", annotations: [] };
    } else {
      let parsed: { query?: unknown; type?: unknown; dialect?: Record<string, unknown> };
      try {
        parsed = JSON.parse(body.toString("utf8")) as typeof parsed;
      } catch (e) {
        return void (await decodeFail(
          "failed parsing request body as JSON; if sending a raw Flux script, " +
            `set 'Content-Type: application/vnd.flux' in your request headers: ${(e as Error).message}`,
        ));
      }
      if (typeof parsed.query !== "string" || parsed.query === "")
        return void (await decodeFail("request body requires either query or AST"));
      if (parsed.type !== undefined && parsed.type !== "flux")
        return void (await decodeFail(`unknown query type: ${String(parsed.type)}`));
      query = parsed.query;
      const d = parsed.dialect ?? {};
      const annotations = Array.isArray(d.annotations) ? (d.annotations as string[]) : [];
      const bad = annotations.find((a) => !ANNOTATIONS.has(a));
      if (bad !== undefined) return void (await decodeFail(`unknown dialect annotation type: ${bad}`));
      const delimiter = typeof d.delimiter === "string" && d.delimiter !== "" ? d.delimiter : ",";
      if ([...delimiter].length !== 1)
        return void (await decodeFail("invalid dialect delimeter: must be length 1"));
      dialect = { header: d.header !== false, delimiter, annotations: annotations as Annotation[] };
    }
    const orgErr = findOrg(url);
    if (orgErr) return void (await decodeFail(orgErr.message));

    stats.queries++;
    stats.queryTexts.push(query);
    const entry: QueryLogEntry = {
      query,
      status: 200,
      bytes: 0,
      wireBytes: 0,
      gzip: false,
      tables: 0,
      rows: 0,
    };
    stats.log.push(entry);
    const finish = (r: { bytes: number; wireBytes: number; gzip: boolean }, status: number) => {
      entry.status = status;
      entry.bytes = r.bytes;
      entry.wireBytes = r.wireBytes;
      entry.gzip = r.gzip;
      stats.responseBytes += r.bytes;
      stats.wireBytes += r.wireBytes;
    };
    const fail = async (e: HttpError) => {
      entry.error = e.message;
      finish(await sendError(req, res, e), e.status);
    };

    let result: EvalResult;
    try {
      const q = parseFlux(query);
      const bucket = buckets.get(q.bucket);
      if (!bucket || !auth.read)
        return void (await fail(
          httpError(
            "not found",
            `failed to initialize execute state: could not find bucket ${JSON.stringify(q.bucket)}`,
          ),
        ));
      result = evaluate(q, bucket);
    } catch (e) {
      if (e instanceof FluxCompileError) return void (await fail(httpError("invalid", e.message)));
      throw e;
    }
    entry.plan = result.plan;
    entry.tables = result.tables.length;
    let error = result.error;
    let errorAfterRows: number | undefined;
    const fault = faults.find((f) => f.query === stats.queries);
    if (fault) {
      error = { message: fault.message, code: fault.code ?? "invalid" };
      errorAfterRows = fault.afterRows;
    }
    const totalRows = result.tables.reduce((n, t) => n + t.length, 0);
    entry.rows = errorAfterRows === undefined ? totalRows : Math.min(totalRows, errorAfterRows);
    if (error && (result.tables.length === 0 || errorAfterRows === 0))
      return void (await fail(httpError(error.code, error.message)));
    if (error) entry.error = error.message;
    const encodeOpts = errorAfterRows === undefined ? { dialect } : { dialect, errorAfterRows };
    finish(
      await sendBody(
        req,
        res,
        200,
        { "Content-Type": "text/csv; charset=utf-8" },
        encodeResult(result.tables, error, encodeOpts),
      ),
      200,
    );
  }

  async function handleWrite(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const auth = authorize(req);
    if (!auth) return void (await sendError(req, res, httpError("unauthorized", "unauthorized access")));
    const precision = (url.searchParams.get("precision") || "ns") as Precision;
    if (!["ns", "us", "ms", "s"].includes(precision))
      return void (await sendError(
        req,
        res,
        httpError("invalid", "invalid precision; valid precision units are ns, us, ms, and s"),
      ));
    const bucketName = url.searchParams.get("bucket");
    if (!bucketName) return void (await sendError(req, res, httpError("not found", "bucket not found")));
    let body = await readBody(req);
    const gzipped = /gzip/i.test(String(req.headers["content-encoding"] ?? ""));
    if (gzipped) {
      try {
        body = await gunzipAsync(body);
      } catch (e) {
        return void (await sendError(
          req,
          res,
          httpError("invalid", `unable to read data: ${(e as Error).message}`),
        ));
      }
    }
    const orgErr = findOrg(url);
    if (orgErr) return void (await sendError(req, res, orgErr));
    const bucket = buckets.get(bucketName);
    if (!bucket || (!auth.read && !auth.write))
      return void (await sendError(req, res, httpError("not found", `bucket "${bucketName}" not found`)));
    if (!auth.write)
      return void (await sendError(req, res, httpError("forbidden", "insufficient permissions for write")));
    const { batch, failures } = parser.parse(body.toString("utf8"), {
      precision,
      defaultTimeNs: BigInt(now()) * 1_000_000n,
    });
    if (failures.length > 0)
      return void (await sendError(req, res, httpError("invalid", failures.join("\n"))));
    const r = bucket.write(batch);
    stats.writes++;
    if (gzipped) stats.gzipWrites++;
    stats.writtenPoints += r.points;
    if (r.dropped > 0)
      return void (await sendError(
        req,
        res,
        httpError(
          "unprocessable entity",
          `failure writing points to database: partial write: ${r.reason} dropped=${r.dropped}`,
        ),
      ));
    res.writeHead(204);
    res.end();
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const route = `${req.method} ${url.pathname}`;
    const run = async () => {
      switch (route) {
        case "POST /api/v2/query":
          return handleQuery(req, res, url);
        case "POST /api/v2/write":
          return handleWrite(req, res, url);
        case "GET /health": {
          const body = `${JSON.stringify({
            name: "influxdb",
            message: "ready for queries and writes",
            status: "pass",
            checks: [],
            version: VERSION,
            commit: "stand-in",
          })}\n`;
          res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
          res.end(body);
          return;
        }
        case "GET /ping":
        case "HEAD /ping":
          res.writeHead(204, { "X-Influxdb-Build": "OSS", "X-Influxdb-Version": VERSION });
          res.end();
          return;
        case "GET /ready":
          res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
          res.end(JSON.stringify({ status: "ready", started: new Date(0).toISOString(), up: "0s" }));
          return;
        default:
          await sendError(req, res, httpError("not found", "path not found"));
      }
    };
    run().catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json; charset=utf-8" });
        res.end(
          JSON.stringify({ code: "internal error", message: `stand-in failure: ${(e as Error).message}` }),
        );
      } else res.destroy(e as Error);
    });
  });
  // InfluxDB keeps an idle connection open; Node's default (5 s) equals the client agent's own idle
  // timeout, so a query sent on a connection the server is closing just then failed (ECONNRESET).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const target = (name?: string): Bucket => {
    const b = buckets.get(name ?? bucketName);
    if (!b) throw new Error(`stand-in has no bucket ${JSON.stringify(name)}; create it with createBucket()`);
    return b;
  };

  return {
    url,
    org,
    orgId,
    bucket: bucketName,
    token,
    stats,
    load(text, o = {}) {
      const b = target(o.bucket);
      const r = loader.loadText(b, text, { defaultTimeNs: BigInt(now()) * 1_000_000n, ...o });
      b.compact();
      return r;
    },
    loadPath(path, o = {}) {
      const b = target(o.bucket);
      const r = loader.loadPath(b, path, { defaultTimeNs: BigInt(now()) * 1_000_000n, ...o });
      b.compact();
      return r;
    },
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, new Bucket(name));
    },
    injectFault(f) {
      faults.push(f);
    },
    evaluate(flux, bucket) {
      return evaluate(parseFlux(flux), target(bucket));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
