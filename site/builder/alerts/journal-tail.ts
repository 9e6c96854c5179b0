/**
 * The store facts (facts.ts) from local line protocol: the collector's journal or LOCAL_SOURCE. The
 * newest data is at the end of the newest file (the journal appends in poll order), so the files are
 * read backwards, newest first, in chunks, until the lines are older than the window or
 * MAX_TAIL_BYTES are read (about two days of a journal): the cost of a check does not grow with the
 * history. Lines of other measurements are passed over by their first bytes, unparsed.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { MEASUREMENT } from "../../../core/src/data/catalogue.ts";
import { parseLine } from "../../../core/src/data/line-protocol.ts";
import { type FactPoint, type FactsWindow, newer, type StoreFacts } from "./facts.ts";

const MAX_TAIL_BYTES = 48 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const LP_FILE = /\.(lp|txt|line|lines)$/i;
/** Readings stamped this far past now are left out, as the report engine does. */
const FUTURE_MS = 10 * 60_000;

/** The line-protocol files of `path` (a file or a folder), most recently written first. */
function newestFirst(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    return [];
  }
  if (!st.isDirectory()) return [path];
  const files: { f: string; m: number }[] = [];
  for (const name of readdirSync(path)) {
    if (name.startsWith(".") || !LP_FILE.test(name)) continue;
    try {
      const s = statSync(join(path, name));
      if (s.isFile()) files.push({ f: join(path, name), m: s.mtimeMs });
    } catch {
      // Deleted meanwhile (an acknowledged segment).
    }
  }
  return files.sort((a, b) => b.m - a.m || (a.f < b.f ? 1 : -1)).map((x) => x.f);
}

const PREFIXES = [MEASUREMENT.heatpumpMessage, MEASUREMENT.alert, MEASUREMENT.electric].map((m) => [
  `${m},`,
  `${m} `,
]);
const wanted = (line: string) => PREFIXES.some(([a, b]) => line.startsWith(a!) || line.startsWith(b!));

/** The time of a line from its last field (ns), without parsing the rest; NaN if it has none. */
function lineTimeMs(line: string): number {
  const ts = line.slice(line.lastIndexOf(" ") + 1);
  return /^\d{7,}$/.test(ts) ? Number(ts.slice(0, -6)) : NaN;
}

/** Calls `each` with the lines of `file`, last first, until it returns false. */
function backwards(file: string, budget: { bytes: number }, each: (line: string) => boolean): void {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return;
  }
  try {
    let pos = statSync(file).size;
    // Bytes, not text, carried over: a chunk may end inside a character.
    let carry = Buffer.alloc(0);
    while (pos > 0 && budget.bytes > 0) {
      const n = Math.min(CHUNK, pos);
      pos -= n;
      budget.bytes -= n;
      const chunk = Buffer.alloc(n);
      const bytes = Buffer.concat([chunk.subarray(0, readSync(fd, chunk, 0, n, pos)), carry]);
      // The first piece may be the end of a line that began before this chunk.
      const cut = pos > 0 ? bytes.indexOf(10) + 1 : 0;
      if (cut === 0 && pos > 0) {
        carry = bytes; // no line end in a whole chunk: a very long line, read on
        continue;
      }
      carry = bytes.subarray(0, cut);
      const lines = bytes.subarray(cut).toString("utf8").split("\n");
      for (let i = lines.length - 1; i >= 0; i--) if (lines[i] && !each(lines[i]!)) return;
    }
  } finally {
    closeSync(fd);
  }
}

export function journalFacts(path: string, w: FactsWindow): Promise<StoreFacts> {
  const from = Math.min(w.factsFromMs, w.powerFromMs);
  let messages: FactPoint | null = null;
  const collector = new Map<string, FactPoint>();
  const power: { t: number; w: number }[] = [];
  const budget = { bytes: MAX_TAIL_BYTES };
  for (const file of newestFirst(path)) {
    let older = false;
    backwards(file, budget, (line) => {
      const t = lineTimeMs(line);
      if (t < from) return !(older = true);
      if (!(t <= w.nowMs + FUTURE_MS) || !wanted(line)) return true;
      let p;
      try {
        p = parseLine(line);
      } catch {
        return true; // a torn or bad line: the report engine reports those
      }
      if (!p) return true;
      const point = { timeMs: p.timeMs, tags: p.tags, fields: p.fields };
      if (p.measurement === MEASUREMENT.electric) {
        const v = p.fields.power_w;
        if (typeof v === "number" && p.timeMs >= w.powerFromMs) power.push({ t: p.timeMs, w: v });
      } else if (p.timeMs >= w.factsFromMs) {
        if (p.measurement === MEASUREMENT.heatpumpMessage) messages = newer(messages ?? undefined, point);
        else if (p.tags.program === "collector" && p.tags.condition)
          collector.set(p.tags.condition, newer(collector.get(p.tags.condition), point));
      }
      return true;
    });
    // A file that reached back past the window: the older files hold nothing newer.
    if (older || budget.bytes <= 0) break;
  }
  power.sort((a, b) => a.t - b.t);
  return Promise.resolve({
    messages,
    collector,
    power: { t: power.map((p) => p.t), w: power.map((p) => p.w) },
  });
}
