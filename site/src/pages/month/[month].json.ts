import type { APIContext } from "astro";
import { periodData, staticPaths } from "../../lib/snapshot.ts";

export const getStaticPaths = () => staticPaths("month", "month");
export const GET = ({ params }: APIContext): Response =>
  new Response(JSON.stringify(periodData("month", params.month!).report, null, 2));
