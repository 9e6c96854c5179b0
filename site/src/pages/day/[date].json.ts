import type { APIContext } from "astro";
import { dayData, staticPaths } from "../../lib/snapshot.ts";

export const getStaticPaths = () => staticPaths("day", "date");
export const GET = ({ params }: APIContext): Response =>
  new Response(JSON.stringify(dayData(params.date!).report, null, 2));
