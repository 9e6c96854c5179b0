/**
 * Every Flux query the report engine sends, built only with the client's `flux` template (values
 * are escaped by the template, never concatenated; a JS Date becomes an RFC 3339 time literal).
 *
 * They stay inside a small subset that InfluxDB 2.7 pushes down to storage and that a test stand-in
 * can evaluate faithfully (README, "Data schema"):
 *
 *   from(bucket) |> range(start: <absolute time>, stop: <absolute time>)
 *     |> filter(fn: (r) => <==/!= of _measurement, _field or a tag with a string; exists r.tag;
 *                           and, or, not>)
 *     then, as needed: keep/drop, first/last/count, group()/group(columns:), sort, limit
 *
 * No import, aggregateWindow, contains(), map, pivot, union, relative ranges or several pipelines:
 * contains() and windows in a non-UTC zone are not pushed down (the query reads every series of the
 * bucket), group() over `_value` columns of different types fails at run time ("schema collision":
 * the heat pump has boolean, integer and float fields), and window clipping makes a result depend
 * on the range asked. No query here merges `_value` columns of different types.
 *
 * Every query reads one home (home-filter.ts): `r.home == id`, and `or not exists r.home` when the
 * untagged points are this home's. `exists` is pushed down to storage like a tag comparison:
 * InfluxDB 2's PushDownFilterRule takes `exists r.tag`, and `not` of such a unary expression, as
 * pushable (isPushableUnaryPredicate), also inside and/or, and hands them to storage rewritten as
 * `r.tag != ""` and `r.tag == ""`, where a missing tag reads "" (rewritePushableExpr); a comparison
 * under `not` is never pushed, so none is written here. Source: query/stdlib/influxdata/influxdb/
 * rules.go, https://github.com/influxdata/influxdb/blob/v2.7.12/query/stdlib/influxdata/influxdb/rules.go
 * So the filter reads no series of another home, and the stand-in plans it the same way.
 *
 * Each builder is checked by the Flux language server and evaluated by the stand-in in the tests.
 */
import { flux, type ParameterizedQuery } from "@influxdata/influxdb-client";
import type { COLLECTOR_FIELDS, ELECTRIC_FIELDS } from "../../../core/src/data/catalogue.ts";
import { DEFAULT_METER_ROLE, MEASUREMENT, METER_ROLES, TAG } from "../../../core/src/data/catalogue.ts";
import type { HomeSettings } from "../../../core/src/data/home.ts";

const E = MEASUREMENT.electric;
const H = MEASUREMENT.heatpump;
const C = MEASUREMENT.collector;
const POWER: keyof typeof ELECTRIC_FIELDS = "power_w";
const ENERGY: keyof typeof ELECTRIC_FIELDS = "energy_wh";
const RETURNED: keyof typeof ELECTRIC_FIELDS = "energy_ret_wh";
const CALLS: keyof typeof COLLECTOR_FIELDS = "calls_today";

const time = (ms: number) => new Date(ms);

/** `a or b or ...` of the given predicates. */
const anyOf = (ps: readonly ParameterizedQuery[]): ParameterizedQuery =>
  ps.reduce((a, b) => flux`${a} or ${b}`);

/** The points of `home` (home-filter.ts isHome): its tag, and no tag at all when it reads those. */
function ofHome(home: HomeSettings): ParameterizedQuery {
  const tagged = flux`r[${TAG.home}] == ${home.id}`;
  return home.readsUntagged ? flux`(${tagged} or not exists r[${TAG.home}])` : tagged;
}

/** A meter of one of `roles`; a point without a role is the heat pump's (home-filter.ts meterIndex). */
function ofRoles(roles: readonly string[]): ParameterizedQuery {
  const named = roles.map((role) => flux`r[${TAG.role}] == ${role}`);
  return roles.includes(DEFAULT_METER_ROLE)
    ? anyOf([flux`not exists r[${TAG.role}]`, ...named])
    : anyOf(named);
}

/**
 * Electric power and energy (imported and returned) of every meter of a known role, and every heat
 * pump field: what the extent is made of. A role the catalogue does not know is no meter of ours.
 */
