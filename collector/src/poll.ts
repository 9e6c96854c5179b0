/**
 * One source's poll cycle, and the one place where source errors are caught:
 *
 * - ExpectedError: a gap (the source's points are not written), one log line per change of state
 *   ("shelly: <what happened>; will keep trying" once, "shelly: back" once), polling goes on.
 * - ExpectedError with `fatalForSource` (e.g. Viessmann invalid_grant): the source stops with its
 *   message; other sources keep running.
 * - Anything else is a bug: the stack is logged and `onUnexpected` is called (main flushes and exits
 *   non-zero so the supervisor restarts the collector).
 *
 * Every cycle also journals one `collector` point for the source (polls ok/failed since start,
 * latency of this poll, plus the source's own health fields such as Viessmann `calls_today`), tagged
 * `source` and the source's own tags (a Shelly meter's `role`).
 * When the journal cannot take a cycle's points (JournalError: disk full, I/O error) the cycle is a
 * gap too: nothing bypasses the journal, and the journal logs it once.
 *
 * Before they are journaled, device numbers are screened (plausibility.ts: an absurd value is a gap
 * in its field) and the poll's wall time is checked against the monotonic clock (clock-guard.ts:
 * after a step of the wall clock the cycle's points are held back until it is steady again).
 * Intervals run on the monotonic clock: `dueAt()` is monotonic, so a wall clock set back an hour
 * does not stop polling for an hour, and one set forward does not make a poll due at once.
 */
import { MEASUREMENT, TAG, type CollectorField } from "../../core/src/data/catalogue.ts";
import { type Clock, type Logger, monotonicOf } from "../../core/src/effects.ts";
import { type ExpectedError, isExpected } from "../../core/src/errors.ts";
import type { Point } from "../../core/src/data/line-protocol.ts";
import type { Source } from "./sources/source.ts";
import { type ClockGuard, createClockGuard } from "./clock-guard.ts";
import { plausibilityScreen } from "./plausibility.ts";

interface PollDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Makes points durable (the journal's append). */
  readonly append: (points: readonly Point[]) => Promise<void>;
  /** Called once with a bug (not an ExpectedError); the caller flushes and exits non-zero. */
  readonly onUnexpected: (error: unknown) => void;
  /** MAX_POWER_W, for the plausibility of power readings. Default DEFAULT_MAX_POWER_W (15 kW). */
  readonly maxPowerW?: number;
  /** Whether the wall clock may stamp readings; one guard for all sources. Default: one of its own. */
  readonly clockGuard?: ClockGuard;
  /** Health fields beyond the source's, on each `collector` point (the writer's `lines_rejected`). */
  readonly health?: () => Partial<Record<CollectorField, number>>;
}

export type PollOutcome =
  | { readonly kind: "ok"; readonly points: readonly Point[] }
  | { readonly kind: "gap"; readonly error: ExpectedError }
  | { readonly kind: "stopped"; readonly error: ExpectedError }
  | { readonly kind: "bug"; readonly error: unknown };

export interface Poller {
  readonly source: Source;
  /** Runs one cycle now. Never rejects. */
  poll(): Promise<PollOutcome>;
  /**
   * When the next poll is due, on the monotonic clock (`clock.monotonic`, ms; `clock.now` for a
   * clock without one); Infinity once the source stopped.
   */
  dueAt(): number;
  running(): boolean;
  stopped(): boolean;
}

const fields = (f: Partial<Record<CollectorField, number>>) => f;

