import type { APIContext } from "astro";
import { dailyRowsCsv } from "../../../../reports/src/csv.ts";
import { periodData, staticPaths } from "../../lib/snapshot.ts";

export const getStaticPaths = () => staticPaths("season", "season");
export const GET = ({ params }: APIContext): Response =>
  new Response(dailyRowsCsv(periodData("season", params.season!).report.rows));
