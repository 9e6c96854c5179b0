/**
 * The InfluxDB store: the queries of flux-queries.ts through @influxdata/influxdb-client (responses
 * gzip-compressed), answers turned into the same Samples the local store produces, so the same
 * engine code runs on both. Every query reads one home (HOME_ID, HOME_UNTAGGED): the counts below
 * are that home's, so another home's late data in the bucket never makes a day be counted again.
 *
 * Change detection of closed days costs one query per call: the points of every closed day inside
 * the replay horizon, and of today's first hour (yesterday's look-ahead), are counted at once and
 * compared with the sum of the counts known from earlier calls (the days' kept in the cache folder);
 * only when they differ, or for a day not counted yet (the one that just closed), is a day counted
 * on its own.
 *
 * A value that is not a finite number (InfluxDB answers `+Inf`, `-Inf` or `NaN` for a float written
 * other than by line protocol, which refuses them) is no reading: it is left out like a missing one,
 * counted per field and logged once per field, never a NaN or an infinity in a mean.
 */
import { join } from "node:path";
import { InfluxDB, type ParameterizedQuery, type QueryApi } from "@influxdata/influxdb-client";
import type { Logger } from "../../../core/src/effects.ts";
import { ExpectedError } from "../../../core/src/errors.ts";
import { TAG } from "../../../core/src/data/catalogue.ts";
import type { HomeSettings } from "../../../core/src/data/home.ts";
import { countQuery, edgeQuery, latestQuery, samplesQuery } from "./flux-queries.ts";
import { DEFAULT_HOME, homeKey } from "./home-filter.ts";
import type { LatestValue, RawSource } from "./raw-source.ts";
import { LOOKAHEAD_MS, SampleBuilder, type Samples } from "./samples.ts";
import { addDays, dayList, dayOf, dayRange, type DayRange } from "../../../core/src/time.ts";
import { readCachedJson, writeJsonAtomic } from "../../../core/src/durable-file.ts";
import { shortHash } from "../../../core/src/hash.ts";

/** Closed days older than this are final: a journal replay cannot reach further back (ms). */
const REPLAY_HORIZON_MS = 35 * 86_400_000;

interface InfluxSourceOptions {
  url: string;
  token: string;
  org: string;
  bucket: string;
  /** The home read (HOME_ID, HOME_UNTAGGED); default DEFAULT_HOME. */
  home?: HomeSettings;
  tz: string;
  now: () => number;
  /** Where the per-day point counts are kept between runs (null: memory only). */
  cacheDir?: string | null;
  /** Query timeout (ms, default 60 s). */
  timeoutMs?: number;
  /** For tests: a query API to use instead of one over HTTP. */
  queryApi?: Pick<QueryApi, "iterateRows">;
  /** Where values that are not finite numbers are reported (once per field). */
  logger?: Logger;
}

type Rec = Record<string, unknown>;

export class InfluxSource implements RawSource {
  readonly id: string;
  /** Queries sent since start (the benchmark and the builder's log line report them). */
  queries = 0;
  private readonly q: Pick<QueryApi, "iterateRows">;
  private readonly o: InfluxSourceOptions;
  private readonly home: HomeSettings;
  private readonly countsFile: string | null;
  private counts: Map<string, number> | undefined;
  /** Values left out because they are not finite numbers, by `measurement.field`: their times, the first one. */
  private readonly bad = new Map<string, { times: Set<number>; firstMs: number; value: string }>();
  /** Points in the first LOOKAHEAD_MS of `day` (today when counted): yesterday's look-ahead. */
  private head: { day: string; n: number } | undefined;

  constructor(o: InfluxSourceOptions) {
    this.o = o;
    this.home = o.home ?? DEFAULT_HOME;
    // Per home: two homes in one bucket never share a cache (nor the point counts kept below).
    this.id = `influx:${o.url}|${o.org}|${o.bucket}|${homeKey(this.home)}`;
    this.countsFile = o.cacheDir ? join(o.cacheDir, `influx-counts-${shortHash(this.id)}.json`) : null;
    this.q =
      o.queryApi ??
      new InfluxDB({ url: o.url, token: o.token, timeout: o.timeoutMs ?? 60_000 }).getQueryApi({
        org: o.org,
        gzip: true,
      });
  }