const METER_FIELDS = flux`r._field == ${POWER} or r._field == ${ENERGY} or r._field == ${RETURNED}`;
const METERS = flux`r._measurement == ${E} and (${METER_FIELDS}) and (${ofRoles(METER_ROLES)})`;
const MEASURED = flux`(${METERS}) or r._measurement == ${H}`;

/** Everything a daily row is computed from: the measured data and the Viessmann calls used. */
const REPORT_DATA = flux`${MEASURED} or (r._measurement == ${C} and r._field == ${CALLS})`;

/**
 * Raw samples of [start, stop): electric power and energies with the meter's role and device,
 * every heat pump field, Viessmann calls.
 */
export function samplesQuery(
  bucket: string,
  home: HomeSettings,
  startMs: number,
  stopMs: number,
): ParameterizedQuery {
  return flux`from(bucket: ${bucket})
  |> range(start: ${time(startMs)}, stop: ${time(stopMs)})
  |> filter(fn: (r) => ${ofHome(home)} and (${REPORT_DATA}))
  |> keep(columns: ["_time", "_measurement", "_field", "_value", ${TAG.source}, ${TAG.role}, ${TAG.device}])`;
}

/**
 * Points per series in [start, stop) of the same data as samplesQuery: the change detection of
 * closed days. count() is pushed down to storage; its `_value` is always an integer, so merging the
 * series' counts into one table is safe (the engine adds them up).
 */
export function countQuery(
  bucket: string,
  home: HomeSettings,
  startMs: number,
  stopMs: number,
): ParameterizedQuery {
  return flux`from(bucket: ${bucket})
  |> range(start: ${time(startMs)}, stop: ${time(stopMs)})
  |> filter(fn: (r) => ${ofHome(home)} and (${REPORT_DATA}))
  |> count()
  |> group()
  |> keep(columns: ["_value"])`;
}

/**
 * Time of the first (or last) electric or heat pump point in [start, stop). Only `_time` is kept
 * before the tables are merged, so fields of different types never meet in one column.
 */
export function edgeQuery(
  bucket: string,
  home: HomeSettings,
  edge: "first" | "last",
  startMs: number,
  stopMs: number,
): ParameterizedQuery {
  const head = flux`from(bucket: ${bucket})
  |> range(start: ${time(startMs)}, stop: ${time(stopMs)})
  |> filter(fn: (r) => ${ofHome(home)} and (${MEASURED}))`;
  return edge === "first"
    ? flux`${head}
  |> first()
  |> keep(columns: ["_time"])
  |> group()
  |> sort(columns: ["_time"])
  |> limit(n: 1)`
    : flux`${head}
  |> last()
  |> keep(columns: ["_time"])
  |> group()
  |> sort(columns: ["_time"], desc: true)
  |> limit(n: 1)`;
}

/**
 * Newest value of each named field (`measurement.field`, electric or heat pump) in [start, stop).
 * An electric field is the heat pump meter's (role `heatpump` or none), as Samples.elec.
 */
export function latestQuery(
  bucket: string,
  home: HomeSettings,
  startMs: number,
  stopMs: number,
  fields: readonly string[],
): ParameterizedQuery {
  const byMeasurement = Map.groupBy(fields, (f) => f.slice(0, f.indexOf(".")));
  const parts = [...byMeasurement].map(([m, fs]) => {
    const named = anyOf(fs.map((f) => flux`r._field == ${f.slice(m.length + 1)}`));
    return m === E
      ? flux`(r._measurement == ${m} and (${named}) and (${ofRoles([DEFAULT_METER_ROLE])}))`
      : flux`(r._measurement == ${m} and (${named}))`;
  });
  return flux`from(bucket: ${bucket})
  |> range(start: ${time(startMs)}, stop: ${time(stopMs)})
  |> filter(fn: (r) => ${ofHome(home)} and (${anyOf(parts)}))
  |> last()
  |> keep(columns: ["_time", "_measurement", "_field", "_value"])`;
}
