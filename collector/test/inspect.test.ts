import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspect } from "../src/inspect.ts";

const FIXTURE = join(import.meta.dirname, "fixtures/viessmann/Vitocal252A.json");
const read = (p: string) => readFileSync(p, "utf8");

describe("npm run inspect -- viessmann FILE", () => {
  it("prints the canonical fields of a features dump as JSON", () => {
    const r = inspect(["viessmann", FIXTURE], read);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      outside_c: 3.3,
      flow_c: 43.2,
      return_c: 39.3,
      dhw_c: 35.6,
      flow_lph: 970,
      compressor_on: 1,
      compressor_starts: 836,
      compressor_hours: 582,
      inverter_w: 1508,
      heat_heating_day_kwh: 44.8,
      heat_dhw_day_kwh: 7.9,
      elec_heating_day_kwh: 10.7,
      elec_dhw_day_kwh: 2.3,
      dhw_active: 1,
      defrosting: 0,
      spf_total: 6,
      curve_slope: 0.6,
      curve_shift: 0,
    });
    expect(r.err).toMatch(/328 features .* 18 canonical fields/);
  });

  it("names the fields a device does not report", () => {
    const r = inspect(
      ["viessmann", join(import.meta.dirname, "fixtures/viessmann/Vitocal333G-with-Vitovent300F.json")],
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
