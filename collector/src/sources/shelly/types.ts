/**
 * Raw wire types of the Shelly Gen2 RPC calls we use (Pro 3EM, Pro EM, Plus/Pro 1PM), named after the
 * call. Shapes from the Shelly Gen2 API documentation (https://shelly-api-docs.shelly.cloud/gen2/:
 * ComponentsAndServices/EM, EMData, EM1, EM1Data, Switch; Overview/CommonServices/Shelly) and the captures in
 * collector/test/fixtures/shelly/. Every number may be null or missing on some firmware, so every
 * field is optional here and the parser checks each one.
 */

/** `Shelly.GetDeviceInfo` (and `GET /shelly`): works without auth. */
export interface ShellyGetDeviceInfo {
  id?: string; // e.g. "shellypro3em-aabbccddeeff"; also the digest realm
  name?: string | null;
  mac?: string;
  model?: string; // SPEM-003CEBEU, SPEM-003CEBEU63, SPEM-003CEBEU400, ...
  gen?: number;
  fw_id?: string;
  ver?: string;
  app?: string; // "Pro3EM", "ProEM", "Plus1PM", "Pro1PM", ...
  profile?: string; // "triphase" | "monophase" (only multi-profile devices)
  auth_en?: boolean;
  auth_domain?: string | null;
}

type Num = number | null;

/** `EM.GetStatus` (`em:0` in Shelly.GetStatus), triphase profile. A, V, W, VA, Hz. */
export interface EMGetStatus {
  id?: number;
  a_current?: Num;
  a_voltage?: Num;
  a_act_power?: Num;
  a_aprt_power?: Num;
  a_pf?: Num;
  a_freq?: Num;
  a_errors?: string[]; // out_of_range:active_power|apparent_power|voltage|current
  b_current?: Num;
  b_voltage?: Num;
  b_act_power?: Num;
  b_aprt_power?: Num;
  b_pf?: Num;
  b_freq?: Num;
  b_errors?: string[];
  c_current?: Num;
  c_voltage?: Num;
  c_act_power?: Num;
  c_aprt_power?: Num;
  c_pf?: Num;
  c_freq?: Num;
  c_errors?: string[];
  n_current?: Num; // null without a neutral CT
  n_errors?: string[];
  total_current?: Num;
  total_act_power?: Num; // W, signed, from unrounded phase values
  total_aprt_power?: Num;
  user_calibrated_phase?: string[];
  errors?: string[]; // power_meter_failure | phase_sequence | ct_type_not_set
}

/** `EMData.GetStatus` (`emdata:0`), triphase. Counters in Wh; they survive reboots. */
export interface EMDataGetStatus {
  id?: number;
  a_total_act_energy?: Num;
  a_total_act_ret_energy?: Num;
  b_total_act_energy?: Num;
  b_total_act_ret_energy?: Num;
  c_total_act_energy?: Num;
  c_total_act_ret_energy?: Num;
  total_act?: Num; // imported, all phases
  total_act_ret?: Num; // returned, all phases
  errors?: string[]; // database_error | ct_type_not_set
}

/** `EM1.GetStatus` (`em1:0..2`), monophase profile: one channel each. */
export interface EM1GetStatus {
  id?: number;
  current?: Num;
  voltage?: Num;
  act_power?: Num;
  aprt_power?: Num;
  pf?: Num;
  freq?: Num;
  calibration?: string;
  errors?: string[]; // power_meter_failure | out_of_range:act_power|aprt_power|voltage|current | ct_type_not_set
  flags?: string[];
}

/** `EM1Data.GetStatus` (`em1data:0..2`), monophase. Wh counters. */
export interface EM1DataGetStatus {
  id?: number;
  total_act_energy?: Num;
  total_act_ret_energy?: Num;
  errors?: string[]; // database_error | ct_type_not_set
}

/** A Switch's energy counter (`aenergy`, `ret_aenergy`): Wh. */
export interface SwitchCounter {
  total?: Num;
  by_minute?: Num[]; // mWh in each of the last three whole minutes
  minute_ts?: number;
}

/**
 * `Switch.GetStatus` (`switch:<id>`): a relay output, metered on the PM models. `aenergy` counts the
 * energy of both directions; `ret_aenergy` (newer firmware, devices that measure returned energy)
 * the returned part alone, which is also in `aenergy` (README.md in this folder, Switch).
 */
export interface SwitchGetStatus {
  id?: number;
  source?: string;
  output?: boolean;
  apower?: Num; // W
  voltage?: Num; // V
  current?: Num; // A
  pf?: Num;
  freq?: Num;
  aenergy?: SwitchCounter;
  ret_aenergy?: SwitchCounter;
  temperature?: { tC?: Num; tF?: Num };
  errors?: string[]; // overtemp | overpower | overvoltage | undervoltage: protections, the output is off
}

/** `Shelly.GetStatus`: every component's status, keyed `<type>:<id>`; we read only these. */
export interface ShellyGetStatus {
  "em:0"?: EMGetStatus;
  "emdata:0"?: EMDataGetStatus;
  "em1:0"?: EM1GetStatus;
  "em1:1"?: EM1GetStatus;
  "em1:2"?: EM1GetStatus;
  "em1data:0"?: EM1DataGetStatus;
  "em1data:1"?: EM1DataGetStatus;
  "em1data:2"?: EM1DataGetStatus;
  [component: `em1:${number}` | `em1data:${number}` | `switch:${number}`]: unknown;
  sys?: { unixtime?: number; uptime?: number; reset_reason?: number };
}

/** An RPC error: the bare body of `/rpc/<Method>` or the `error` of a `POST /rpc` frame. */
export interface RpcError {
  code: number;
  message: string;
}
