import { describe, expect, it } from "vitest";
import { reportJson } from "../../src/output/json.ts";
import type { DailyRow, PeriodReport } from "../../src/types.ts";

describe("a period's JSON file", () => {
  // A closed day's row as the day cache hands it out (frozen), and today's, made this cycle.
  const closed = Object.freeze({ day: "2026-03-23", note: 'line\nbreak "q"', hourly: [1, null] });
  const open = { day: "2026-03-24", note: "x", hourly: [] };
  const report = (rows: object[]) =>
    ({ kind: "week", id: "2026-W13", rows, cop: 3.5 }) as unknown as PeriodReport;
  const expected = [
    "{",
    '  "kind": "week",',
    '  "id": "2026-W13",',
    '  "rows": [',
    "    {",
    '      "day": "2026-03-23",',
    '      "note": "line\\nbreak \\"q\\"",',
    '      "hourly": [',
    "        1,",
    "        null",
    "      ]",
    "    },",
    "    {",
    '      "day": "2026-03-24",',
    '      "note": "x",',
    '      "hourly": []',
    "    }",
    "  ],",
    '  "cop": 3.5',
    "}",
  ].join("\n");

  it("reads as JSON.stringify(report, null, 2) writes it, a kept row as a fresh one", () => {
    expect(reportJson(report([closed, open]))).toBe(expected);
    // Again: the closed row's text is the one kept from the first call.
    expect(reportJson(report([closed, open]))).toBe(expected);
    expect(JSON.stringify(report([closed, open]), null, 2)).toBe(expected);
  });

  it("a period without days", () => {
    expect(reportJson(report([] as DailyRow[]))).toBe(
      '{\n  "kind": "week",\n  "id": "2026-W13",\n  "rows": [],\n  "cop": 3.5\n}',
    );
  });
});
