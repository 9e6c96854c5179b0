/**
 * The builder's alerts read the same facts from both stores: the newest heat pump message point,
 * the collector's newest alert point per condition and the Shelly's power of the window, from the
 * tail of the journal and from InfluxDB (the stand-in, which refuses Flux outside the subset; the
 * queries also pass the Flux language server).
 */
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { encodePoints, type Point } from "../../../../core/src/data/line-protocol.ts";
import { fluxChecker } from "../../../../reports/test/helpers/flux-lsp.ts";
import {
  type InfluxStandIn,
  startInfluxStandIn,
} from "../../../../reports/test/helpers/flux-stand-in/index.ts";
import { factsQuery, powerQuery } from "../../../builder/alerts/influx-facts.ts";
import { journalFacts } from "../../../builder/alerts/journal-tail.ts";
import { createFactsReader } from "../../../builder/alerts/store-facts.ts";

const T0 = Date.parse("2026-03-29T12:00:00Z");
const MIN = 60_000;
const H = 60 * MIN;
const W = { nowMs: T0, factsFromMs: T0 - 6 * H, powerFromMs: T0 - 2 * H };

let standIn: InfluxStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

function points(): Point[] {
  const out: Point[] = [];
  // Eight hours of meter readings, each minute (before the window too), and other data between them.
  for (let t = T0 - 8 * H; t <= T0; t += MIN) {
    out.push({
      measurement: "electric",
      tags: { device: "m" },
      fields: { power_w: (t / MIN) % 7 === 0 ? 1500 : 20 },
      timeMs: t,
    });
    out.push({
      measurement: "viessmann_feature",
      tags: { device: "hp", feature: "x" },
      fields: { value: 1 },
      timeMs: t,
    });
  }
  const message = (t: number, codes: string): Point => ({
    measurement: "heatpump_message",
    tags: { device: "7633107093013212-0" },
    fields: {
      errors_reported: 1,
      error_count: codes ? 1 : 0,
      critical_count: codes ? 1 : 0,
      error_codes: codes,
      errors: codes ? `${codes} (criticalError, since 2000-07-22T20:37:44.000Z)` : "",
      warning_codes: "",
    },
    timeMs: t,
  });
  out.push(message(T0 - 7 * H, "F.1"), message(T0 - 10 * MIN, ""), message(T0 - 5 * MIN, "F.1100"));
  const alert = (condition: string, t: number, open: number, message: string): Point => ({
    measurement: "alert",
    tags: { program: "collector", condition },
    fields: { open, severity: "warning", title: `t ${condition}`, message },
    timeMs: t,
  });
  out.push(
    alert("delivery", T0 - 30 * MIN, 1, 'down, "quoted", with commas'),
    alert("delivery", T0 - 2 * MIN, 0, "ok again"),
    alert(
      "heatpump_silent",
      T0 - MIN,
      1,
      "Viessmann answered 429 (rate limit): no calls until 2026-03-30T00:00:05Z",
    ),
    // Another program's point is not the collector's.
    { ...alert("disk_low", T0 - MIN, 1, "not ours"), tags: { program: "other", condition: "disk_low" } },
  );
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

describe("the builder's store facts", () => {
  it("are the same from the journal's tail and from InfluxDB", async () => {
    const all = points();
    const dir = mkdtempSync(join(tmpdir(), "facts-"));
    const journal = join(dir, "journal");
    mkdirSync(journal);
    // Two segments: the older ends before the window, the newer holds it (and a torn last line).
    const cut = T0 - 7.5 * H;
    writeFileSync(
      join(journal, "2026-03-29T04-00-00.000Z.lp"),
      encodePoints(all.filter((p) => p.timeMs < cut)),
    );
    writeFileSync(
      join(journal, "2026-03-29T04-30-00.000Z.lp"),
      encodePoints(all.filter((p) => p.timeMs >= cut)),
    );
    appendFileSync(join(journal, "2026-03-29T04-30-00.000Z.lp"), "electric,device=m power_w=12");
    const local = await journalFacts(journal, W);

    expect(local.messages).toMatchObject({
      timeMs: T0 - 5 * MIN,
      fields: { error_codes: "F.1100", error_count: 1 },
    });
    expect([...local.collector.keys()].sort()).toEqual(["delivery", "heatpump_silent"]);
    expect(local.collector.get("delivery")).toMatchObject({
      timeMs: T0 - 2 * MIN,
      fields: { open: 0, message: "ok again" },
    });
    expect(local.collector.get("heatpump_silent")!.fields.message).toBe(
      "Viessmann answered 429 (rate limit): no calls until 2026-03-30T00:00:05Z",
    );
    // Two hours of minutes, both ends in: 121 readings.
    expect(local.power.t).toHaveLength(121);
    expect(local.power.t[0]).toBe(T0 - 2 * H);
    expect(local.power.t.at(-1)).toBe(T0);

    standIn = await startInfluxStandIn({ org: "home", bucket: "heatpump" });
    standIn.load(encodePoints(all));
    const influx = await createFactsReader({
      kind: "influx",
      url: standIn.url,
      token: standIn.token,
      org: "home",
      bucket: "heatpump",
    }).read(W);
    expect(influx.messages).toEqual({ ...local.messages, tags: { device: "7633107093013212-0" } });
    expect([...influx.collector.entries()].sort()).toEqual(
      [...local.collector.entries()].map(([k, p]) => [k, { ...p, tags: { condition: k } }]).sort(),
    );
    expect(influx.power).toEqual(local.power);
  });

  it("nothing in the window: no message point, no collector point, no power", async () => {
    const dir = mkdtempSync(join(tmpdir(), "facts-"));
    writeFileSync(join(dir, "old.lp"), encodePoints(points().filter((p) => p.timeMs < T0 - 7 * H)));
    const f = await journalFacts(dir, W);
    expect(f.messages).toBeNull();
    expect(f.collector.size).toBe(0);
    expect(f.power.t).toEqual([]);
  });

  it("the queries pass the Flux language server", async () => {
    const lsp = await fluxChecker();
    expect(await lsp.check(factsQuery("heatpump", T0 - 6 * H, T0).toString())).toEqual([]);
    expect(await lsp.check(powerQuery("heatpump", T0 - 6 * H, T0).toString())).toEqual([]);
  });
});
