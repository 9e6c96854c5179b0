/**
 * The Viessmann features response (`GET …/devices/{id}/features`) generated from the model, in the
 * shape of a real Vitocal 250-A dump (PyViCare's tests/response/Vitocal250A.json,
 * https://github.com/openviess/PyViCare; copied to test/fixtures/viessmann): every feature object
 * carries apiVersion, commands, deviceId, feature, gatewayId, isEnabled, isReady, properties, timestamp
 * and uri; sensors have a `status`; deprecated names come with `deprecated`; energy arrays have index 0
 * = the current period, weeks starting Monday (as the dumps show). Generated here rather than read
 * from a test fixture, so the simulator runs without the test tree.
 */
import type { EnergyKey } from "./device-counters.ts";
import type { ViessmannIds } from "./ids.ts";
import { COOLING_SET_C } from "./house.ts";
import type { Model } from "./model.ts";
import { featuresPath } from "./viessmann-bodies.ts";

type Property =
  | { type: "number"; unit: string; value: number }
  | { type: "string"; value: string }
  | { type: "boolean"; value: boolean }
  | { type: "array"; unit?: string; value: number[] }
  | { type: "array"; value: ReturnType<typeof messageEntry>[] };

const r1 = (x: number) => Math.round(x * 10) / 10;
const num = (value: number, unit = ""): Property => ({ type: "number", unit, value });
const str = (value: string): Property => ({ type: "string", value });
const bool = (value: boolean): Property => ({ type: "boolean", value });
const arr = (value: number[]): Property => ({ type: "array", unit: "kilowattHour", value: value.map(r1) });
const sensor = (value: number, unit: string) => ({ status: str("connected"), value: num(r1(value), unit) });

/** An active error the simulated heat pump reports (faults.ts `deviceFault`), since a simulated instant. */
export interface DeviceFault {
  code: string;
  sinceMs: number;
}

/**
 * One entry of a message list, in the shape of PyViCare's tests/response/deviceerrors/F.1100.json
 * (test/fixtures/viessmann): F. codes are faults (`criticalError`), others `error`.
 */
const messageEntry = (f: DeviceFault) => ({
  accessLevel: "customer",
  audiences: ["IS-SUPPLIER", "IS-DEVELOPMENT", "IS-MANUFACTURING", "IS-AFTERSALES", "IS-AFTERMARKET"],
  errorCode: f.code,
  priority: f.code.startsWith("F.") ? "criticalError" : "error",
  timestamp: new Date(f.sinceMs).toISOString(),
});

