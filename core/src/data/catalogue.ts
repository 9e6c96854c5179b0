/**
 * The data schema, defined once. Users point their own Grafana or Flux at the bucket, so these
 * names and units are a public contract (documented in README.md). The writer, the simulator and
 * the report queries all import names from here; no field-name literal lives anywhere else.
 *
 * kind: `gauge` is an instantaneous reading; `counter` only rises (a drop is a reset or rollover);
 * `state` is 0/1; `text` is a string field (device message codes, alert texts), never a number.
 */
export type FieldKind = "gauge" | "counter" | "state" | "text";

export interface FieldSpec {
  readonly unit: string;
  readonly kind: FieldKind;
  readonly description: string;
}

export const MEASUREMENT = {
  electric: "electric",
  heatpump: "heatpump",
  viessmannFeature: "viessmann_feature",
  collector: "collector",
  heatpumpMessage: "heatpump_message",
  alert: "alert",
} as const;

/**
 * Tag keys. `device` identifies the meter or heat pump; `role` what an `electric` meter meters
 * (METER_ROLES; a point stored without it is the `heatpump` meter's); `home` the home every point
 * belongs to (HOME_ID; a point stored without it belongs to HOME_UNTAGGED); `feature` the raw
 * Viessmann feature; `source` the collector source; `program` and `condition` an alert (the program
 * that judged it, its name).
 */
export const TAG = {
  device: "device",
  role: "role",
  home: "home",
  feature: "feature",
  source: "source",
  program: "program",
  condition: "condition",
} as const;

/**
 * What an electricity meter meters, the `role` tag of its `electric` points: the heat pump itself
 * (outdoor and indoor unit with the source side, SEPEMO boundary H2), its backup heater (a heating rod
 * in the flow or an immersion heater in the hot-water cylinder: H3), the circulation pumps and other
 * auxiliaries (H4), or the whole house (context only, never in a COP).
 */
export const METER_ROLES = ["heatpump", "backup", "pumps", "house"] as const;
export type MeterRole = (typeof METER_ROLES)[number];
/** The role of an `electric` point stored without a `role` tag (a store from before roles). */
export const DEFAULT_METER_ROLE: MeterRole = "heatpump";

/** `electric`: Shelly Pro 3EM, one point per poll. Monophase profile: phases a..c from EM1 ids 0..2. */
export const ELECTRIC_FIELDS = {
  power_w: { unit: "W", kind: "gauge", description: "Total active power (signed; negative = export)" },
  power_a_w: { unit: "W", kind: "gauge", description: "Active power, phase A" },
  power_b_w: { unit: "W", kind: "gauge", description: "Active power, phase B" },
  power_c_w: { unit: "W", kind: "gauge", description: "Active power, phase C" },
  voltage_a_v: { unit: "V", kind: "gauge", description: "Voltage, phase A" },
  voltage_b_v: { unit: "V", kind: "gauge", description: "Voltage, phase B" },
  voltage_c_v: { unit: "V", kind: "gauge", description: "Voltage, phase C" },
  current_a_a: { unit: "A", kind: "gauge", description: "Current, phase A" },
  current_b_a: { unit: "A", kind: "gauge", description: "Current, phase B" },
  current_c_a: { unit: "A", kind: "gauge", description: "Current, phase C" },
  energy_wh: { unit: "Wh", kind: "counter", description: "Imported active energy, EMData total_act" },
  energy_ret_wh: { unit: "Wh", kind: "counter", description: "Returned active energy, EMData total_act_ret" },
} as const satisfies Record<string, FieldSpec>;

/** `heatpump`: canonical Viessmann fields, written only when the device reports them. */
export const HEATPUMP_FIELDS = {
  outside_c: { unit: "°C", kind: "gauge", description: "Outside temperature" },
  flow_c: { unit: "°C", kind: "gauge", description: "Secondary circuit supply (heat pump flow)" },
  return_c: { unit: "°C", kind: "gauge", description: "Secondary circuit return" },
  dhw_c: { unit: "°C", kind: "gauge", description: "Domestic hot water cylinder temperature" },
  flow_lph: { unit: "l/h", kind: "gauge", description: "Volumetric flow of the secondary circuit" },
  compressor_on: { unit: "0/1", kind: "state", description: "Compressor running" },
  compressor_starts: { unit: "", kind: "counter", description: "Compressor starts (lifetime)" },
  compressor_hours: { unit: "h", kind: "counter", description: "Compressor running hours (lifetime)" },
  inverter_w: { unit: "W", kind: "gauge", description: "Inverter output power (compressor only)" },
  heat_heating_day_kwh: {
    unit: "kWh",
    kind: "counter",
    description: "Heat produced for space heating today (device day counter, resets at device midnight)",
  },
  heat_dhw_day_kwh: {
    unit: "kWh",
    kind: "counter",
    description: "Heat produced for hot water today (device day counter)",
  },
  elec_heating_day_kwh: {
    unit: "kWh",
    kind: "counter",
    description: "Electricity for space heating today, device estimate (device day counter)",
  },
  elec_dhw_day_kwh: {
    unit: "kWh",
    kind: "counter",
    description: "Electricity for hot water today, device estimate (device day counter)",
  },
  dhw_active: { unit: "0/1", kind: "state", description: "4/3-way valve in hot water position" },
  defrosting: { unit: "0/1", kind: "state", description: "Outdoor unit defrosting" },
  spf_total: { unit: "", kind: "gauge", description: "Device's seasonal performance factor" },
  curve_slope: { unit: "", kind: "gauge", description: "Heating curve slope, circuit 0" },
  curve_shift: { unit: "K", kind: "gauge", description: "Heating curve shift, circuit 0" },
  room_c: {
    unit: "°C",
    kind: "gauge",
    description: "Room temperature, circuit 0 (where a room sensor is fitted)",
  },
  cooling_active: {
    unit: "0/1",
    kind: "state",
    description:
      "Circuit 0 set to cool: its active program's demand is cooling, or its mode is cooling (the device's " +
      "operating state; the compressor may still charge the hot-water cylinder meanwhile, dhw_active)",
  },
  compressor_speed_rps: {
    unit: "rps",
    kind: "gauge",
    description: "Compressor speed, revolutions per second (E3 devices; 0 when it stands)",
  },
  heating_rod_starts: {
    unit: "",
    kind: "counter",
    description: "Starts of the device's own heating rod (instantaneous heater; lifetime, E3 devices)",
  },
  heating_rod_hours: { unit: "h", kind: "counter", description: "Running hours of the device's heating rod" },
  heating_rod_heating_day_kwh: {
    unit: "kWh",
    kind: "counter",
    description: "Electricity of the device's heating rod for space heating today (device day counter)",
  },
  heating_rod_dhw_day_kwh: {
    unit: "kWh",
    kind: "counter",
    description: "Electricity of the device's heating rod for hot water today (device day counter)",
  },
} as const satisfies Record<string, FieldSpec>;

