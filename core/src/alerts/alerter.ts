/**
 * One program's alerts: its judgments go through the state machine (state.ts), the state is kept in
 * its durable file (state-file.ts) and the notices go to the channels (notifier.ts). The collector
 * and the site builder each have one, with the same file format and the same notifier.
 *
 * Order of things, so nothing is told twice nor lost: the new state and its notices are written to
 * the file first, then sent; what a channel did not take stays in the file's outbox and is sent again
 * at the next judging (for a day at most). A restart in between sends a notice twice at worst, never
 * not at all. Without a channel configured the notices are only logged (and the pages show them).
 */
import type { Logger } from "../effects.ts";
import { type AlertProgram, CONDITIONS } from "./conditions.ts";
import type { ChannelResult, Notifier } from "./notifier.ts";
import { advance, DAY_MS, type Judgment, type Notice } from "./state.ts";
import { type AlertFile, emptyAlertFile, type Pending, readAlertFile, writeAlertFile } from "./state-file.ts";

interface AlerterOptions {
  readonly program: AlertProgram;
  /** The state file (alertFilePath). */
  readonly path: string;
  readonly notifier: Notifier;
  readonly logger: Logger;
  /** How long an open alert waits for its reminder, ms (0: never). */
  readonly remindMs: number;
}

interface Alerter {
  /**
   * Takes this judging's results at `nowMs`: updates and saves the state, then sends what there is to
   * tell (and what earlier judgings could not deliver). Resolves when every channel is done, each
   * within its time limit; never rejects for a channel or a state file that fails (it logs them).
   */
  judge(judgments: readonly Judgment[], nowMs: number, signal?: AbortSignal): Promise<AlertFile>;
  /** The state as last judged (or as read at start). */
  current(): AlertFile;
}

export function createAlerter(opts: AlerterOptions): Alerter {
  const { notifier, logger: log, path } = opts;
  let file = load();

  function load(): AlertFile {
    try {
      const f = readAlertFile(path);
      if (f === "damaged") {
        log.warn(`${path} is not an alert state file; starting afresh (alerts open now are told again)`);
        return emptyAlertFile(opts.program);
      }
      return f ?? emptyAlertFile(opts.program);
    } catch (e) {
      log.warn(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}); starting afresh`);
      return emptyAlertFile(opts.program);
    }
  }

  function save(next: AlertFile): void {
    file = next;
    try {
      writeAlertFile(path, next);
    } catch (e) {
      // A full disk (disk_low) must not stop the program; the state lives on in memory meanwhile.
      log.error(
        `cannot save the alert state to ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}); ` +
          "alerts go on, a restart may tell open ones again",
      );
    }
  }

  function logNotice(n: Notice): void {
    const what = n.condition ? `${n.condition}, ${n.severity}` : n.severity;
    const line = `alert ${n.kind} (${what}): ${n.title}`;
    if (n.kind === "resolved") log.info(line);
    else log.warn(line);
  }

  /** Sends each pending notice to the channels it still needs; returns what is still pending. */
  async function flush(outbox: readonly Pending[], signal?: AbortSignal): Promise<Pending[]> {
    const results = await Promise.all(
      outbox.map(async (p): Promise<[Pending, ChannelResult[]]> => [
        p,
        await notifier.deliver(p.notice, p.channels, signal),
      ]),
    );
    const left: Pending[] = [];
    for (const [p, rs] of results) {
      for (const r of rs) {
        const who = notifier.describe(r.channel);
        if (r.ok) log.info(`told ${who}: ${p.notice.title}`);
        else log.warn(`${who} did not take "${p.notice.title}": ${r.detail}; trying again at the next check`);
      }
      const failed = rs.filter((r) => !r.ok).map((r) => r.channel);
      if (failed.length > 0) left.push({ notice: p.notice, channels: failed });
    }
    return left;
  }

  return {
    current: () => file,
    async judge(judgments, nowMs, signal) {
      const { state, notices } = advance(file, judgments, nowMs, { remindMs: opts.remindMs });
      for (const n of notices) logNotice(n);
      const channels = notifier.channels;
      // Undelivered notices wait a day at most: a channel down for longer gets the reminders instead.
      const kept = file.outbox.filter((p) => nowMs - p.notice.createdMs < DAY_MS);
      if (kept.length < file.outbox.length)
        log.warn(`dropped ${file.outbox.length - kept.length} notices no channel took within a day`);
      const outbox: Pending[] =
        channels.length === 0
          ? []
          : [
              ...kept.map((p) => ({ ...p, channels: p.channels.filter((c) => channels.includes(c)) })),
              ...notices.map((notice) => ({ notice, channels })),
            ].filter((p) => p.channels.length > 0);
      save({ ...file, ...state, channels: [...channels], outbox });
      if (outbox.length === 0) return file;
      const left = await flush(outbox, signal);
      save({ ...file, outbox: left });
      return file;
    },
  };
}

/** The test message of `npm run alerts -- --test`. */
export function testNotice(program: string, nowMs: number): Notice {
  const names = Object.keys(CONDITIONS).join(", ");
  return {
    kind: "test",
    condition: null,
    severity: "info",
    title: "Test message",
    message: `A test from the heat pump monitor (${program}). Alerts will come this way: ${names}.`,
    openedMs: null,
    resolvedMs: null,
    createdMs: nowMs,
  };
}
