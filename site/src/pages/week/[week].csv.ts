import type { APIContext } from "astro";
import { dailyRowsCsv } from "../../../../reports/src/csv.ts";
import { periodData, staticPaths } from "../../lib/snapshot.ts";

export const getStaticPaths = () => staticPaths("week", "week");
export const GET = ({ params }: APIContext): Response =>
  new Response(dailyRowsCsv(periodData("week", params.week!).report.rows));
