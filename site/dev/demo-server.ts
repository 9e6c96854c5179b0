/**
 * The demo's small static web server (node:http): serves the built site from `root` the way the
 * Docker stack's nginx does (same security headers, read from site/nginx/site.conf; same
 * `$uri`, `$uri/index.html`, `$uri.html` lookup; same cache policy), and answers a
 * self-refreshing "first build is running" page until the first build has been swapped in.
 * The root is resolved on every request, so atomic swaps by the builder are picked up at once.
 */
import { createReadStream, readFileSync, type Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { SITE_CONF } from "../nginx/standalone-conf.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".xml": "application/xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/** The constant `add_header` values of site.conf (CSP, nosniff, Referrer-Policy, ...). */
export function securityHeaders(conf = readFileSync(SITE_CONF, "utf8")): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of conf.matchAll(/^\s*add_header\s+([\w-]+)\s+"([^"$]*)"\s+always;/gm)) out[m[1]!] = m[2]!;
  return out;
}

/** Same policy as site.conf's `map $uri $heatpump_cache_control`. */
export function cacheControl(path: string): string {
  if (path.startsWith("/archive/")) return "no-cache";
  if (path.startsWith("/_astro/")) return "public, max-age=31536000, immutable";
  if (/\.(css|svg|png|ico|woff2?)$/.test(path)) return "public, max-age=3600";
  return "no-cache";
}

const BUILDING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Heat pump monitor demo: first build running</title></head>
<body><h1>The first build of the site is running</h1>
<p>The demo writes simulated history (a few seconds per month of it), starts the simulated devices and
the collector, then builds the dashboard, reports and archive from that history.
This page reloads every 5 seconds until the site is there.</p></body></html>
`;

export interface DemoServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export interface DemoServerOptions {
  /** Directory of the published site (SITE_OUT). */
  root: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Listen address; default 127.0.0.1 (this machine only). */
  host?: string;
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/** The file for a URL path, found as site.conf's `try_files` finds it; null = 404. */
async function lookup(root: string, urlPath: string): Promise<{ file: string; uri: string } | null> {
  const base = resolve(root);
  const candidates = urlPath.endsWith("/")
    ? [`${urlPath}index.html`]
    : [urlPath, `${urlPath}/index.html`, `${urlPath}.html`];
  for (const uri of candidates) {
    const file = resolve(join(base, uri));
    if (file !== base && !file.startsWith(base + sep)) return null; // `..` escaping the root
    const st = await statOrNull(file);
    if (st?.isFile()) return { file, uri };
  }
  return null;
}

export function startDemoServer(opts: DemoServerOptions): Promise<DemoServer> {
  const headers = securityHeaders();
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const send = (status: number, file: string, uri: string) => {
      res.writeHead(status, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": cacheControl(uri),
      });
      if (req.method === "HEAD") res.end();
      else
        createReadStream(file)
          .on("error", () => res.destroy())
          .pipe(res);
    };
    const hidden = path.split("/").some((s) => s.startsWith("."));
    const found = hidden ? null : await lookup(opts.root, path);
    if (found) return send(200, found.file, found.uri);
    if (!(await statOrNull(join(opts.root, "index.html")))) {
      res.writeHead(503, {
        "content-type": TYPES[".html"]!,
        "cache-control": "no-store",
        "retry-after": "5",
      });
      res.end(req.method === "HEAD" ? undefined : BUILDING_PAGE);
      return;
    }
    const notFound = join(opts.root, "404.html");
    if (await statOrNull(notFound)) return send(404, notFound, "/404.html");
    res.writeHead(404, { "content-type": TYPES[".txt"]! }).end("Not found\n");
  };
  const server: Server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolveStart, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : opts.port;
      resolveStart({
        port,
        url: `http://localhost:${port}/`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
