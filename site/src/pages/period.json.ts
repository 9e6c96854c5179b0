// The JSON twin of a week, month or season page: its report, as the static history API serves it.
import type { APIContext } from "astro";
import { reportJson } from "../../../reports/src/output/json.ts";
import type { PeriodPageProps } from "../lib/snapshot.ts";

export const GET = ({ props }: APIContext<PeriodPageProps>): Response =>
  new Response(reportJson(props.report));
