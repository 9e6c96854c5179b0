import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspect } from "../../../src/sources/viessmann/inspect.ts";
import { EXPECTED } from "../../fixtures/viessmann/expected-readings.ts";

const FIXTURE = join(import.meta.dirname, "../../fixtures/viessmann/Vitocal252A.json");
const read = (p: string) => readFileSync(p, "utf8");

describe("npm run inspect -- viessmann FILE", () => {
  it("prints the canonical fields of a features dump as JSON", () => {
    const r = inspect(["viessmann", FIXTURE], read);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(EXPECTED["Vitocal252A.json"]);
    // 18 before room, cooling and heating-rod fields; the 252-A adds cooling_active, compressor_speed_rps
    // and the rod's starts, hours and two day counters: 24 (no room sensor).
    expect(r.err).toMatch(/328 features .* 24 canonical fields/);
  });

  it("names the fields a device does not report", () => {
    const r = inspect(
      ["viessmann", join(import.meta.dirname, "../../fixtures/viessmann/Vitocal333G-with-Vitovent300F.json")],
      read,
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/not reported: flow_lph, inverter_w, heat_heating_day_kwh/);
  });

  it("explains bad input and usage", () => {
    expect(inspect([], read)).toMatchObject({ code: 2, err: expect.stringContaining("usage") });
    expect(inspect(["shelly", FIXTURE], read).code).toBe(2);
    expect(inspect(["viessmann", "/nonexistent.json"], read)).toMatchObject({
      code: 1,
      err: expect.stringContaining("ENOENT"),
    });
    expect(inspect(["viessmann", "x"], () => "<html>")).toMatchObject({
      code: 1,
      err: expect.stringContaining("not JSON"),
    });
    expect(inspect(["viessmann", "x"], () => '{"error":"EXPIRED TOKEN"}')).toMatchObject({
      code: 1,
      err: expect.stringContaining("no `data` array"),
    });
  });
});