export function createPoller(source: Source, deps: PollDeps): Poller {
  const { clock } = deps;
  const monotonic = monotonicOf(clock);
  const log = deps.logger;
  // Several Shelly meters share the name `shelly`: logs tell them apart by label (`shelly backup`).
  const name = source.label ?? source.name;
  const screen = plausibilityScreen({
    maxPowerW: deps.maxPowerW,
    monotonicNow: monotonic,
    warn: (m) => log.warn(`${name}: ${m}`),
  });
  const guard = deps.clockGuard ?? createClockGuard(log);
  let started = false;
  let stopped = false;
  let inFlight = false;
  /** A rate-limited source says when it may be called again (wall clock, ms since epoch). */
  let retryAtMs = -Infinity;
  /**
   * The source's due time (wall clock) as a monotonic deadline. Sources think in wall time (UTC
   * midnight, a 429's limitReset); the wait is taken from it once, here, then counted monotonically.
   */
  const dueFrom = (lastStartMono: number | undefined): number => {
    const wallNow = clock.now();
    const monoNow = monotonic();
    // The last start as the wall clock reads now: a step of the wall clock since moved it too.
    const last = lastStartMono === undefined ? undefined : Math.round(wallNow - (monoNow - lastStartMono));
    return monoNow + (Math.max(source.nextPollAt(last, wallNow), retryAtMs) - wallNow);
  };
  let due = dueFrom(undefined);
  let pollsOk = 0;
  let pollsFailed = 0;
  /** `kind` of the current failure, or undefined while the source answers. */
  let failing: string | undefined;

  function collectorPoint(t0: number, latencyMs: number): Point {
    const health = source.health?.(t0) ?? {};
    return {
      measurement: MEASUREMENT.collector,
      tags: { ...source.tags, [TAG.source]: source.name },
      fields: {
        ...fields({ polls_ok: pollsOk, polls_failed: pollsFailed, latency_ms: latencyMs }),
        ...health,
        ...deps.health?.(),
      },
      timeMs: t0,
    };
  }

  async function cycle(t0: number, m0: number): Promise<PollOutcome> {
    // Read together with t0: whether t0 may stamp this cycle's points.
    const trusted = guard.trust(t0, m0);
    let points: Point[];
    let outcome: PollOutcome;
    try {
      if (!started) {
        log.info(`${name}: ${await source.start(t0)}`);
        started = true;
      }
      points = screen(await source.poll(t0));
      pollsOk++;
      if (failing !== undefined) log.info(`${name}: back after ${pollsFailed} failed polls in total`);
      failing = undefined;
      outcome = { kind: "ok", points };
    } catch (e) {
      if (!isExpected(e)) throw e;
      pollsFailed++;
      points = []; // a gap: nothing of a failed poll is written
      if (e.retryAtMs !== undefined) retryAtMs = e.retryAtMs;
      if (e.fatalForSource) {
        log.error(`${name}: ${e.message}; this source is stopped, the others keep running`);
        stopped = true;
        outcome = { kind: "stopped", error: e };
      } else {
        if (failing !== e.kind) log.warn(`${name}: ${e.message}; will keep trying`);
        failing = e.kind;
        outcome = { kind: "gap", error: e };
      }
    }
    const latencyMs = Math.round(monotonic() - m0);
    // Held back after a step of the wall clock: the device was read, nothing is stamped.
    if (!trusted && outcome.kind === "ok") outcome = { kind: "ok", points: [] };
    try {
      if (trusted) await deps.append([...points, collectorPoint(t0, latencyMs)]);
    } catch (e) {
      // The journal cannot take them (disk full, I/O error): a gap like a failed read. The
      // journal logs that once itself; anything that is not an ExpectedError is a bug.
      if (!isExpected(e)) throw e;
      outcome = { kind: "gap", error: e };
    }
    if (stopped) await source.close?.();
    return outcome;
  }

  return {
    source,
    async poll() {
      if (stopped || inFlight) throw new Error(`${name}: poll() while ${stopped ? "stopped" : "running"}`);
      inFlight = true;
      const t0 = clock.now();
      const m0 = monotonic();
      try {
        const outcome = await cycle(t0, m0);
        due = dueFrom(m0);
        return outcome;
      } catch (e) {
        log.error(
          `${name}: unexpected error, the collector will stop: ` +
            (e instanceof Error ? (e.stack ?? e.message) : String(e)),
        );
        stopped = true;
        deps.onUnexpected(e);
        return { kind: "bug", error: e };
      } finally {
        inFlight = false;
      }
    },
    dueAt: () => (stopped ? Infinity : due),
    running: () => inFlight,
    stopped: () => stopped,
  };
}
