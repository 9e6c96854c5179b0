/**
 * Loads line protocol (a file or a directory of .lp files) into a stand-in and prints load time,
 * memory and the time of a few typical queries, for sizing benchmarks:
 *   npm run simulate -- history --days 365 --out /tmp/year.lp
 *   npx node reports/test/helpers/flux-stand-in/measure-load.ts /tmp/year.lp
 */
import { encodeResult } from "./annotated-csv.ts";
import { startInfluxStandIn } from "./server.ts";

const path = process.argv[2];
if (!path) {
  process.stderr.write("usage: npx node reports/test/helpers/flux-stand-in/measure-load.ts FILE_OR_DIR\n");
  process.exit(2);
}
const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
const s = await startInfluxStandIn({ bucket: "heatpump" });
const t0 = performance.now();
const r = s.loadPath(path);
const loadS = (performance.now() - t0) / 1000;
globalThis.gc?.();
const mem = process.memoryUsage();
process.stdout.write(
  `loaded ${r.points} points (${r.dropped} dropped) in ${loadS.toFixed(1)} s; ` +
    `rss ${mb(mem.rss)}, heap ${mb(mem.heapUsed)}, array buffers ${mb(mem.arrayBuffers)}\n`,
);

const first = s.evaluate(
  'from(bucket: "heatpump") |> range(start: 1970-01-01T00:00:00Z, stop: 2100-01-01T00:00:00Z) ' +
    '|> filter(fn: (r) => r._measurement == "electric") |> first() |> keep(columns: ["_time"]) |> limit(n: 1)',
);
const firstNs = first.tables[0]?.columns[0]?.get(0) as bigint;
const day = (n: number) => new Date(Number(firstNs / 1_000_000n) + n * 86_400_000).toISOString();
const queries: Record<string, string> = {
  "one day, electric power+energy and all heatpump fields":
    `from(bucket: "heatpump") |> range(start: ${day(100)}, stop: ${day(101)}) ` +
    '|> filter(fn: (r) => (r._measurement == "electric" and (r._field == "power_w" or r._field == "energy_wh")) ' +
    'or r._measurement == "heatpump") |> keep(columns: ["_time", "_measurement", "_field", "_value"])',
  "35 days of electric power":
    `from(bucket: "heatpump") |> range(start: ${day(100)}, stop: ${day(135)}) ` +
    '|> filter(fn: (r) => r._measurement == "electric" and r._field == "power_w")',
  "count per series over the whole year":
    `from(bucket: "heatpump") |> range(start: ${day(0)}, stop: ${day(366)}) ` +
    '|> filter(fn: (r) => r._measurement == "electric" or r._measurement == "heatpump") |> count()',
  "last value of every series": `from(bucket: "heatpump") |> range(start: ${day(0)}, stop: ${day(366)}) |> last()`,
};
for (const [name, q] of Object.entries(queries)) {
  const t = performance.now();
  const res = s.evaluate(q);
  const rows = res.tables.reduce((n, tb) => n + tb.length, 0);
  let bytes = 0;
  for (const chunk of encodeResult(res.tables, res.error)) bytes += Buffer.byteLength(chunk);
  process.stdout.write(
    `${name}: ${res.tables.length} tables, ${rows} rows, ${mb(bytes)} CSV ` +
      `in ${(performance.now() - t).toFixed(0)} ms (${res.plan})\n`,
  );
}
await s.close();
