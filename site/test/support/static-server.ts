/** A tiny static file server for tests: serves a built site on 127.0.0.1, port chosen by the OS. */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css",
  ".svg": "image/svg+xml",
};

/** Resolves a URL path like nginx's `try_files $uri $uri/ $uri.html`, or null for a 404. */
export function resolvePath(root: string, urlPath: string): string | null {
  const clean = normalize(decodeURIComponent(urlPath.split("?")[0]!)).replace(/^(\.\.[/\\])+/, "");
  for (const candidate of [clean, join(clean, "index.html"), `${clean}.html`]) {
    const p = join(root, candidate);
    if (!p.startsWith(root)) return null;
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return null;
}

export async function serveStatic(
  root: string,
): Promise<{ url: string; close: () => Promise<void>; server: Server }> {
  const server = createServer((req, res) => {
    const path = req.url === "/favicon.ico" ? null : resolvePath(root, req.url ?? "/");
    if (!path) {
      res.writeHead(req.url === "/favicon.ico" ? 204 : 404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
