export interface HistoryOptions {
  /** Number of whole local days to generate. */
  days: number;
  /** Last day generated (`YYYY-MM-DD`, local to the model's time zone), inclusive. */
  end: string;
  seed: number;
  /** Output file (line protocol). */
  out: string;
}

/** Writes simulated history as line protocol. Placeholder signature until the simulator lands. */
export async function writeHistory(_opts: HistoryOptions): Promise<{ lines: number }> {
  throw new Error("the simulator is not implemented yet");
}
