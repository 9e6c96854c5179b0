/**
 * The builder's cron schedule for "every SITE_INTERVAL seconds". Intervals that divide a minute or
 * an hour get an exact cron expression (aligned to the clock: `0 *\/5 * * * *`); any other interval
 * ticks every second and a build starts once the interval has passed since the last one.
 */
interface Schedule {
  cronTime: string;
  /** Also require this many ms since the last start (0 when the expression is exact). */
  minGapMs: number;
}

export function scheduleFor(intervalS: number): Schedule {
  if (intervalS < 60 && 60 % intervalS === 0) return { cronTime: `*/${intervalS} * * * * *`, minGapMs: 0 };
  if (intervalS % 60 === 0) {
    const m = intervalS / 60;
    if (m < 60 && 60 % m === 0) return { cronTime: `0 */${m} * * * *`, minGapMs: 0 };
    if (m % 60 === 0 && 24 % (m / 60) === 0) return { cronTime: `0 0 */${m / 60} * * *`, minGapMs: 0 };
  }
  return { cronTime: "* * * * * *", minGapMs: intervalS * 1000 };
}
