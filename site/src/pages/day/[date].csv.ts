import type { APIContext } from "astro";
import { bucketsCsv } from "../../../../reports/src/csv.ts";
import { dayData, staticPaths } from "../../lib/snapshot.ts";

export const getStaticPaths = () => staticPaths("day", "date");
export const GET = ({ params }: APIContext): Response =>
  new Response(bucketsCsv(dayData(params.date!).buckets));
