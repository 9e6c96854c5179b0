/**
 * Fake ntfy, webhook and health check servers on loopback: each records every request (method, path
 * with query, headers, body, time) and answers what the test says (a status per request, a delay, or
 * no answer at all).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly atMs: number;
}

export interface FakeReceiver {
  readonly url: string;
  readonly received: Received[];
  /** The answer to the next requests: a status (default 200), optionally after `delayMs`; "hang": none. */
  answer: (req: Received, n: number) => { status: number; delayMs?: number } | "hang";
  /** JSON bodies of the requests received. */
  json(): unknown[];
  close(): Promise<void>;
}

export async function startReceiver(path = "/"): Promise<FakeReceiver> {
  const received: Received[] = [];
  const fake: FakeReceiver = {
    url: "",
    received,
    answer: () => ({ status: 200 }),
    json: () => received.map((r) => JSON.parse(r.body) as unknown),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        atMs: Date.now(),
      };
      received.push(r);
      const a = fake.answer(r, received.length);
      if (a === "hang") return;
      setTimeout(() => {
        res.writeHead(a.status, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: a.status < 300 }));
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, { url: `http://127.0.0.1:${port}${path}` });
}