/** `{"data":[…]}` for the model's current instant; `fault`: an active error in the error list. */
export function featuresResponse(
  m: Model,
  ids: ViessmannIds,
  apiUrl: string,
  fault?: DeviceFault,
): { data: unknown[] } {
  const now = new Date(m.t).toISOString();
  const base = apiUrl + featuresPath(ids);
  const data: unknown[] = [];
  const add = (feature: string, properties: Record<string, Property>, extra: Record<string, unknown> = {}) =>
    data.push({
      apiVersion: 1,
      commands: {},
      deviceId: ids.deviceId,
      feature,
      gatewayId: ids.gatewaySerial,
      isEnabled: true,
      isReady: true,
      properties,
      timestamp: now,
      uri: `${base}/${feature}`,
      ...extra,
    });
  // As the API lists a feature the device does not have: disabled, no properties.
  const disabled = (feature: string) => add(feature, {}, { isEnabled: false });

  const running = m.compressorOn;
  const valve = m.defrosting
    ? "climatCircuitTwoDefrost"
    : m.mode === "dhw"
      ? "domesticHotWater"
      : "climateCircuitOne";
  // As on the 252 and 151-A: an empty list while all is well.
  add("device.messages.errors.raw", {
    entries: { type: "array", value: fault ? [messageEntry(fault)] : [] },
  });
  add("heating.sensors.temperature.outside", sensor(m.outsideC, "celsius"));
  add("heating.secondaryCircuit.sensors.temperature.supply", sensor(m.flowC, "celsius"));
  add("heating.sensors.temperature.return", sensor(m.returnC, "celsius"));
  add(
    "heating.primaryCircuit.sensors.temperature.supply",
    sensor(m.outsideC + (running ? -0.8 : 0.4), "celsius"),
  );
  add(
    "heating.circuits.0.sensors.temperature.supply",
    sensor(m.mode === "dhw" ? m.curveC - 3 : m.flowC - 0.4, "celsius"),
  );
  add("heating.boiler.sensors.temperature.commonSupply", sensor(m.flowC - 0.2, "celsius"));
  add("heating.dhw.sensors.temperature.dhwCylinder", sensor(m.tankC, "celsius"));
  add("heating.dhw.sensors.temperature.hotWaterStorage", sensor(m.tankC, "celsius"), {
    deprecated: {
      info: "replaced by heating.dhw.sensors.temperature.dhwCylinder",
      removalDate: "2024-09-15",
    },
  });
  add("heating.dhw.temperature.main", { value: num(50, "celsius") });
  add("heating.dhw.operating.modes.active", { value: str("efficient") });
  // The cooling week: mode heatingCooling, which alone does not say which way the circuit works; the
  // active program does, by its `demand` (as on the 151-A, whose programs carry `demand` cooling/heating).
  const cooling = m.coolingWeek;
  add("heating.circuits.0.operating.modes.active", { value: str(cooling ? "heatingCooling" : "heating") });
  add("heating.circuits.0.operating.programs.active", {
    value: str(cooling ? "normalCooling" : "normalHeating"),
  });
  const program = (name: string, demand: "heating" | "cooling", setC: number) =>
    add(`heating.circuits.0.operating.programs.${name}`, {
      active: bool(name === (cooling ? "normalCooling" : "normalHeating")),
      demand: str(demand),
      temperature: num(setC, "celsius"),
    });
  program("normalHeating", "heating", m.house.roomSetC);
  program("reducedHeating", "heating", m.house.roomSetC - 2);
  program("comfortHeating", "heating", m.house.roomSetC + 2);
  program("normalCooling", "cooling", COOLING_SET_C);
  add("heating.circuits.0.sensors.temperature.room", sensor(m.roomC, "celsius"));
  add("heating.circuits.0.heating.curve", { shift: num(m.house.curveShift), slope: num(m.house.curveSlope) });
  disabled("heating.circuits.1.heating.curve");
  add("heating.compressors.0", {
    active: bool(running),
    // `cooling` is assumed: no dump shows a unit cooling (phases seen: off, ready, heating, preparing).
    phase: str(
      running ? (m.runningMs < 60_000 ? "preparing" : m.mode === "cooling" ? "cooling" : "heating") : "ready",
    ),
  });
  add("heating.compressors.0.statistics", {
    hours: num(Math.floor(m.compressorSeconds / 3600), "hour"),
    starts: num(m.compressorStarts),
  });
  add("heating.compressors.0.heater.crankcase", { active: bool(!running && m.outsideC < 5) });
  add("heating.compressors.0.speed.current", { value: num(m.compressorSpeedRps, "revolutionsPerSecond") });
  add("heating.inverters.0.sensors.power.output", {
    status: str("connected"),
    value: num(Math.round(m.compressorW), "watt"),
  });
  add("heating.inverters.0.sensors.power.current", {
    status: str("connected"),
    value: num(Math.round((m.compressorW / 230) * 10) / 10, "ampere"),
  });
  add("heating.sensors.volumetricFlow.allengra", {
    status: str("connected"),
    value: num(Math.round(m.flowLph), "liter/hour"),
  });
  add("heating.outdoor.defrosting", { active: bool(m.defrosting) });
  add("heating.valves.fourThreeWay.position", { value: str(valve) });
  // `cooling` is assumed as above (values seen: standby, heating, dhw).
  const state = running ? (m.mode === "cooling" ? "cooling" : "heating") : "standby";
  add("heating.secondaryCircuit.operation.state", { currentValue: str(state), targetValue: str(state) });
  // `active` means the rod is enabled (true on the 250-A and on a 252-A whose rod never ran), not heating.
  add("heating.heatingRod", { active: bool(true) });
  add("heating.heatingRod.statistics", {
    hours: num(Math.floor(m.rodSeconds / 3600), "hour"),
    starts: num(m.rodStarts),
  });
  add("heating.spf.total", { value: num(r1(m.spf)) });
  add("heating.spf.heating", { value: num(r1(m.spf * 1.02)) });
  add("heating.spf.dhw", { value: num(r1(m.spf * 0.85)) });

  const c = m.counters;
  const readAt = str(now);
  const arrays = (keys: readonly EnergyKey[]) => {
    const sum = (f: (k: EnergyKey) => number[]) => {
      const parts = keys.map(f);
      return parts[0]!.map((_, i) => parts.reduce((a, p) => a + p[i]!, 0));
    };
    return {
      day: arr(sum((k) => c.days(k))),
      dayValueReadAt: readAt,
      week: arr(sum((k) => c.weeks(k))),
      weekValueReadAt: readAt,
      month: arr(sum((k) => c.months(k))),
      monthValueReadAt: readAt,
      year: arr(sum((k) => c.years(k))),
      yearValueReadAt: readAt,
    };
  };
  const summary = (k: EnergyKey | undefined) => {
    const days = k ? c.days(k, 7) : [0];
    const months = k ? c.months(k, 2) : [0, 0];
    const years = k ? c.years(k) : [0, 0];
    const kwh = (v: number) => num(r1(v), "kilowattHour");
    return {
      currentDay: kwh(days[0]!),
      currentMonth: kwh(months[0]!),
      currentYear: kwh(years[0]!),
      lastMonth: kwh(months[1]!),
      lastSevenDays: kwh(days.reduce((a, b) => a + b, 0)),
      lastYear: kwh(years[1]!),
    };
  };
  add("heating.power.consumption.total", arrays(["elecHeatingWh", "elecDhwWh"]));
  add("heating.power.consumption.heating", arrays(["elecHeatingWh"]));
  add("heating.power.consumption.dhw", arrays(["elecDhwWh"]));
  disabled("heating.power.consumption.cooling");
  add("heating.power.consumption.summary.heating", summary("elecHeatingWh"));
  add("heating.power.consumption.summary.dhw", summary("elecDhwWh"));
  add("heating.heat.production.summary.heating", summary("heatHeatingWh"));
  add("heating.heat.production.summary.dhw", summary("heatDhwWh"));
  add("heating.power.consumption.summary.cooling", summary("elecCoolingWh"));
  add("heating.heat.production.summary.cooling", summary("coolingWh"));
  // The rod helps space heating only; the legionella cycle's immersion heater is not the device's.
  add("heating.heatingRod.power.consumption.summary.heating", summary("rodHeatingWh"));
  add("heating.heatingRod.power.consumption.summary.dhw", summary(undefined));
  return { data };
}
