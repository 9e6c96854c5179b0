import type { APIContext } from "astro";
import { periodData, staticPaths } from "../../lib/snapshot.ts";

export const getStaticPaths = () => staticPaths("season", "season");
export const GET = ({ params }: APIContext): Response =>
  new Response(JSON.stringify(periodData("season", params.season!).report, null, 2));
