// The dashboard's current values with their times: the static counterpart of a status API.
import { dashboardData } from "../lib/snapshot.ts";

export const GET = (): Response => new Response(JSON.stringify(dashboardData().status, null, 2));
