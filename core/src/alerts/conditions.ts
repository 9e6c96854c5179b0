/**
 * The conditions the owner is told about, defined once: which program judges each (the site builder
 * what the store shows, so a dead collector is noticed; the collector what only it knows), how
 * serious it is, and the variables that set its threshold. README, "Getting alerts", explains each
 * one and what to do about it.
 */
export type Severity = "info" | "warning" | "critical";

/** info < warning < critical. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

export const CONDITION_NAMES = [
  "meter_silent",
  "aux_meter_silent",
  "heatpump_silent",
  "delivery",
  "device_fault",
  "short_cycling",
  "cop_low",
  "login_expiring",
  "disk_low",
] as const;
export type ConditionName = (typeof CONDITION_NAMES)[number];

/** The program that judges a condition and keeps its state (and notifies). */
export type AlertProgram = "builder" | "collector";

interface ConditionSpec {
  readonly judgedBy: AlertProgram;
  /** A few words, for the alerts page and the first-start summary. */
  readonly label: string;
  /** The variables that tune it (README, "Configuration"). */
  readonly variables: readonly string[];
}

export const CONDITIONS: Readonly<Record<ConditionName, ConditionSpec>> = {
  meter_silent: {
    judgedBy: "builder",
    label: "Electricity meter silent",
    variables: ["ALERT_METER_SILENT_MIN"],
  },
  aux_meter_silent: {
    judgedBy: "collector",
    label: "Backup, pumps or house meter silent",
    variables: ["ALERT_METER_SILENT_MIN"],
  },
  heatpump_silent: {
    judgedBy: "builder",
    label: "Heat pump readings silent",
    variables: ["ALERT_HEATPUMP_SILENT_POLLS"],
  },
  delivery: { judgedBy: "collector", label: "Data not reaching InfluxDB", variables: ["ALERT_DELIVERY_MIN"] },
  device_fault: {
    judgedBy: "builder",
    label: "Heat pump fault",
    variables: ["ALERT_DEVICE_FAULT_IGNORE"],
  },
  short_cycling: {
    judgedBy: "builder",
    label: "Compressor short-cycling",
    variables: ["ALERT_SHORT_CYCLING_STARTS_PER_H", "ALERT_SHORT_CYCLING_HOURS"],
  },
  cop_low: { judgedBy: "builder", label: "Low COP", variables: ["ALERT_COP_LOW_PCT", "ALERT_COP_LOW_DAYS"] },
  login_expiring: {
    judgedBy: "collector",
    label: "Viessmann login expiring",
    variables: ["ALERT_LOGIN_DAYS"],
  },
  disk_low: {
    judgedBy: "collector",
    label: "Disk almost full",
    variables: ["ALERT_DISK_MIN_PCT", "ALERT_DISK_MIN_GB"],
  },
};

export const isConditionName = (s: string): s is ConditionName =>
  (CONDITION_NAMES as readonly string[]).includes(s);

/** The more serious of two severities. */
export const worse = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b);
