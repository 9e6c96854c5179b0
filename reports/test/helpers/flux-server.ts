/**
 * A loopback stand-in for InfluxDB's query endpoint (`POST /api/v2/query`, JSON body with the Flux
 * text): `answer` turns each query into the annotated CSV to send back. Listens on 127.0.0.1 port 0.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "../../../collector/simulator/http-util.ts";

export interface FluxServer {
  url: string;
  /** Every query received, in arrival order. */
  queries: string[];
  close(): Promise<void>;
}

export async function startFluxServer(answer: (query: string) => string): Promise<FluxServer> {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const q = (JSON.parse(body) as { query: string }).query;
      queries.push(q);
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8" });
      res.end(answer(q));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
