import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { truncateAt } from "../../dev/demo-history.ts";

const T0 = Date.UTC(2026, 2, 29, 0, 0, 0);
/** A time-ordered file: one electric line every 10 s, a longer heatpump line every 5 min. */
function sample(n: number): { file: string; lines: string[] } {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const ns = `${T0 + i * 10_000}000000`;
    lines.push(`electric,device=m power_w=${i},energy_wh=${1000 + i} ${ns}`);
    if (i % 30 === 0) lines.push(`heatpump,device=h outside_c=1.5,flow_c=35,${"x".repeat(300)}=1 ${ns}`);
  }
  const file = join(mkdtempSync(join(tmpdir(), "demo-history-")), "h.lp");
  writeFileSync(file, lines.join("\n") + "\n");
  return { file, lines };
}

describe("truncateAt", () => {
  it("keeps exactly the lines before the cutoff", () => {
    for (const cutIndex of [0, 1, 29, 30, 31, 777, 1999]) {
      const { file, lines } = sample(2000);
      truncateAt(file, T0 + cutIndex * 10_000);
      const kept = readFileSync(file, "utf8");
      const expected = lines.filter(
        (l) => Number(l.slice(l.lastIndexOf(" ") + 1)) / 1e6 < T0 + cutIndex * 10_000,
      );
      expect(kept, `cut at ${cutIndex}`).toBe(expected.length ? expected.join("\n") + "\n" : "");
    }
  });

  it("leaves a file alone when every line is older, and a cut between samples keeps the earlier one", () => {
    const { file, lines } = sample(100);
    truncateAt(file, T0 + 10_000_000);
    expect(readFileSync(file, "utf8")).toBe(lines.join("\n") + "\n");
    truncateAt(file, T0 + 55_000); // between the 6th (50 s) and 7th (60 s) sample
    expect(readFileSync(file, "utf8").trimEnd().split("\n").at(-1)).toMatch(/power_w=5,/);
  });
});
