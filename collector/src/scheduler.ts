/**
 * Runs the pollers with `cron`: a job ticks every second and starts each source's poll when its
 * `dueAt()` has come. A poll still running is never overlapped (the tick skips that source), so a
 * slow Viessmann call cannot pile up requests, and one slow source does not delay another.
 */
import { CronJob } from "cron";
import type { Clock, Logger } from "../../core/src/effects.ts";
import type { Poller } from "./poll.ts";

/**
 * Ticks fire a few ms after each second; a poll due up to this many ms after the tick starts on it,
 * so a 1 s interval polls every second rather than every other second.
 */
const DUE_SLACK_MS = 500;

export interface Scheduler {
  /** Stops ticking and waits for the polls in flight (their points are journaled). */
  stop(): Promise<void>;
}

export function startScheduler(
  pollers: readonly Poller[],
  deps: { clock: Clock; logger: Logger },
): Scheduler {
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;

  const tick = () => {
    if (stopping) return;
    const now = deps.clock.now();
    for (const p of pollers) {
      if (p.running() || p.stopped() || now + DUE_SLACK_MS < p.dueAt()) continue;
      // poll() never rejects: errors are turned into log lines, gaps or onUnexpected inside it.
      const run = p.poll().finally(() => inFlight.delete(run));
      inFlight.add(run);
    }
  };

  const job = CronJob.from({
    cronTime: "* * * * * *", // every second (six fields: seconds first)
    onTick: tick,
    start: true,
    timeZone: "UTC",
    runOnInit: true, // first polls at once, not a second later
    waitForCompletion: false, // the tick only starts polls; overlap is prevented per source above
    errorHandler: (e) =>
      deps.logger.error(`scheduler: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  });

  return {
    async stop() {
      stopping = true;
      await job.stop();
      await Promise.all([...inFlight]);
    },
  };
}
