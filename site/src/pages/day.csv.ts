// The CSV of a day page: its five-minute buckets.
import type { APIContext } from "astro";
import { bucketsCsv } from "../../../reports/src/output/csv.ts";
import type { DayProps } from "../lib/snapshot.ts";

export const GET = ({ props }: APIContext<DayProps>): Response =>
  new Response(bucketsCsv(props.day.buckets, props.day.report.tz));
