import { describe, expect, it } from "vitest";
import type { Batch } from "../../src/store/journal-queue.ts";
import { createRefusalNarrowing, isRefusal } from "../../src/store/refusal-narrowing.ts";

/** `n` journal lines named line1 ... lineN; a batch's start and end are line indexes here. */
const journal = (n: number) => Array.from({ length: n }, (_, i) => `line${i + 1}`);
const batchAt = (lines: readonly string[], start: number, count: number): Batch => ({
  segment: "2026-11-27T03.lp",
  start,
  end: Math.min(lines.length, start + count),
  lines: lines.slice(start, start + count),
});

/** What the server answers a request: undefined for 204, else a status and its message. */
type Server = (lines: readonly string[]) => { status: number; message: string } | undefined;

/**
 * Sends the journal through the narrowing as the writer does (a refused batch is sent again in the
 * size asked for, a set-aside line is skipped, a partial write is done with) until it is through or
 * a single line is refused by a server refusing everything. Each request is `<lines> <what happened>`.
 */
function run(lines: readonly string[], server: Server, batchLines = 5000) {
  const narrowing = createRefusalNarrowing(batchLines);
  const requests: string[] = [];
  const sent: string[] = [];
  const setAside: string[] = [];
  for (let cursor = 0; cursor < lines.length;) {
    const batch = batchAt(lines, cursor, narrowing.lines());
    const answer = server(batch.lines);
    if (!answer) {
      requests.push(`${batch.lines.length} sent`);
      sent.push(...batch.lines);
      narrowing.sent(batch);
      cursor = batch.end;
      continue;
    }
    const next = narrowing.refused(batch, answer.status, answer.message);
    requests.push(`${batch.lines.length} ${next.action}${"started" in next && next.started ? " (new)" : ""}`);
    if (next.action === "refusing-everything") break;
    if (next.action === "partial-write") {
      narrowing.sent(batch);
      cursor = batch.end;
    }
    if (next.action === "set-aside") {
      setAside.push(...batch.lines);
      narrowing.setAside();
      cursor = batch.end;
    }
  }
  return { requests, sent, setAside, narrowing };
}

