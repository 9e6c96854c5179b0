/**
 * The official Flux language server (@influxdata/flux-lsp-node, wasm) driven in-process: initialize,
 * then didOpen each query as a document and collect its publishDiagnostics (parse and type errors).
 * Messages are plain JSON-RPC strings (no Content-Length framing in this binding).
 */
import { Lsp } from "@influxdata/flux-lsp-node";

interface Diagnostic {
  message: string;
  range: { start: { line: number; character: number } };
}

interface FluxChecker {
  check(text: string): Promise<Diagnostic[]>;
}

let shared: Promise<FluxChecker> | undefined;

export function fluxChecker(): Promise<FluxChecker> {
  shared ??= start();
  return shared;
}

async function start(): Promise<FluxChecker> {
  const lsp = new Lsp();
  const waiting = new Map<string, (d: Diagnostic[]) => void>();
  lsp.onMessage((raw: unknown) => {
    const m = JSON.parse(String(raw)) as {
      method?: string;
      params?: { uri: string; diagnostics: Diagnostic[] };
    };
    if (m.method === "textDocument/publishDiagnostics" && m.params)
      waiting.get(m.params.uri)?.(m.params.diagnostics);
  });
  // The server logs "INFO … language server initialized" through console.info while it starts:
  // kept here, off the test output, and shown only if starting fails.
  const started: string[] = [];
  const info = console.info;
  console.info = (...args: unknown[]) => void started.push(args.join(" "));
  try {
    void lsp.run();
    await lsp.send(
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { capabilities: {} } }),
    );
    await lsp.send(JSON.stringify({ jsonrpc: "2.0", method: "initialized", params: {} }));
  } catch (e) {
    throw new Error(`the Flux language server did not start; it said: ${started.join("; ")}`, { cause: e });
  } finally {
    console.info = info;
  }
  let n = 0;
  return {
    async check(text: string) {
      const uri = `file:///query-${++n}.flux`;
      const got = new Promise<Diagnostic[]>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no diagnostics from the Flux language server for ${uri}`)),
          10_000,
        );
        waiting.set(uri, (d) => {
          clearTimeout(timer);
          resolve(d);
        });
      });
      await lsp.send(
        JSON.stringify({
          jsonrpc: "2.0",
          method: "textDocument/didOpen",
          params: { textDocument: { uri, languageId: "flux", version: 1, text } },
        }),
      );
      return got;
    },
  };
}
