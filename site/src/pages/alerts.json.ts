// /alerts.json: the alerts page's twin (open, watched, past), times in UTC.
import type { APIContext } from "astro";
import { alertsJson, type AlertsProps } from "../lib/alerts-view.ts";

export const GET = ({ props }: APIContext<AlertsProps>): Response =>
  new Response(JSON.stringify(alertsJson(props.alerts), null, 2));
