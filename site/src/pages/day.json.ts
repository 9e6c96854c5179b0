// The JSON twin of a day page: the day's report.
import type { APIContext } from "astro";
import type { DayProps } from "../lib/snapshot.ts";

export const GET = ({ props }: APIContext<DayProps>): Response =>
  new Response(JSON.stringify(props.day.report, null, 2));
