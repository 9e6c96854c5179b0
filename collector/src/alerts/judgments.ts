/**
 * The conditions only the collector can judge, each from what it alone sees (README, "Getting
 * alerts"): `delivery` (InfluxDB's answers and the lines set aside in journal/rejected/),
 * `login_expiring` (the Viessmann token file) and `disk_low` (DATA_DIR's file system). Pure but for
 * the small readers at the bottom, which tests replace.
 */
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import type { AlertSettings } from "../../../core/src/alerts/settings.ts";
import { DAY_MS, duration, type Judgment } from "../../../core/src/alerts/state.ts";
import type { WriterState } from "../store/writer-state.ts";
import type { TokenFile } from "../sources/viessmann/types.ts";

/** What the InfluxDB writer has done lately, as the collector's alert ticks saw it. */
interface DeliveryFacts {
  /** The writer's state; undefined without INFLUX_URL (the journal is the store). */
  readonly state: WriterState | undefined;
  /** Since when the writer has not been `ok` (first tick that saw it), or undefined. */
  readonly failingSinceMs: number | undefined;
  /** Files in journal/rejected/, the newest one's name and its first line (InfluxDB's message). */
  readonly rejected: { readonly files: number; readonly newest?: string; readonly cause?: string };
  /** Where the journal is (for the message). */
  readonly journalDir: string;
  /** `InfluxDB at http://influxdb:8086` (without credentials). */
  readonly where: string;
}

export function judgeDelivery(f: DeliveryFacts, nowMs: number, s: AlertSettings): Judgment {
  const base = { condition: "delivery", severity: "warning", title: "Data not reaching InfluxDB" } as const;
  if (f.state === undefined)
    return {
      ...base,
      open: false,
      status: "unknown",
      message: "INFLUX_URL is not set: the journal is the store.",
    };
  const down = f.failingSinceMs !== undefined && nowMs - f.failingSinceMs >= s.deliveryMs;
  const parts: string[] = [];
  if (down) {
    const why =
      f.state === "auth"
        ? "it refuses the token, org or bucket (see the collector's log)"
        : "no answer, or an error";
    parts.push(
      `${f.where} has not accepted writes for ${duration(nowMs - f.failingSinceMs!)} (${why}). ` +
        "The journal keeps every point and sends them once InfluxDB takes them; the site shows old data meanwhile.",
    );
  }
  if (f.rejected.files > 0) {
    const dir = join(f.journalDir, "rejected");
    const { files, newest, cause } = f.rejected;
    const which = newest ? ` (newest ${newest}${cause ? `: ${cause}` : ""})` : "";
    parts.push(
      `${files} file${files === 1 ? "" : "s"} of lines InfluxDB refused in ${dir}${which}. Fix the lines and ` +
        "write them with `influx write`, or delete the files; the alert resolves when the folder is empty.",
    );
  }
  if (parts.length === 0)
    return { ...base, open: false, message: `${f.where} takes the journal's lines; nothing set aside.` };
  const title = down ? "InfluxDB not accepting writes" : "Lines set aside by InfluxDB";
  // The same alert while the kind of trouble stays the same; a new kind is told.
  const key = `${down ? "down" : ""}${f.rejected.files > 0 ? "+rejected" : ""}`;
  return { ...base, open: true, title, message: parts.join(" "), key };
}

/** How long a Viessmann refresh token lasts (README of sources/viessmann, Login). */
export const REFRESH_TOKEN_LIFETIME_MS = 180 * DAY_MS;

export function judgeLogin(
  token: TokenFile | undefined | "unreadable",
  nowMs: number,
  s: AlertSettings,
): Judgment {
  const base = {
    condition: "login_expiring",
    severity: "warning",
    title: "Viessmann login expiring",
  } as const;
  if (token === undefined || token === "unreadable")
    return {
      ...base,
      open: false,
      status: "unknown",
      message:
        token === undefined
          ? "No Viessmann login yet (npm run login)."
          : "The Viessmann token file cannot be read.",
    };
  if (token.refreshed_at_ms === undefined)
    return {
      ...base,
      open: false,
      status: "unknown",
      message: "The token file does not say when it was issued.",
    };
  const endMs = token.refreshed_at_ms + REFRESH_TOKEN_LIFETIME_MS;
  const left = endMs - nowMs;
  const end = new Date(endMs).toISOString().slice(0, 10);
  if (left > s.loginDays * DAY_MS)
    return {
      ...base,
      open: false,
      message: `The refresh token lasts until ${end}; every refresh renews it.`,
    };
  const when = left > 0 ? `ends on ${end} (in ${duration(left)})` : `ended on ${end}`;
  return {
    ...base,
    severity: left > 0 ? "warning" : "critical",
    open: true,
    key: end,
    message:
      `The Viessmann refresh token ${when}: the collector has not renewed it (is the Viessmann source stopped?). ` +
      "Run `npm run login` (Docker: README, Logging in to Viessmann), then restart the collector.",
  };
}

export interface DiskFacts {
  readonly freeBytes: number;
  readonly totalBytes: number;
}

const gb = (b: number) => `${(b / 1e9).toFixed(b < 10e9 ? 1 : 0)} GB`;

export function judgeDisk(d: DiskFacts | undefined, dataDir: string, s: AlertSettings): Judgment {
  const base = { condition: "disk_low", severity: "critical", title: "Disk almost full" } as const;
  if (!d || d.totalBytes <= 0)
    return {
      ...base,
      open: false,
      status: "unknown",
      message: `The free space of ${dataDir} cannot be read.`,
    };
  const pct = (100 * d.freeBytes) / d.totalBytes;
  const text = `${gb(d.freeBytes)} free of ${gb(d.totalBytes)} (${pct.toFixed(1)} %) where DATA_DIR is (${dataDir})`;
  const low = pct < s.diskMinPct || d.freeBytes < s.diskMinBytes;
  if (!low) return { ...base, open: false, message: `${text}.` };
  return {
    ...base,
    open: true,
    message:
      `${text}; the limits are ${s.diskMinPct} % and ${gb(s.diskMinBytes)}. Free some space: once the disk is full ` +
      "nothing is recorded (a gap in the charts) until there is space again.",
  };
}

/** Free and total bytes of the file system holding `dir` (for an unprivileged user: bavail). */
export async function diskFacts(dir: string): Promise<DiskFacts | undefined> {
  try {
    const s = await statfs(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return undefined;
  }
}

/** The files in `journalDir/rejected`, the newest one and its `#` first line. */
export function rejectedFacts(journalDir: string): DeliveryFacts["rejected"] {
  const dir = join(journalDir, "rejected");
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".lp") && !n.startsWith("."));
  } catch {
    return { files: 0 };
  }
  if (names.length === 0) return { files: 0 };
  const newest = names.sort().at(-1)!;
  const buf = Buffer.alloc(600);
  let cause: string | undefined;
  try {
    const fd = openSync(join(dir, newest), "r");
    try {
      const head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
      if (head.startsWith("# ")) cause = head.slice(2).split("\n")[0]!.slice(0, 300);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Removed meanwhile (the owner handled it): the count is enough.
  }
  return { files: names.length, newest, ...(cause ? { cause } : {}) };
}
