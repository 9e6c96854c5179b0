/**
 * The compute stage: what each page shows, asked of the report engine. The period pages one at a
 * time, as the render stage takes them (so the history is never held in memory at once); then the
 * site's own pages: the dashboard (status, the last 24 hours, the last 7 days), the page for a
 * missing one, the archive's index, and the index of each kind of period.
 */
import { addDays } from "../../core/src/time.ts";
import type { PeriodKind, PeriodReport, Reports } from "../../reports/src/types.ts";
import { alertsData } from "./alerts/alerts-data.ts";
import type { SnapshotIndex } from "../src/lib/snapshot.ts";
import { archiveEntry } from "./archive.ts";
import type { BuildDeps, BuildPlan, Timings } from "./build-context.ts";
import { periodSummaries, summaryDays } from "./period-summaries.ts";
import { KINDS } from "./plan.ts";
import type { PageJob } from "./render/page-table.ts";

/** Month reports by month, kept for the archive: the months rendered or frozen in this build. */
export type MonthReports = Map<string, PeriodReport>;

/** The pages of `plan.dirty`, in order, each with its numbers; month reports go into `months`. */
export async function* periodJobs(
  reports: Reports,
  plan: BuildPlan,
  months: MonthReports,
  timings: Timings,
): AsyncGenerator<PageJob> {
  const { extent } = plan;
  for (const p of plan.dirty) {
    const report = await timings.engine(() => reports.report({ kind: p.kind, id: p.id }));
    if (p.kind === "day") {
      const buckets = await timings.engine(() => reports.dayBuckets(p.id));
      const series = await timings.engine(() =>
        reports.series(Date.parse(report.start), Date.parse(report.end)),
      );
      yield { page: "period", kind: "day", id: p.id, props: { day: { report, buckets, series }, extent } };
    } else {
      if (p.kind === "month") months.set(p.id, report);
      yield { page: "period", kind: p.kind, id: p.id, props: { report, extent } };
    }
  }
}

/**
 * The site's own pages, after the period pages, and the index they show (whose archive the archive
 * stage links from the months it freezes). Asks for the reports of months to freeze that were not
 * rendered in this build.
 */
export async function siteJobs(
  deps: BuildDeps,
  plan: BuildPlan,
  months: MonthReports,
  timings: Timings,
): Promise<{ jobs: PageJob[]; index: SnapshotIndex }> {
  const { reports } = deps;
  const { nowMs, today, extent } = plan;
  for (const m of plan.freeze)
    if (!months.has(m)) months.set(m, await timings.engine(() => reports.report({ kind: "month", id: m })));

  const status = await timings.engine(() => reports.status(nowMs));
  const fromMs = nowMs - 24 * 3_600_000;
  const dashboard = {
    status,
    fromMs,
    toMs: nowMs,
    series: await timings.engine(() => reports.series(fromMs, nowMs)),
    week: await timings.engine(() => reports.dailyRows(addDays(today, -6), today)),
    today,
  };
  // The index pages: every season with data from its first day, as the season pages count it.
  const span = extent ? summaryDays(extent, today) : null;
  const periods = periodSummaries(
    span ? await timings.engine(() => reports.dailyRows(span.from, span.to)) : [],
    extent,
    nowMs,
    new Map(plan.plans.map((p) => [p.page, p.key])),
  );
  const index = siteIndex(deps, plan, months);
  // The alerts as judged after the previous build (alerts/builder-alerts.ts).
  const alerts = alertsData(deps.config.dataDir, reports.tz, nowMs);
  const jobs: PageJob[] = [
    { page: "dashboard", props: { dashboard, index, alerts } },
    { page: "alerts", props: { alerts } },
    { page: "not-found" },
    { page: "archive-index", props: { index } },
    ...KINDS.map((kind): PageJob => ({ page: "index", kind, props: { periods } })),
  ];
  return { jobs, index };
}

/** What every page's header and the archive's index show: the newest periods and the archive. */
function siteIndex(deps: BuildDeps, plan: BuildPlan, months: MonthReports): SnapshotIndex {
  const { config, reports } = deps;
  const latest = Object.fromEntries(
    KINDS.map((k) => [k, plan.plans.filter((p) => p.kind === k).at(-1)?.id ?? null]),
  ) as Record<PeriodKind, string | null>;
  return {
    builtAtMs: plan.nowMs,
    refreshS: config.intervalS,
    tz: reports.tz,
    latest,
    extent: plan.extent,
    archive: [
      ...plan.kept.filter((m) => !plan.freeze.includes(m)).map((m) => archiveEntry(config.archiveDir, m)),
      ...plan.freeze.map((m) => {
        const r = months.get(m)!;
        return { id: m, label: r.label, elec_kwh: r.elec_kwh, heat_kwh: r.heat_kwh, cop: r.cop };
      }),
    ].sort((a, b) => (a.id < b.id ? 1 : -1)),
  };
}
