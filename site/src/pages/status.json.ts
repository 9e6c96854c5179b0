// The dashboard's current values with their times: the static counterpart of a status API.
import type { APIContext } from "astro";
import type { DashboardProps } from "../lib/snapshot.ts";

export const GET = ({ props }: APIContext<DashboardProps>): Response =>
  new Response(JSON.stringify(props.dashboard.status, null, 2));
