/**
 * Each condition is a state, not a stream: judged again and again, it opens once (one notice),
 * resolves once (one notice saying how long it lasted) and reminds once a day while it stays open.
 * This module is the state machine alone, pure: the state and the judgments in, the next state and
 * the notices out. The alerter (alerter.ts) keeps the state in a durable file, so a restarted
 * program carries on where it stopped and sends nothing for an alert it already told of.
 *
 * A judgment of `open: null` means "cannot tell now" (the store holds no reading to judge by): the
 * condition keeps its state. A condition judged by the other program (the collector's, mirrored by
 * the builder from the store for its pages) is tracked the same way but notifies nothing (`own`
 * false): the program that judges it has told already.
 */
import { type ConditionName, CONDITIONS, type Severity, SEVERITY_RANK, worse } from "./conditions.ts";

export interface Judgment {
  readonly condition: ConditionName;
  /** true: the condition holds; false: it does not; null: cannot tell now (keep the state). */
  readonly open: boolean | null;
  readonly severity: Severity;
  /** One line, ASCII where possible: a phone shows it as the notification's title. */
  readonly title: string;
  /** What happened and what to do. When not open: why it is fine, or why it cannot be told. */
  readonly message: string;
  /**
   * What makes an open alert the same one (a device's fault codes, the day a low COP was seen): a
   * change while open is told once ("changed"). Undefined: the message may change freely.
   */
  readonly key?: string;
  /** When the condition began (e.g. the last reading before a silence); default: now. */
  readonly sinceMs?: number;
  /** Shown for a condition that is not open: "ok" (default) or "unknown" (not reported, no data). */
  readonly status?: "ok" | "unknown";
  /** Judged by this program (notifies); false for a condition mirrored from the other program. */
  readonly own?: boolean;
}

export interface OpenAlert {
  readonly condition: ConditionName;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly key?: string;
  readonly openedMs: number;
  /** When it was last told (opened, changed or reminded): the next reminder counts from here. */
  readonly toldMs: number;
  readonly own: boolean;
}

export interface PastAlert extends Omit<OpenAlert, "toldMs"> {
  readonly resolvedMs: number;
}

/** The last judgment of each condition, for the alerts page. */
export interface Check {
  readonly condition: ConditionName;
  readonly status: "open" | "ok" | "unknown";
  readonly message: string;
  readonly atMs: number;
  readonly own: boolean;
}

export type NoticeKind = "opened" | "changed" | "reminder" | "resolved" | "summary" | "test";

/** One message to the owner. */
export interface Notice {
  readonly kind: NoticeKind;
  /** Null for a summary or a test. */
  readonly condition: ConditionName | null;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly openedMs: number | null;
  readonly resolvedMs: number | null;
  readonly createdMs: number;
}

export interface AlertState {
  readonly version: 1;
  /** When this program first judged (null: never; its first judging sends at most one summary). */
  readonly checkedMs: number | null;
  readonly open: readonly OpenAlert[];
  /** Resolved alerts, newest first, at most PAST_KEPT. */
  readonly past: readonly PastAlert[];
  readonly checks: readonly Check[];
}

const PAST_KEPT = 100;
export const DAY_MS = 86_400_000;

export const emptyState = (): AlertState => ({ version: 1, checkedMs: null, open: [], past: [], checks: [] });

/** `1 h 12 min`, `3 days 4 h`, `45 s`: how long something lasted. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} days ${h % 24} h` : `${d} days`;
}

const notice = (
  kind: NoticeKind,
  a: { condition: ConditionName | null; severity: Severity; title: string; message: string },
  openedMs: number | null,
  resolvedMs: number | null,
  nowMs: number,
): Notice => ({
  kind,
  condition: a.condition,
  severity: a.severity,
  title: a.title,
  message: a.message,
  openedMs,
  resolvedMs,
  createdMs: nowMs,
});

/**
 * The next state after `judgments` at `nowMs`, and the notices to send. `remindMs`: how long an open
 * alert waits for its reminder (0: never). On the very first judging (no earlier state), two or more
 * conditions found open are told in one summary, not one notice each.
 */
export function advance(
  state: AlertState,
  judgments: readonly Judgment[],
  nowMs: number,
  opts: { remindMs: number },
): { state: AlertState; notices: Notice[] } {
  const open = new Map(state.open.map((a) => [a.condition, a]));
  const past: PastAlert[] = [];
  const checks = new Map(state.checks.map((c) => [c.condition, c]));
  const notices: Notice[] = [];
  const first = state.checkedMs === null;
  for (const j of judgments) {
    const own = j.own ?? true;
    const was = open.get(j.condition);
    checks.set(j.condition, {
      condition: j.condition,
      status: j.open === true ? "open" : j.open === false ? (j.status ?? "ok") : was ? "open" : "unknown",
      message: j.open === null && was ? was.message : j.message,
      atMs: nowMs,
      own,
    });
    if (j.open === null) continue;
    if (j.open && !was) {
      const openedMs = Math.min(j.sinceMs ?? nowMs, nowMs);
      const a: OpenAlert = { ...pick(j), openedMs, toldMs: nowMs, own };
      open.set(j.condition, a);
      if (own) notices.push(notice("opened", a, openedMs, null, nowMs));
    } else if (j.open && was) {
      const changed = j.key !== undefined && j.key !== was.key;
      const rose = SEVERITY_RANK[j.severity] > SEVERITY_RANK[was.severity];
      const due = opts.remindMs > 0 && nowMs - was.toldMs >= opts.remindMs;
      const tell = own && (changed || rose || due);
      open.set(j.condition, { ...was, ...pick(j), own, toldMs: tell ? nowMs : was.toldMs });
      if (tell) notices.push(notice(changed || rose ? "changed" : "reminder", j, was.openedMs, null, nowMs));
    } else if (!j.open && was) {
      open.delete(j.condition);
      const { toldMs: _told, ...rest } = was;
      past.push({ ...rest, resolvedMs: nowMs });
      if (was.own) {
        const message = `Resolved after ${duration(nowMs - was.openedMs)}: ${was.title}. ${j.message}`.trim();
        notices.push(
          notice(
            "resolved",
            { ...was, title: `Resolved: ${was.title}`, message },
            was.openedMs,
            nowMs,
            nowMs,
          ),
        );
      }
    }
  }
  const next: AlertState = {
    version: 1,
    checkedMs: nowMs,
    open: [...open.values()],
    past: [...past, ...state.past].slice(0, PAST_KEPT),
    checks: [...checks.values()],
  };
  return { state: next, notices: first ? summarised(notices, nowMs) : notices };
}

function pick(j: Judgment) {
  return {
    condition: j.condition,
    severity: j.severity,
    title: j.title,
    message: j.message,
    ...(j.key !== undefined ? { key: j.key } : {}),
  };
}

/** Two or more alerts found open at the first start: one summary of them all instead. */
function summarised(notices: Notice[], nowMs: number): Notice[] {
  const opened = notices.filter((n) => n.kind === "opened");
  if (opened.length < 2) return notices;
  const severity = opened.map((n) => n.severity).reduce(worse);
  const lines = opened.map((n) => `- ${CONDITIONS[n.condition!].label}: ${n.title}. ${n.message}`);
  return [
    ...notices.filter((n) => n.kind !== "opened"),
    notice(
      "summary",
      {
        condition: null,
        severity,
        title: `${opened.length} alerts open`,
        message: `Found open when alerts started:\n${lines.join("\n")}`,
      },
      null,
      null,
      nowMs,
    ),
  ];
}
