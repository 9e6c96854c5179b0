import type { APIContext } from "astro";
import { dailyRowsCsv } from "../../../../reports/src/output/csv.ts";
import type { PeriodProps } from "../../lib/snapshot.ts";

export const GET = ({ props }: APIContext<PeriodProps>): Response =>
  new Response(dailyRowsCsv(props.report.rows));
