import type { APIContext } from "astro";
import { periodData, staticPaths } from "../../lib/snapshot.ts";

export const getStaticPaths = () => staticPaths("week", "week");
export const GET = ({ params }: APIContext): Response =>
  new Response(JSON.stringify(periodData("week", params.week!).report, null, 2));
