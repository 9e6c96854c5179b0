/**
 * The InfluxDB source: the queries of flux-queries.ts through @influxdata/influxdb-client, results
 * turned into the same Samples the local source produces, so the same metric code runs on both.
 */
import { InfluxDB, type QueryApi } from "@influxdata/influxdb-client";
import { ExpectedError } from "../../collector/src/errors.ts";
import { dailyCountsQuery, edgeQuery, latestQuery, samplesQuery, seriesQuery } from "./flux-queries.ts";
import { LOOKBACK_MS } from "./metrics.ts";
import { addDays, dayOf, type DayRange } from "./periods.ts";
import type { LatestValue, RawSource } from "./raw-source.ts";
import { SampleBuilder, type Samples } from "./samples.ts";

/** Closed days older than this are final: a journal replay cannot reach further back (ms). */
export const REPLAY_HORIZON_MS = 35 * 86_400_000;

export interface InfluxSourceOptions {
  url: string;
  token: string;
  org: string;
  bucket: string;
  tz: string;
  now: () => number;
  /** Query timeout (ms, default 60 s). */
  timeoutMs?: number;
  /** For tests: a query API to use instead of one over HTTP. */
  queryApi?: Pick<QueryApi, "collectRows">;
}

type Rec = Record<string, unknown>;

export class InfluxSource implements RawSource {
  readonly id: string;
  private readonly q: Pick<QueryApi, "collectRows">;
  private readonly o: InfluxSourceOptions;

  constructor(o: InfluxSourceOptions) {
    this.o = o;
    this.id = `influx:${o.url}|${o.org}|${o.bucket}`;
    this.q =
      o.queryApi ??
      new InfluxDB({ url: o.url, token: o.token, timeout: o.timeoutMs ?? 60_000 }).getQueryApi(o.org);
  }

  private async rows(query: Parameters<QueryApi["collectRows"]>[0]): Promise<Rec[]> {
    try {
      return await this.q.collectRows<Rec>(query, (values, meta) => meta.toObject(values));
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (status === 401 || status === 403)
        throw new ExpectedError(
          "auth",
          `InfluxDB at ${this.o.url} refused the query (${status}): check that INFLUX_TOKEN may read bucket ${this.o.bucket}`,
          { cause: e },
        );
      if (status === 404)
        throw new ExpectedError(
          "payload",
          `InfluxDB at ${this.o.url} has no bucket ${this.o.bucket} in org ${this.o.org}: check INFLUX_BUCKET and INFLUX_ORG`,
          { cause: e },
        );
      if (status !== undefined && status >= 500)
        throw new ExpectedError(
          "server",
          `InfluxDB at ${this.o.url} answered ${status}; the report will be retried on the next cycle`,
          { cause: e },
        );
      throw new ExpectedError(
        "unreachable",
        `InfluxDB at ${this.o.url} did not answer (${(e as Error).message}): check INFLUX_URL and that InfluxDB runs`,
        { cause: e },
      );
    }
  }

  async samples(startMs: number, stopMs: number): Promise<Samples> {
    const b = new SampleBuilder();
    if (stopMs > startMs) {
      for (const r of await this.rows(samplesQuery(this.o.bucket, startMs, stopMs))) addRow(b, r);
    }
    return b.finish();
  }

  /** Chart data downsampled by InfluxDB: window means as samples at the window starts. */
  async seriesSamples(
    startMs: number,
    stopMs: number,
    everyElecMs: number,
    everyHpMs: number,
  ): Promise<Samples> {
    const b = new SampleBuilder();
    for (const r of await this.rows(
      seriesQuery(this.o.bucket, this.o.tz, startMs, stopMs, everyElecMs, everyHpMs),
    ))
      addRow(b, r);
    return b.finish();
  }

  async fingerprints(ranges: readonly DayRange[]): Promise<string[]> {
    const horizon = this.o.now() - REPLAY_HORIZON_MS;
    const recent = ranges.filter((r) => r.endMs > horizon);
    const counts = new Map<string, number>();
    if (recent.length > 0) {
      const start = Math.min(...recent.map((r) => r.startMs)) - LOOKBACK_MS;
      const stop = Math.max(...recent.map((r) => r.endMs));
      for (const r of await this.rows(dailyCountsQuery(this.o.bucket, this.o.tz, start, stop))) {
        const t = Date.parse(String(r._time));
        // A window starting 6 h before the first day belongs to the day before it.
        const day = dayOf(this.o.tz, t);
        counts.set(day, (counts.get(day) ?? 0) + Number(r._value));
      }
    }
    // The previous day's count stands for the lookback part of the range.
    return ranges.map((r) =>
      r.endMs > horizon ? `${counts.get(addDays(r.day, -1)) ?? 0}:${counts.get(r.day) ?? 0}` : "final",
    );
  }

  async extent(): Promise<{ firstMs: number; lastMs: number } | null> {
    const stop = this.o.now() + 86_400_000;
    const [f] = await this.rows(edgeQuery(this.o.bucket, "first", 0, stop));
    const [l] = await this.rows(edgeQuery(this.o.bucket, "last", 0, stop));
    if (!f || !l) return null;
    return { firstMs: Date.parse(String(f._time)), lastMs: Date.parse(String(l._time)) };
  }

  async latest(nowMs: number, fields: readonly string[]): Promise<Map<string, LatestValue>> {
    const out = new Map<string, LatestValue>();
    for (const r of await this.rows(latestQuery(this.o.bucket, nowMs - 31 * 86_400_000, nowMs + 1, fields))) {
      const key = `${String(r._measurement)}.${String(r._field)}`;
      const t = Date.parse(String(r._time));
      const v = toNum(r._value);
      const prev = out.get(key);
      if (!Number.isNaN(v) && (!prev || t > prev.t)) out.set(key, { t, v });
    }
    return out;
  }

  async close(): Promise<void> {}
}

const toNum = (v: unknown) => (typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : Number(v));

function addRow(b: SampleBuilder, r: Rec): void {
  const v = toNum(r._value);
  if (Number.isNaN(v)) return;
  const tags: Record<string, string> = typeof r.source === "string" ? { source: r.source } : {};
  b.add(String(r._measurement), tags, { [String(r._field)]: v }, Date.parse(String(r._time)));
}
