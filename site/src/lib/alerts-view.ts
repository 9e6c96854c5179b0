/**
 * The alerts as the site shows them: the dashboard's banner while anything is open, the /alerts/ page
 * (open alerts, what is watched and how it stands, past alerts) and its JSON twin /alerts.json. From
 * the builder's alert state (DATA_DIR/alerts-builder.json: its own conditions and the collector's,
 * mirrored from the store), as judged after the previous build. Times are absolute, in the report
 * zone: a page read an hour later still says the truth about when. No address or token of a channel
 * is ever in it (the state file names channels by kind only).
 */
import { CONDITIONS, type ConditionName, type Severity } from "../../../core/src/alerts/conditions.ts";
import type { AlertFile } from "../../../core/src/alerts/state-file.ts";
import { duration } from "../../../core/src/alerts/state.ts";
import { localTime } from "./local-time.ts";
import type { TableRow } from "./page-parts.ts";

export interface AlertsData {
  /** The builder's alert state as last judged; null before its first judging. */
  readonly state: AlertFile | null;
  readonly tz: string;
  /** When this build ran, ms since the epoch. */
  readonly builtAtMs: number;
}

/** Props of /alerts/ and /alerts.json (and, optional, of the dashboard for its banner). */
export interface AlertsProps {
  alerts: AlertsData;
}

const SEVERITY_WORD: Readonly<Record<Severity, string>> = {
  info: "Info",
  warning: "Warning",
  critical: "Critical",
};
const STATUS_WORD = { open: "Open", ok: "OK", unknown: "Not known" } as const;
const iso = (ms: number | null | undefined) => (typeof ms === "number" ? new Date(ms).toISOString() : null);
const label = (c: ConditionName) => CONDITIONS[c].label;

/** The dashboard's line while anything is open, or null. */
export function alertBanner(d: AlertsData | undefined): string | null {
  const open = d?.state?.open ?? [];
  if (open.length === 0) return null;
  const at = (ms: number) => localTime(ms, d!.tz, d!.builtAtMs);
  const items = open.map((a) => `${a.title} (since ${at(a.openedMs)})`);
  return `${open.length === 1 ? "1 alert open" : `${open.length} alerts open`}: ${items.join("; ")}.`;
}

export function alertsView(d: AlertsData) {
  const s = d.state;
  const at = (ms: number) => localTime(ms, d.tz, d.builtAtMs);
  const judged = s?.checkedMs ?? null;
  const channels = s?.channels.length
    ? s.channels.join(" and ")
    : "no channel (set NTFY_URL or ALERT_WEBHOOK_URL)";
  return {
    title: "Alerts",
    sub:
      judged === null
        ? "Not judged yet: the builder judges the alerts after each build."
        : `Judged ${at(judged)} (${d.tz}), after the build before this one. Notifications go to ${channels}.`,
    open: (s?.open ?? []).map((a) => ({
      head: `${SEVERITY_WORD[a.severity]}: ${a.title}`,
      since:
        `Since ${at(a.openedMs)}${judged !== null ? `, ${duration(judged - a.openedMs)} by then` : ""}` +
        (a.own ? "" : "; told by the collector"),
      message: a.message,
    })),
    checkColumns: ["Condition", "Status", "Last judged", "Why", "Set with"],
    checks: (s?.checks ?? []).map((c): TableRow => ({
      head: label(c.condition),
      cells: [STATUS_WORD[c.status], at(c.atMs), c.message, CONDITIONS[c.condition].variables.join(", ")],
    })),
    pastColumns: ["Alert", "Severity", "Opened", "Resolved", "Lasted"],
    past: (s?.past ?? []).map((a): TableRow => ({
      head: a.title,
      cells: [
        SEVERITY_WORD[a.severity],
        at(a.openedMs),
        at(a.resolvedMs),
        duration(a.resolvedMs - a.openedMs),
      ],
    })),
  };
}

/** /alerts.json: the same, times in UTC (ISO 8601). */
export function alertsJson(d: AlertsData) {
  const s = d.state;
  return {
    judged_at: iso(s?.checkedMs),
    channels: s?.channels ?? [],
    open: (s?.open ?? []).map((a) => ({
      condition: a.condition,
      severity: a.severity,
      title: a.title,
      message: a.message,
      opened_at: iso(a.openedMs),
      judged_by: a.own ? "builder" : "collector",
    })),
    checks: (s?.checks ?? []).map((c) => ({
      condition: c.condition,
      status: c.status,
      message: c.message,
      judged_at: iso(c.atMs),
    })),
    past: (s?.past ?? []).map((a) => ({
      condition: a.condition,
      severity: a.severity,
      title: a.title,
      opened_at: iso(a.openedMs),
      resolved_at: iso(a.resolvedMs),
    })),
  };
}
