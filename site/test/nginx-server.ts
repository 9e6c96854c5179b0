/**
 * Test helpers: run Debian's nginx in the foreground with the project's site/nginx/site.conf
 * (root and listen replaced, everything else verbatim) on 127.0.0.1 and a free port, and fetch raw
 * responses (no automatic decompression, so Content-Encoding can be checked).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderNginxConfig } from "../nginx/standalone-conf.ts";

export const NGINX_BIN = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

/** For a suite's first hook: without nginx its tests fail, saying what to install (never skipped). */
export function needNginx(): void {
  if (!NGINX_BIN) throw new Error("nginx is not installed: apt-get install nginx (.ci/run does)");
}

export interface RunningNginx {
  readonly baseUrl: string;
  readonly port: number;
  readonly workDir: string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts nginx serving `root`; resolves once it answers HTTP. */
export async function startNginx(root: string): Promise<RunningNginx> {
  if (!NGINX_BIN) throw new Error("nginx is not installed (apt-get install nginx)");
  const workDir = mkdtempSync(join(tmpdir(), "nginx-test-"));
  const port = await freePort();
  const confPath = join(workDir, "nginx.conf");
  // As root, nginx's workers would run as `nobody` and could not read a 0700 temp directory.
  const asRoot = process.getuid?.() === 0;
  writeFileSync(
    confPath,
    renderNginxConfig({ workDir, root, listen: `127.0.0.1:${port}`, user: asRoot ? "root" : undefined }),
  );
  const child: ChildProcess = spawn(NGINX_BIN, ["-c", confPath, "-e", "stderr", "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}`);
    try {
      await get(baseUrl + "/");
      break;
    } catch {
      if (i > 100) throw new Error(`nginx did not answer on ${baseUrl}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    baseUrl,
    port,
    workDir,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGQUIT"); // graceful shutdown
        await exited;
      }
    },
  };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** GET without decompression; `headers` e.g. { "accept-encoding": "gzip" }. */
export function get(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