/**
 * `collector`: the collector's own health, tag `source` (`shelly` | `viessmann`). `lines_rejected`
 * (only with INFLUX_URL) is the InfluxDB writer's count, the same on each source's point.
 */
export const COLLECTOR_FIELDS = {
  polls_ok: { unit: "", kind: "counter", description: "Successful polls since start" },
  polls_failed: { unit: "", kind: "counter", description: "Failed polls since start" },
  latency_ms: { unit: "ms", kind: "gauge", description: "Latency of the last poll" },
  calls_today: { unit: "", kind: "gauge", description: "Viessmann API calls used in the current UTC day" },
  budget: { unit: "", kind: "gauge", description: "Viessmann API daily call budget" },
  lines_rejected: {
    unit: "",
    kind: "counter",
    description: "Journal lines InfluxDB refused since start, set aside in journal/rejected/",
  },
} as const satisfies Record<string, FieldSpec>;

/**
 * `heatpump_message`: the heat pump's active messages, tag `device`, one point per poll from the
 * features answer the collector reads anyway, written only when the device reports a message feature
 * (`device.messages.errors.raw`, `device.messages.{info,status,service}.raw`, legacy
 * `heating.errors.active`). No point means "not reported by this device", never "no fault". Codes are
 * comma-separated in the device's order; a `*_codes` field is written only when its feature is there.
 */
export const HEATPUMP_MESSAGE_FIELDS = {
  errors_reported: {
    unit: "0/1",
    kind: "state",
    description:
      "1 when the device reports an error list (device.messages.errors.raw or heating.errors.active)",
  },
  error_count: { unit: "", kind: "gauge", description: "Active error messages" },
  critical_count: { unit: "", kind: "gauge", description: "Active error messages of priority criticalError" },
  error_codes: { unit: "", kind: "text", description: "Codes of the active errors, e.g. F.1100" },
  errors: {
    unit: "",
    kind: "text",
    description:
      "The active errors with priority and the device's time, e.g. F.1100 (criticalError, since …)",
  },
  warning_codes: { unit: "", kind: "text", description: "Codes of active warnings (priority warning)" },
  service_codes: { unit: "", kind: "text", description: "Codes of device.messages.service.raw" },
  status_codes: { unit: "", kind: "text", description: "Codes of device.messages.status.raw" },
  info_codes: { unit: "", kind: "text", description: "Codes of device.messages.info.raw" },
} as const satisfies Record<string, FieldSpec>;

/**
 * `alert`: what the collector judged (tag `program` = `collector`, tag `condition`), for the site:
 * delivery, login_expiring and disk_low, and the reason it knows behind a heat pump silence
 * (`heatpump_silent`, `message` = the reason). Written when a condition opens or resolves and every
 * five minutes while open. README, "Getting alerts".
 */
export const ALERT_FIELDS = {
  open: { unit: "0/1", kind: "state", description: "1 while the condition holds" },
  severity: { unit: "", kind: "text", description: "info, warning or critical" },
  title: { unit: "", kind: "text", description: "The alert's title" },
  message: {
    unit: "",
    kind: "text",
    description: "What happened and what to do (the reason, for heatpump_silent)",
  },
  opened_ms: { unit: "ms", kind: "gauge", description: "When it opened, ms since the epoch (UTC)" },
} as const satisfies Record<string, FieldSpec>;

export type ElectricField = keyof typeof ELECTRIC_FIELDS;
export type HeatpumpField = keyof typeof HEATPUMP_FIELDS;
export type CollectorField = keyof typeof COLLECTOR_FIELDS;
export type HeatpumpMessageField = keyof typeof HEATPUMP_MESSAGE_FIELDS;
export type AlertField = keyof typeof ALERT_FIELDS;

/**
 * Raw Viessmann history: `viessmann_feature`, tag `feature`, one field per numeric/boolean property
 * (booleans as 0/1).
 */
export const VIESSMANN_FEATURE_NOTE =
  "every numeric or boolean property of every enabled feature; field = property name (nested: dotted path)";
