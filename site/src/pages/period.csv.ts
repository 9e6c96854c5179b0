// The CSV of a week, month or season page: one line per day.
import type { APIContext } from "astro";
import { dailyRowsCsv } from "../../../reports/src/output/csv.ts";
import type { PeriodPageProps } from "../lib/snapshot.ts";

export const GET = ({ props }: APIContext<PeriodPageProps>): Response =>
  new Response(dailyRowsCsv(props.report.rows));
