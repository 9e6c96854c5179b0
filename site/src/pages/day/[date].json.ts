import type { APIContext } from "astro";
import type { DayProps } from "../../lib/snapshot.ts";

export const GET = ({ props }: APIContext<DayProps>): Response =>
  new Response(JSON.stringify(props.day.report, null, 2));
