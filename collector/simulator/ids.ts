/**
 * Identities of the simulated devices. The history writer uses the same `device` tags the
 * collector derives from the live servers (Shelly: the GetDeviceInfo id; Viessmann:
 * `{gatewaySerial}-{deviceId}`), so simulated history and live collection form one series.
 */
export const SHELLY_ID = "shellypro3em-sim000000";

/** The backup heater's meter, if the simulator serves one: a Pro EM (its channel 1) or a Plus 1PM. */
export type BackupMeterKind = "proem" | "plus1pm";
/** `device` tags of the simulated backup meters (role `backup`). */
export const BACKUP_METER_IDS: Readonly<Record<BackupMeterKind, string>> = {
  proem: "shellyproem50-sim000001",
  plus1pm: "shellyplus1pm-sim000002",
};
/** The channel of each that meters the backup heater, as SHELLY_METERS names it. */
export const BACKUP_METER_CHANNELS: Readonly<Record<BackupMeterKind, string>> = {
  proem: "em1:1",
  plus1pm: "switch:0",
};

/** Where a Viessmann heat pump sits in the API: installation, gateway and device within it. */
export interface ViessmannIds {
  readonly installationId: string;
  readonly gatewaySerial: string;
  readonly deviceId: string;
}

export const VIESSMANN_IDS = {
  installationId: "4711001",
  gatewaySerial: "7633100000000001",
  deviceId: "0",
} as const;

/** `device` tag of the simulated heat pump, as the collector's Viessmann source writes it. */
export const HEATPUMP_DEVICE = `${VIESSMANN_IDS.gatewaySerial}-${VIESSMANN_IDS.deviceId}`;
