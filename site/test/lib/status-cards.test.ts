import { describe, expect, it } from "vitest";
import { staleMessage, statusCards } from "../../src/lib/status-cards.ts";
import { createFakeReports, localMidnight } from "../fixtures/fake-reports.ts";

const fake = createFakeReports({ tz: "Europe/Berlin" });

describe("status cards", () => {
  it("status cards carry the time of each value's reading and warn when a source is stale", async () => {
    const now = localMidnight("2026-04-05", "Europe/Berlin") + 20 * 3_600_000; // 5.5 h after the fake's data
    const s = await fake.status(now);
    const cards = statusCards(s);
    expect(cards[0]).toMatchObject({ label: "Electric power", value: "1,342 W", tone: "warn" });
    // An absolute time in the report zone, never an age frozen at build time (the fake's reading: 14:29:52).
    expect(cards[0]!.note).toBe("last reading 14:29:52");
    expect(staleMessage(s)).toMatch(
      /^Data is not up to date\. Shelly \(electricity\): last reading 14:29:52, 6 h before this page was built/,
    );
  });

  it("COP now while the compressor is off says so instead of 'no reading yet'", async () => {
    const s = await fake.status(localMidnight("2026-04-05", "Europe/Berlin") + 20 * 3_600_000);
    const off = {
      ...s,
      running: { ...s.running, value: false },
      cop_now: { value: null, unit: "", timeMs: null, ageS: null },
    };
    expect(statusCards(off).find((c) => c.label === "COP now")).toEqual({
      label: "COP now",
      value: "–",
      note: "compressor off",
      quantity: "cop",
    });
    // The Shelly says it runs, the newest heat pump interval had no run yet: no contradiction.
    const started = { ...off, running: { ...off.running, value: true } };
    expect(statusCards(started).find((c) => c.label === "COP now")!.note).toBe(
      "running; the next heat pump reading brings it",
    );
    const unknown = { ...off, running: { value: null, source: null, timeMs: null, ageS: null } };
    expect(statusCards(unknown).find((c) => c.label === "COP now")!.note).toBe("no reading yet");
  });

  it("one compressor state, from the freshest source, saying which", async () => {
    const at = localMidnight("2026-04-05", "Europe/Berlin") + 14.5 * 3_600_000;
    // The fake's Shelly reading is 8 s old: it decides, though the heat pump's state is 140 s old.
    const fresh = statusCards(await fake.status(at)).find((c) => c.label === "Compressor")!;
    expect(fresh).toEqual({
      label: "Compressor",
      value: "Running",
      note: "from Shelly power, last reading 14:29:52",
    });
    // 60 s later the Shelly reading is 68 s old: the heat pump's state (200 s old) decides.
    const later = statusCards(await fake.status(at + 60_000)).find((c) => c.label === "Compressor")!;
    expect(later).toMatchObject({ value: "Running", note: "from heat pump, last reading 14:27:40" });
  });

  it("a card older than its source's expected age is marked, whatever the other cards say", async () => {
    const s = await fake.status(localMidnight("2026-04-05", "Europe/Berlin") + 14.5 * 3_600_000);
    // Everything fresh except the hot water reading, 20 min old (Viessmann expects 10 min at most).
    const cards = statusCards({ ...s, dhw_c: { ...s.dhw_c, ageS: 1200 } });
    expect(cards.filter((c) => c.tone === "warn").map((c) => c.label)).toEqual(["Hot water"]);
    // COP now is marked like the others (its source is the heat pump).
    const stale = statusCards({ ...s, cop_now: { ...s.cop_now, ageS: 601 } });
    expect(stale.filter((c) => c.tone === "warn").map((c) => c.label)).toEqual(["COP now"]);
  });
});
