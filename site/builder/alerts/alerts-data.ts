/**
 * What the pages show of the alerts: the builder's alert state file as the last judging left it
 * (after the previous build), read once per build. A missing or damaged file is "not judged yet".
 */
import { alertFilePath, readAlertFile } from "../../../core/src/alerts/state-file.ts";
import type { AlertsData } from "../../src/lib/alerts-view.ts";

export function alertsData(dataDir: string, tz: string, builtAtMs: number): AlertsData {
  let state;
  try {
    state = readAlertFile(alertFilePath(dataDir, "builder"));
  } catch {
    state = undefined;
  }
  return { state: state && state !== "damaged" ? state : null, tz, builtAtMs };
}
