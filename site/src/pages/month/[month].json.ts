import { reportJson } from "../../../../reports/src/output/json.ts";
import type { APIContext } from "astro";
import type { PeriodProps } from "../../lib/snapshot.ts";

export const GET = ({ props }: APIContext<PeriodProps>): Response => new Response(reportJson(props.report));