  /** Rows of a query; an error table in the answer (InfluxDB's way to fail after the first rows) throws. */
  private async rows(query: ParameterizedQuery): Promise<Rec[]> {
    this.queries++;
    const out: Rec[] = [];
    try {
      for await (const { values, tableMeta } of this.q.iterateRows(query)) {
        const error = tableMeta.columns.findIndex((c) => c.label === "error");
        if (error >= 0 && tableMeta.columns.some((c) => c.label === "reference"))
          throw new ExpectedError(
            "server",
            `InfluxDB at ${this.o.url} stopped the query with an error after ${out.length} rows: ` +
              `${values[error] ?? "no message"}; ` +
              "nothing of this answer was used, the report is retried on the next cycle",
          );
        out.push(tableMeta.toObject(values));
      }
    } catch (e) {
      throw e instanceof ExpectedError ? e : this.explain(e);
    }
    return out;
  }

  private explain(e: unknown): ExpectedError {
    const err = e as { statusCode?: number; json?: { message?: string }; message?: string };
    const status = err.statusCode;
    const said = err.json?.message ? `: ${err.json.message}` : "";
    const at = `InfluxDB at ${this.o.url}`;
    if (status === 401 || status === 403)
      return new ExpectedError(
        "auth",
        `${at} refused the query (${status}): check that INFLUX_TOKEN may read bucket ${this.o.bucket}`,
        { cause: e },
      );
    if (status === 404)
      return new ExpectedError(
        "payload",
        `${at} answered 404 for bucket ${this.o.bucket} in org ${this.o.org}${said}: ` +
          "check INFLUX_BUCKET and INFLUX_ORG, and that INFLUX_TOKEN has read permission on the bucket " +
          "(InfluxDB answers 404, not 403, to a token that may not read it)",
        { cause: e },
      );
    if (status === 400)
      return new ExpectedError(
        "payload",
        `${at} could not compile a report query (400)${said}; ` +
          "this is a bug in the report engine or an InfluxDB older than 2.7",
        { cause: e },
      );
    if (status !== undefined && status >= 500)
      return new ExpectedError(
        "server",
        `${at} answered ${status}${said}; the report will be retried on the next cycle`,
        { cause: e },
      );
    return new ExpectedError(
      "unreachable",
      `${at} did not answer (${err.message ?? String(e)}): check INFLUX_URL and that InfluxDB runs`,
      { cause: e },
    );
  }

  async samples(startMs: number, stopMs: number): Promise<Samples> {
    const b = new SampleBuilder();
    if (stopMs > startMs) {
      for (const r of await this.rows(samplesQuery(this.o.bucket, this.home, startMs, stopMs))) {
        const v = this.finite(r);
        if (Number.isNaN(v)) continue;
        // A table without the tag has no such column; an empty cell is no tag either.
        const tags: Record<string, string> = {};
        for (const tag of [TAG.source, TAG.role, TAG.device])
          if (typeof r[tag] === "string" && r[tag] !== "") tags[tag] = r[tag];
        b.add(String(r._measurement), tags, { [String(r._field)]: v }, Date.parse(String(r._time)));
      }
    }
    return b.finish();
  }

  /** Points in [startMs, stopMs) of the data the reports read. */
  private async count(startMs: number, stopMs: number): Promise<number> {
    let n = 0;
    for (const r of await this.rows(countQuery(this.o.bucket, this.home, startMs, stopMs)))
      n += Number(r._value);
    return n;
  }

  private knownCounts(): Map<string, number> {
    this.counts ??= new Map(
      Object.entries((this.countsFile && readCachedJson<Record<string, number>>(this.countsFile)) ?? {}),
    );
    return this.counts;
  }

