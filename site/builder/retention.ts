/**
 * The InfluxDB bucket's retention, looked at when the builder starts. A finite retention deletes the
 * raw data of every day older than it: InfluxDB and Grafana lose those days, while the site keeps
 * the figures it published (kept-history.ts). The builder says which of the two the user gets:
 * a warning when the retention is finite, and once that it cannot tell when its token may not read
 * the bucket's settings. InfluxDB 2's API: `GET /api/v2/buckets?org=<org>&name=<bucket>` answers
 * `{ buckets: [{ id, name, retentionRules: [{ type: "expire", everySeconds }] }] }`; no rule, or
 * everySeconds 0, keeps data forever.
 */
import type { Logger } from "../../core/src/effects.ts";
import type { ReportSource } from "../../reports/src/config.ts";

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

interface BucketsAnswer {
  buckets?: { id?: string; name?: string; retentionRules?: { type?: string; everySeconds?: number }[] }[];
}

/** "30 days", "36 hours": a retention in words. */
export function retentionText(seconds: number): string {
  const days = seconds / 86_400;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? "" : "s"}`;
  const hours = Math.round(seconds / 360) / 10;
  return `${hours} hours`;
}

/**
 * Reads the retention of the report source's bucket (nothing for a local source) and says what it
 * means; never fails the start. `fetch` is passed in for tests.
 */
export async function checkRetention(
  source: ReportSource,
  logger: Logger,
  fetchImpl: Fetch = fetch,
): Promise<void> {
  if (source.kind !== "influx") return;
  const url = new URL("api/v2/buckets", source.url.endsWith("/") ? source.url : `${source.url}/`);
  // InfluxDB takes the token; a user:password@ in INFLUX_URL is not sent (fetch refuses it anyway).
  url.username = "";
  url.password = "";
  url.searchParams.set("org", source.org);
  url.searchParams.set("name", source.bucket);
  const cannot = (why: string) =>
    logger.info(
      `could not read the retention of InfluxDB bucket ${source.bucket} (${why}; the builder's token may ` +
        "read its data, not its settings). If it is finite, InfluxDB and Grafana lose the days older than it " +
        'while the site keeps the figures it published (README, "Docker Compose")',
    );
  let answer: BucketsAnswer;
  try {
    const res = await fetchImpl(url.href, {
      headers: { Authorization: `Token ${source.token}`, Accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return cannot(`HTTP ${res.status}`);
    answer = (await res.json()) as BucketsAnswer;
  } catch (e) {
    return cannot((e as Error).message);
  }
  const bucket = answer.buckets?.find((b) => b.name === source.bucket);
  if (!bucket) return cannot("the bucket is not among those the token may see");
  const seconds = Math.min(
    ...(bucket.retentionRules ?? []).map((r) => r.everySeconds ?? 0).filter((s) => s > 0),
  );
  if (!Number.isFinite(seconds)) return;
  logger.warn(
    `InfluxDB bucket ${source.bucket} keeps data for ${retentionText(seconds)} (retention ${seconds} s): ` +
      "InfluxDB and Grafana lose every day older than that, while the site keeps the figures it published " +
      "(its day pages and JSON twins) and no longer recomputes those days. To keep the raw data too, set " +
      `the retention to infinite: influx bucket update --id ${bucket.id ?? "<bucket id>"} --retention 0`,
  );
}
