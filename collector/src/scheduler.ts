/**
 * Runs the pollers: a tick every second starts each source's poll when its `dueAt()` has come. A
 * poll still running is never overlapped (the tick skips that source), so a slow Viessmann call
 * cannot pile up requests, and one slow source does not delay another.
 *
 * Everything here runs on the monotonic clock: the ticks are Node timers (which count monotonic
 * time), aimed at whole seconds since the start so they do not drift, and `dueAt()` is monotonic.
 * A wall clock set back an hour or forward a day changes neither (cron, used before, computed each
 * tick from the wall clock).
 */
import { type Clock, type Logger, monotonicOf } from "../../core/src/effects.ts";
import type { Poller } from "./poll.ts";

const TICK_MS = 1000;

/**
 * Ticks fire a few ms after their second; a poll due up to this many ms after the tick starts on it,
 * so a 1 s interval polls every second rather than every other second.
 */
const DUE_SLACK_MS = 500;

interface Scheduler {
  /** Stops ticking and waits for the polls in flight (their points are journaled). */
  stop(): Promise<void>;
}

export function startScheduler(
  pollers: readonly Poller[],
  deps: { clock: Clock; logger: Logger },
): Scheduler {
  const monotonic = monotonicOf(deps.clock);
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = () => {
    const now = monotonic();
    for (const p of pollers) {
      if (p.running() || p.stopped() || now + DUE_SLACK_MS < p.dueAt()) continue;
      // poll() never rejects: errors are turned into log lines, gaps or onUnexpected inside it.
      const run = p.poll().finally(() => inFlight.delete(run));
      inFlight.add(run);
    }
  };

  // The timers' own time base, whatever clock the pollers were given (tests pin theirs).
  const startedAt = performance.now();
  let ticks = 0;
  const loop = () => {
    if (stopping) return;
    try {
      tick();
    } catch (e) {
      deps.logger.error(`scheduler: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    // The next whole second since the start; a tick that came late (a busy event loop) is not made up.
    const elapsed = performance.now() - startedAt;
    ticks = Math.max(ticks + 1, Math.ceil(elapsed / TICK_MS));
    timer = setTimeout(loop, startedAt + ticks * TICK_MS - performance.now());
  };
  loop(); // first polls at once, not a second later

  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await Promise.all([...inFlight]);
    },
  };
}
