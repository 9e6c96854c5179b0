/**
 * Every Flux query the report engine sends, built only with the client's `flux` template (values
 * are escaped by the template, never concatenated). Windows use `timezone.location` so daily
 * windows are local days (23/25 h on DST days); every range has an explicit start and stop.
 * Each builder is checked by the Flux language server in reports/test/flux-queries.test.ts.
 */
import { flux, fluxDuration, type ParameterizedQuery } from "@influxdata/influxdb-client";
import type { COLLECTOR_FIELDS, ELECTRIC_FIELDS } from "../../collector/src/catalogue.ts";
import { MEASUREMENT, type HeatpumpField } from "../../collector/src/catalogue.ts";

const E = MEASUREMENT.electric;
const H = MEASUREMENT.heatpump;
const C = MEASUREMENT.collector;
const POWER: keyof typeof ELECTRIC_FIELDS = "power_w";
const ENERGY: keyof typeof ELECTRIC_FIELDS = "energy_wh";
const CALLS: keyof typeof COLLECTOR_FIELDS = "calls_today";

/** Heat pump fields the charts need (series.ts). */
export const SERIES_HP_FIELDS: HeatpumpField[] = [
  "outside_c",
  "flow_c",
  "return_c",
  "dhw_c",
  "flow_lph",
  "heat_heating_day_kwh",
  "heat_dhw_day_kwh",
];

const iso = (ms: number) => new Date(ms);

/** Raw samples of [start, stop): electric power and energy, every heatpump field, Viessmann calls. */
export function samplesQuery(bucket: string, startMs: number, stopMs: number): ParameterizedQuery {
  return flux`from(bucket: ${bucket})
  |> range(start: ${iso(startMs)}, stop: ${iso(stopMs)})
  |> filter(fn: (r) => (r._measurement == ${E} and (r._field == ${POWER} or r._field == ${ENERGY})) or r._measurement == ${H} or (r._measurement == ${C} and r._field == ${CALLS}))
  |> keep(columns: ["_time", "_measurement", "_field", "_value", "source"])`;
}

/**
 * Values per local day and series (electric power and energy, every heatpump field), the fingerprint
 * of a day for the row cache: a journal replay that adds points to a closed day changes its count.
 * No group() before the window, so InfluxDB can push the windowed count down to storage; the engine
 * adds the series up per day.
 */
export function dailyCountsQuery(
  bucket: string,
  tz: string,
  startMs: number,
  stopMs: number,
): ParameterizedQuery {
  return flux`import "timezone"

from(bucket: ${bucket})
  |> range(start: ${iso(startMs)}, stop: ${iso(stopMs)})
  |> filter(fn: (r) => (r._measurement == ${E} and (r._field == ${POWER} or r._field == ${ENERGY})) or r._measurement == ${H})
  |> aggregateWindow(every: 1d, fn: count, location: timezone.location(name: ${tz}), createEmpty: false, timeSrc: "_start")
  |> keep(columns: ["_time", "_value"])`;
}

/** First or last point time of the store (electric and heatpump), between two explicit bounds. */
export function edgeQuery(
  bucket: string,
  edge: "first" | "last",
  startMs: number,
  stopMs: number,
): ParameterizedQuery {
  return edge === "first"
    ? flux`from(bucket: ${bucket})
  |> range(start: ${iso(startMs)}, stop: ${iso(stopMs)})
  |> filter(fn: (r) => r._measurement == ${E} or r._measurement == ${H})
  |> first()
  |> group()
  |> sort(columns: ["_time"])
  |> limit(n: 1)
  |> keep(columns: ["_time"])`
    : flux`from(bucket: ${bucket})
  |> range(start: ${iso(startMs)}, stop: ${iso(stopMs)})
  |> filter(fn: (r) => r._measurement == ${E} or r._measurement == ${H})
  |> last()
  |> group()
  |> sort(columns: ["_time"], desc: true)
  |> limit(n: 1)
  |> keep(columns: ["_time"])`;
}

/** Newest value of each electric/heatpump field in [start, stop). */
export function latestQuery(
  bucket: string,
  startMs: number,
  stopMs: number,
  fields: readonly string[],
): ParameterizedQuery {
  const elec = fields.filter((f) => f.startsWith(`${E}.`)).map((f) => f.slice(E.length + 1));
  const hp = fields.filter((f) => f.startsWith(`${H}.`)).map((f) => f.slice(H.length + 1));
  return flux`from(bucket: ${bucket})
  |> range(start: ${iso(startMs)}, stop: ${iso(stopMs)})
  |> filter(fn: (r) => (r._measurement == ${E} and contains(value: r._field, set: ${elec})) or (r._measurement == ${H} and contains(value: r._field, set: ${hp})))
  |> last()
  |> keep(columns: ["_time", "_measurement", "_field", "_value"])`;
}

/**
 * Chart data downsampled by the server: means per window (`every` ms), windows in the report zone,
 * stamped with their start. Electric power and the heat pump fields the charts draw.
 */
export function seriesQuery(
  bucket: string,
  tz: string,
  startMs: number,
  stopMs: number,
  everyElecMs: number,
  everyHpMs: number,
): ParameterizedQuery {
  const ev = fluxDuration(`${Math.max(1, Math.round(everyElecMs / 1000))}s`);
  const hv = fluxDuration(`${Math.max(1, Math.round(everyHpMs / 1000))}s`);
  return flux`import "timezone"

loc = timezone.location(name: ${tz})
elec = from(bucket: ${bucket})
  |> range(start: ${iso(startMs)}, stop: ${iso(stopMs)})
  |> filter(fn: (r) => r._measurement == ${E} and r._field == ${POWER})
  |> aggregateWindow(every: ${ev}, fn: mean, location: loc, createEmpty: false, timeSrc: "_start")
hp = from(bucket: ${bucket})
  |> range(start: ${iso(startMs)}, stop: ${iso(stopMs)})
  |> filter(fn: (r) => r._measurement == ${H} and contains(value: r._field, set: ${SERIES_HP_FIELDS}))
  |> aggregateWindow(every: ${hv}, fn: mean, location: loc, createEmpty: false, timeSrc: "_start")
union(tables: [elec, hp])
  |> keep(columns: ["_time", "_measurement", "_field", "_value"])`;
}