describe("refusal narrowing", () => {
  it("400 naming the first malformed line: a batch of 8 where lines 3 and 6 are refused, narrowed to those two", () => {
    const lines = journal(8);
    const parse = (got: readonly string[]) => {
      const bad = got.find((l) => l === "line3" || l === "line6");
      return bad ? { status: 400, message: `unable to parse '${bad}': bad field value` } : undefined;
    };
    const { requests, sent, setAside } = run(lines, parse);
    // 1-8 refused -> 1-4 refused -> 1-2 sent -> 3-4 refused -> 3 aside; whole batches again:
    // 4-8 refused (a new narrowing) -> 4-5 sent -> 6-7 refused -> 6 aside -> 7-8 sent.
    expect(requests).toEqual([
      "8 narrow (new)",
      "4 narrow",
      "2 sent",
      "2 narrow",
      "1 set-aside",
      "5 narrow (new)",
      "2 sent",
      "2 narrow",
      "1 set-aside",
      "2 sent",
    ]);
    expect(setAside).toEqual(["line3", "line6"]);
    expect(sent).toEqual(["line1", "line2", "line4", "line5", "line7", "line8"]);
  });

  it("422 is a partial write: never bisected nor sent again, whatever the batch size", () => {
    const conflict = (got: readonly string[]) =>
      got.includes("line3") || got.includes("line6")
        ? { status: 422, message: "partial write: field type conflict: ... dropped=1" }
        : undefined;
    const { requests, setAside, narrowing } = run(journal(8), conflict);
    expect(requests).toEqual(["8 partial-write"]); // the writer sets the named lines aside
    expect(setAside).toEqual([]);
    expect(narrowing.lines()).toBe(5000);
    // A single line too; and the next batch is whole again.
    expect(run(journal(3), conflict, 1).requests).toEqual(["1 sent", "1 sent", "1 partial-write"]);
  });

  it("400 naming no line: a single line is set aside once other lines went in meanwhile", () => {
    const lines = journal(4);
    const proxy = (got: readonly string[]) =>
      got.includes("line3") ? { status: 400, message: "bad request" } : undefined;
    const { requests, setAside } = run(lines, proxy);
    // 1-4 refused -> 1-2 sent (so InfluxDB takes lines) -> 3-4 refused -> 3 refused: it is that line.
    expect(requests).toEqual(["4 narrow (new)", "2 sent", "2 narrow", "1 set-aside", "1 sent"]);
    expect(setAside).toEqual(["line3"]);
  });

  it("400 for every write, naming no line: nothing set aside; whole batches once one goes in", () => {
    const lines = journal(8);
    const refuseAll = () => ({ status: 400, message: "forced bad request" });
    const { requests, setAside, narrowing } = run(lines, refuseAll);
    expect(requests).toEqual(["8 narrow (new)", "4 narrow", "2 narrow", "1 refusing-everything"]);
    expect(setAside).toEqual([]);
    // Single lines, still refused, until the server takes one; then whole batches again.
    expect(narrowing.lines()).toBe(1);
    expect(narrowing.refused(batchAt(lines, 0, 1), 400, "forced bad request")).toEqual({
      action: "refusing-everything",
    });
    narrowing.sent(batchAt(lines, 0, 1));
    expect(narrowing.lines()).toBe(5000);
  });

  it("a 422 while a 400 is narrowed down ends the narrowing once the cursor is past the refused batch", () => {
    const lines = journal(4);
    const narrowing = createRefusalNarrowing(5000);
    expect(narrowing.refused(batchAt(lines, 0, 4), 400, "bad request")).toMatchObject({
      action: "narrow",
      lines: 2,
    });
    expect(narrowing.refused(batchAt(lines, 0, 2), 422, "partial write: ... dropped=1")).toEqual({
      action: "partial-write",
    });
    narrowing.sent(batchAt(lines, 0, 2));
    expect(narrowing.lines()).toBe(2); // lines 3-4 are still in the refused batch
    narrowing.sent(batchAt(lines, 2, 2));
    expect(narrowing.lines()).toBe(5000);
  });

  it("keeps the narrowed size until the cursor is past the first refused batch", () => {
    // A server refusing any request of more than 2 lines (400, naming none): one narrowing for the
    // 8 lines, not a new one for each half.
    const tooMany = (got: readonly string[]) =>
      got.length > 2 ? { status: 400, message: "too many lines" } : undefined;
    const { requests, sent } = run(journal(8), tooMany);
    expect(requests).toEqual(["8 narrow (new)", "4 narrow", "2 sent", "2 sent", "2 sent", "2 sent"]);
    expect(sent).toEqual(journal(8));
  });

  it("413: halves at once and keeps the size that went through; a single line is set aside", () => {
    const lines = journal(132);
    const narrowing = createRefusalNarrowing(5000);
    expect(narrowing.refused(batchAt(lines, 0, 132), 413, "Request Entity Too Large")).toEqual({
      action: "smaller",
      lines: 66,
    });
    expect(narrowing.refused(batchAt(lines, 0, 66), 413, "")).toEqual({ action: "smaller", lines: 33 });
    narrowing.sent(batchAt(lines, 0, 33));
    expect(narrowing.lines()).toBe(33); // kept for the rest of the run
    expect(narrowing.refused(batchAt(lines, 33, 1), 413, "")).toEqual({ action: "set-aside" });
    narrowing.setAside();
    expect(narrowing.lines()).toBe(33);
    // A line in a batch of 3: 413 -> 1 line per request; refused alone, it goes aside.
    const big = (got: readonly string[]) =>
      got.includes("line2") ? { status: 413, message: "Request Entity Too Large" } : undefined;
    expect(run(journal(3), big, 3)).toMatchObject({
      requests: ["3 smaller", "1 sent", "1 set-aside", "1 sent"],
      setAside: ["line2"],
    });
  });

  it("handles 400, 413 and 422 only: other answers are failures, not refusals", () => {
    expect([400, 413, 422].map(isRefusal)).toEqual([true, true, true]);
    expect([401, 403, 404, 429, 500, 503, undefined].map(isRefusal)).toEqual(Array(7).fill(false));
    expect(() => createRefusalNarrowing(10).refused(batchAt(journal(2), 0, 2), 503, "")).toThrow(
      /HTTP 503 is not a refusal/,
    );
  });
});
