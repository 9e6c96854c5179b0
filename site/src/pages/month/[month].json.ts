import type { APIContext } from "astro";
import type { PeriodProps } from "../../lib/snapshot.ts";

export const GET = ({ props }: APIContext<PeriodProps>): Response =>
  new Response(JSON.stringify(props.report, null, 2));