  async fingerprints(ranges: readonly DayRange[]): Promise<string[]> {
    const nowMs = this.o.now();
    const tz = this.o.tz;
    const horizon = nowMs - REPLAY_HORIZON_MS;
    const inHorizon = (r: DayRange) => r.endMs <= nowMs && r.endMs > horizon;
    const asked = ranges.filter(inHorizon).map((r) => r.day);
    if (asked.length > 0) {
      // Every closed day from the day before the first asked (its look-back) to yesterday.
      const lastClosed = addDays(dayOf(tz, nowMs), -1);
      const days = dayList(
        addDays(
          asked.reduce((a, b) => (a < b ? a : b)),
          -1,
        ),
        lastClosed,
      );
      const counts = this.knownCounts();
      let changed = false;
      for (const d of days)
        if (!counts.has(d)) {
          counts.set(d, await this.count(dayRange(tz, d).startMs, dayRange(tz, d).endMs));
          changed = true;
        }
      // Yesterday's look-ahead: today's first hour.
      const today = addDays(lastClosed, 1);
      const headMs = dayRange(tz, today).startMs;
      const countHead = async () =>
        (this.head = { day: today, n: await this.count(headMs, headMs + LOOKAHEAD_MS) });
      if (this.head?.day !== today) await countHead();
      const known = () => days.reduce((a, d) => a + counts.get(d)!, 0) + this.head!.n;
      const total = await this.count(dayRange(tz, days[0]!).startMs, headMs + LOOKAHEAD_MS);
      // Points arriving after midnight change the look-ahead alone: counted first, on its own.
      if (total !== known()) await countHead();
      if (total !== known()) {
        // Late data reached a closed day: find which by counting each.
        for (const d of days) counts.set(d, await this.count(dayRange(tz, d).startMs, dayRange(tz, d).endMs));
        changed = true;
      }
      if (changed) {
        for (const d of counts.keys()) if (dayRange(tz, d).endMs <= horizon - 86_400_000) counts.delete(d);
        if (this.countsFile) writeJsonAtomic(this.countsFile, Object.fromEntries(counts));
      }
    }
    const counts = this.counts;
    // A day's look-back reaches into the day before, its look-ahead into the day after (today: the
    // first hour counted on its own).
    const after = (day: string) => {
      const next = addDays(day, 1);
      return this.head?.day === next ? `h${this.head.n}` : counts!.get(next);
    };
    return ranges.map((r) =>
      !inHorizon(r)
        ? r.endMs <= nowMs
          ? "final"
          : "open"
        : `${counts!.get(addDays(r.day, -1))}:${counts!.get(r.day)}:${after(r.day)}`,
    );
  }

  async extent(startMs: number, stopMs: number): Promise<{ firstMs: number; lastMs: number } | null> {
    const [f] = await this.rows(edgeQuery(this.o.bucket, this.home, "first", startMs, stopMs));
    const [l] = await this.rows(edgeQuery(this.o.bucket, this.home, "last", startMs, stopMs));
    if (!f || !l) return null;
    return { firstMs: Date.parse(String(f._time)), lastMs: Date.parse(String(l._time)) };
  }

  async latest(
    startMs: number,
    stopMs: number,
    fields: readonly string[],
  ): Promise<Map<string, LatestValue>> {
    const out = new Map<string, LatestValue>();
    if (fields.length === 0) return out;
    for (const r of await this.rows(latestQuery(this.o.bucket, this.home, startMs, stopMs, fields))) {
      const key = `${String(r._measurement)}.${String(r._field)}`;
      const t = Date.parse(String(r._time));
      const v = this.finite(r);
      const prev = out.get(key);
      if (!Number.isNaN(v) && (!prev || t > prev.t)) out.set(key, { t, v });
    }
    return out;
  }

  /** Values left out because they were not finite numbers, by `measurement.field`: how many, the first. */
  badValues(): Map<string, { count: number; firstMs: number; value: string }> {
    return new Map(
      [...this.bad].map(([field, b]) => [field, { count: b.times.size, firstMs: b.firstMs, value: b.value }]),
    );
  }

  /**
   * The row's value as a number: NaN where there is none, and where it is a float that is not finite
   * (counted once however often it is read, and logged the first time for its field).
   */
  private finite(r: Rec): number {
    const v = toNum(r._value);
    // A string (a field of another kind) or an empty cell is no number either, but no fault.
    if (typeof r._value !== "number" || Number.isFinite(v)) return v;
    const field = `${String(r._measurement)}.${String(r._field)}`;
    const t = Date.parse(String(r._time));
    const known = this.bad.get(field);
    if (known) {
      known.times.add(t);
      if (t < known.firstMs) Object.assign(known, { firstMs: t, value: String(r._value) });
    } else {
      this.bad.set(field, { times: new Set([t]), firstMs: t, value: String(r._value) });
      this.o.logger?.warn(
        `InfluxDB at ${this.o.url}, bucket ${this.o.bucket}: ${field} holds ${String(r._value)} at ` +
          `${new Date(t).toISOString()}, not a number a reading can have; left out like a missing value ` +
          "(and any other such value of that field). Delete those points or write them again with finite values.",
      );
    }
    return Number.NaN;
  }

  async close(): Promise<void> {}
}

/** A `_value` as a number: booleans as 1 and 0, an empty cell (null) as NaN, never 0. */
const toNum = (v: unknown) =>
  typeof v === "number"
    ? v
    : typeof v === "boolean"
      ? v
        ? 1
        : 0
      : v === null || v === undefined
        ? Number.NaN
        : Number(v);
