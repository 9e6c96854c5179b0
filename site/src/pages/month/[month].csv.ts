import type { APIContext } from "astro";
import { dailyRowsCsv } from "../../../../reports/src/csv.ts";
import { periodData, staticPaths } from "../../lib/snapshot.ts";

export const getStaticPaths = () => staticPaths("month", "month");
export const GET = ({ params }: APIContext): Response =>
  new Response(dailyRowsCsv(periodData("month", params.month!).report.rows));
