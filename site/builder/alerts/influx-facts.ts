/**
 * The store facts (facts.ts) from InfluxDB, in the report engine's Flux subset (README, "Data
 * schema"; reports/src/store/flux-queries.ts): absolute ranges, == filters on measurement, field and
 * tags, last(), keep(). Each field keeps its own table (no group()), so the string fields of
 * `heatpump_message` and `alert` never meet the numbers in one column ("schema collision").
 */
import { flux, InfluxDB, type ParameterizedQuery, type QueryApi } from "@influxdata/influxdb-client";
import { MEASUREMENT, TAG } from "../../../core/src/data/catalogue.ts";
import type { FieldValue } from "../../../core/src/data/line-protocol.ts";
import type { ReportSource } from "../../../reports/src/config.ts";
import { type FactPoint, type FactsWindow, newer, type StoreFacts } from "./facts.ts";

type Influx = Extract<ReportSource, { kind: "influx" }>;
const FUTURE_MS = 10 * 60_000;

const MESSAGES = flux`r._measurement == ${MEASUREMENT.heatpumpMessage}`;
const COLLECTOR_ALERTS = flux`(r._measurement == ${MEASUREMENT.alert} and r.program == "collector")`;
const FACTS = flux`${MESSAGES} or ${COLLECTOR_ALERTS}`;

export function factsQuery(bucket: string, fromMs: number, stopMs: number): ParameterizedQuery {
  return flux`from(bucket: ${bucket})
  |> range(start: ${new Date(fromMs)}, stop: ${new Date(stopMs)})
  |> filter(fn: (r) => ${FACTS})
  |> last()
  |> keep(columns: ["_time", "_measurement", "_field", "_value", ${TAG.device}, ${TAG.condition}])`;
}

export function powerQuery(bucket: string, fromMs: number, stopMs: number): ParameterizedQuery {
  return flux`from(bucket: ${bucket})
  |> range(start: ${new Date(fromMs)}, stop: ${new Date(stopMs)})
  |> filter(fn: (r) => r._measurement == ${MEASUREMENT.electric} and r._field == "power_w")
  |> keep(columns: ["_time", "_value"])`;
}

async function rows(
  q: Pick<QueryApi, "iterateRows">,
  query: ParameterizedQuery,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const { values, tableMeta } of q.iterateRows(query)) {
    // An error table (InfluxDB's way to fail after the first rows) fails the whole answer.
    if (tableMeta.columns.some((c) => c.label === "error"))
      throw new Error(`InfluxDB stopped the alerts' query: ${String(tableMeta.toObject(values).error)}`);
    out.push(tableMeta.toObject(values));
  }
  return out;
}

/** A field value as the client hands it (numbers as numbers, strings as strings). */
const valueOf = (v: unknown): FieldValue | undefined =>
  typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : undefined;

export function influxQueries(source: Influx, timeoutMs = 30_000): Pick<QueryApi, "iterateRows"> {
  return new InfluxDB({ url: source.url, token: source.token, timeout: timeoutMs }).getQueryApi({
    org: source.org,
    gzip: true,
  });
}

export async function influxFacts(
  q: Pick<QueryApi, "iterateRows">,
  bucket: string,
  w: FactsWindow,
): Promise<StoreFacts> {
  const stop = w.nowMs + FUTURE_MS;
  // The fields of one point, by series (measurement and tags), keeping each field's newest value.
  const series = new Map<
    string,
    { tags: Record<string, string>; m: string; fields: Map<string, [number, FieldValue]> }
  >();
  for (const r of await rows(q, factsQuery(bucket, w.factsFromMs, stop))) {
    const m = String(r._measurement);
    const tags: Record<string, string> = {};
    for (const k of [TAG.device, TAG.condition]) if (typeof r[k] === "string") tags[k] = r[k];
    const key = JSON.stringify([m, tags]);
    const s = series.get(key) ?? { tags, m, fields: new Map() };
    series.set(key, s);
    const v = valueOf(r._value);
    if (v !== undefined) s.fields.set(String(r._field), [Date.parse(String(r._time)), v]);
  }
  let messages: FactPoint | null = null;
  const collector = new Map<string, FactPoint>();
  for (const s of series.values()) {
    // The point is its newest write: the fields stamped with the newest time.
    const timeMs = Math.max(...[...s.fields.values()].map(([t]) => t));
    const fields = Object.fromEntries(
      [...s.fields].filter(([, [t]]) => t === timeMs).map(([k, [, v]]) => [k, v]),
    );
    const point = { timeMs, tags: s.tags, fields };
    if (s.m === MEASUREMENT.heatpumpMessage) messages = newer(messages ?? undefined, point);
    else if (s.tags.condition) collector.set(s.tags.condition, newer(collector.get(s.tags.condition), point));
  }
  const readings = (await rows(q, powerQuery(bucket, w.powerFromMs, w.nowMs + 1)))
    .map((r) => ({ t: Date.parse(String(r._time)), v: r._value }))
    .filter((r): r is { t: number; v: number } => typeof r.v === "number" && Number.isFinite(r.v))
    .sort((a, b) => a.t - b.t);
  return { messages, collector, power: { t: readings.map((r) => r.t), w: readings.map((r) => r.v) } };
}
