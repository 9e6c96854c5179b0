/**
 * The contract between the report engine and the site (and the JSON twins of every page).
 * Energies in kWh, temperatures in °C, times as ISO strings (UTC) or ms since the epoch where
 * marked. A value that cannot be computed is `null`, never 0, NaN or Infinity.
 */

/** The columns of a day's five-minute buckets (metrics/day-buckets.ts says how each is computed). */
export const BUCKET_COLUMNS = [
  "power_w",
  "heat_w",
  "flow_c",
  "return_c",
  "outside_c",
  "dhw_c",
  "cop",
  "defrost",
  "flow_lph",
  "delta_t_k",
  "compressor_speed_rps",
  "backup_w",
  "cooling",
] as const;
export type BucketColumn = (typeof BUCKET_COLUMNS)[number];

/** Five-minute buckets of one local day, from local midnight (276, 288 or 300 of them). */
export interface DayBuckets {
  day: string;
  /** Start of the first bucket: the day's local midnight (ms since epoch). */
  startMs: number;
  /** One value per bucket, in bucket order; null where data is missing. */
  values: Record<BucketColumn, (number | null)[]>;
}

/** Lines of one kind a file store left out: how many, and the first of them. */
export interface SkippedLines {
  count: number;
  /** 1-based line number of the first one, and what was wrong with it. */
  firstLine: number;
  reason: string;
}

/**
 * Lines of one file a report could not use, by kind: counts only a file store can have. They go to
 * the log and status.json, never into the JSON twins and CSVs (both stores must give the same).
 */
export interface FileProblems {
  /** The file, relative to LOCAL_SOURCE (or the journal folder). */
  file: string;
  /** No timestamp, a time before 2000 or beyond a date, longer than 8 MiB. */
  skipped: SkippedLines | null;
  /** Stamped more than 10 minutes past the time the file was indexed. */
  future: SkippedLines | null;
  /** A timestamp, but not line protocol (found when the lines are read). */
  malformed: SkippedLines | null;
}

export type PeriodKind = "day" | "week" | "month" | "season";

/** `2026-03-29` | `2026-W13` | `2026-03` | `2025-26`. */
export interface PeriodId {
  readonly kind: PeriodKind;
  readonly id: string;
}

/**
 * The metering boundary (SEPEMO, as heatpumpmonitor.org uses it), from the meters' roles: `H2` the
 * heat pump with its source side (the `heatpump` meter alone), `H3` with the backup heater (+
 * `backup`), `H4` with the auxiliaries, circulation pumps included (+ `pumps`). H1, the unit alone,
 * cannot be metered from outside the unit.
 */
export type Boundary = "H2" | "H3" | "H4";

/** What a page says of its boundary: the code, the roles metered, and the words for it. */
export interface BoundaryStatement {
  code: Boundary | null;
  /** Roles with meter data in the period (catalogue METER_ROLES order). */
  roles: string[];
  /** E.g. "H3: heat pump and backup heater metered". */
  text: string;
}

/** The daily row: the unit everything rolls up from. */
export interface DailyRow extends DayAnalytics {
  /** Local day in REPORT_TZ, `YYYY-MM-DD`. */
  day: string;
  /** Local midnight to local midnight as UTC instants (23/24/25 hours apart). */
  start: string;
  end: string;
  hours: number;
  /** True when the day is over (and so cacheable). */
  closed: boolean;

  /** Shelly counter increase (`energy_wh`), resets handled; power integration only as fall-back. */
  elec_kwh: number | null;
  /** How elec_kwh was obtained. */
  elec_method: "counter" | "power" | null;
  /** Heat from the device day counters (heating + hot water). */
  heat_kwh: number | null;
  heat_heating_kwh: number | null;
  heat_dhw_kwh: number | null;
  /** The heat pump's own electricity estimate (device day counters). */
  elec_vendor_kwh: number | null;
  elec_vendor_heating_kwh: number | null;
  elec_vendor_dhw_kwh: number | null;
  /** heat / Shelly electricity; null when either side is missing or electricity is 0. */
  cop: number | null;
  /** heat / vendor electricity. */
  cop_vendor: number | null;

  /** Electricity while running (power >= STARTING_POWER_W) and while standing by. */
  running_elec_kwh: number | null;
  standby_elec_kwh: number | null;
  running_hours: number | null;
  /** heat / running electricity. */
  cop_running: number | null;
  /** Compressor starts and mean run length from the 10 s power data. */
  starts: number | null;
  mean_run_min: number | null;
  /** Starts from the device's own counter, to compare. */
  starts_vendor: number | null;

  /** The boundary of the day's metering, from the roles with data that day (null without any). */
  boundary: Boundary | null;
  /** The other meters' electricity that day (counter increase, as elec_kwh); null when not metered. */
  backup_elec_kwh: number | null;
  pumps_elec_kwh: number | null;
  house_elec_kwh: number | null;
  /**
   * The device's own figure for its heating rod's electricity (the day counters
   * `heating_rod_heating_day_kwh` + `heating_rod_dhw_day_kwh`, where it reports them), shown beside
   * the backup meter's: a device estimate, in no COP. Null where the device does not report it.
   */
  backup_vendor_kwh: number | null;
  /**
   * Heat of the whole system: the heat pump's heat plus the backup heater's (a resistance heater
   * turns each kWh of electricity into one of heat; the device's heat counters count the compressor's
   * heat only, so nothing is counted twice). Null when no backup heater is metered.
   */
  heat_system_kwh: number | null;
  /**
   * heat_system_kwh / (elec_kwh + backup_elec_kwh + pumps_elec_kwh), the COP at the day's boundary;
   * null when only the heat pump is metered (then `cop` is the boundary's COP). `cop` stays the heat
   * pump's alone.
   */
  cop_system: number | null;
  /** 100 * backup heat / heat_system_kwh. */
  backup_share_pct: number | null;
  /**
   * Cooling (intervals with `cooling_active` = 1, or heat flowing the other way: return above flow
   * while the compressor runs): the heat taken out of the house, the heat pump's electricity in those
   * intervals, and their ratio (EER). Cooling never enters cop, the degree-day figures or the house
   * fit. Null on a day without cooling.
   */
  cooling_kwh: number | null;
  cooling_elec_kwh: number | null;
  /** The running part of cooling_elec_kwh (power at or above STARTING_POWER_W): cop_running leaves it out. */
  cooling_running_elec_kwh: number | null;
  eer: number | null;
  /** Room temperature (`room_c`), weighted by heat where known, else a plain mean; null without. */
  room_mean_c: number | null;

  outside_mean_c: number | null;
  flow_mean_c: number | null;
  /** How flow_mean_c was weighted: by heat per sample, or by running time. */
  flow_weighting: "heat" | "running" | null;
  /**
   * Space heating only: mean flow temperature without the samples taken while hot water was made
   * (`dhw_active` = 1) or the outdoor unit defrosted (`defrosting` = 1), weighted like flow_mean_c
   * (heat per sample from flow and spread, else the heating counter's step; else running time).
   * This is the measured heating curve.
   */
  flow_heating_mean_c: number | null;
  flow_heating_weighting: "heat" | "running" | null;

  /** Share of expected samples present, percent, per source. */
  coverage_elec_pct: number;
  coverage_hp_pct: number;
  /**
   * Counter readings left out as outliers that day (a drop that returns to the earlier level, a rise
   * faster than MAX_POWER_W allows; reports/src/counters.ts), and power readings above MAX_POWER_W.
   */
  outliers: number;
  /** Viessmann API calls used that day (from the collector measurement), if known. */
  viessmann_calls: number | null;

  /**
   * Money (rollup/tariff.ts), only in a period report's rows and only when electricity prices are
   * set: the day's electricity at the prices of its hours (`cost`), and with a standing charge that
   * charge and their sum. Null where the day's electricity (or an hour's price) is not known.
   */
  cost?: number | null;
  standing_charge?: number | null;
  cost_total?: number | null;
}

/**
 * The daily row's analytics beyond energy and COP (README, "Reports"): COP per mode, % of Carnot,
 * defrosts, export and the electricity per local hour that prices are applied to.
 */
export interface DayAnalytics {
  /**
   * The Shelly's running electricity by the heat pump's mode at the start of each Viessmann interval
   * (mode-split.ts): heating + hot water = running_elec_kwh where the mode is known all day.
   */
  elec_heating_kwh: number | null;
  elec_dhw_kwh: number | null;
  /** heat_heating_kwh / elec_heating_kwh and heat_dhw_kwh / elec_dhw_kwh. */
  cop_heating: number | null;
  cop_dhw: number | null;
  /** The same from the heat pump's own electricity estimate per mode (elec_vendor_*_kwh). */
  cop_heating_vendor: number | null;
  cop_dhw_vendor: number | null;
  /** % of Carnot (carnot.ts): 100 * carnot_heat_kwh / carnot_ideal_heat_kwh, over running intervals. */
  carnot_pct: number | null;
  carnot_heat_kwh: number | null;
  carnot_ideal_heat_kwh: number | null;
  /** Defrosts seen by the Viessmann readings (defrost.ts); heat drawn back needs flow_lph. */
  defrost_count: number | null;
  defrost_min: number | null;
  defrost_heat_kwh: number | null;
  /** Increase of the meter's returned-energy counter (energy_ret_wh); null without that counter. */
  export_kwh: number | null;
  /** Electricity per local clock hour, index 0 = 00:00-01:00 (hourly.ts): prices apply at roll-up. */
  elec_hourly_kwh: (number | null)[];
}

/**
 * A period's analytics (README, "Reports"), rolled up from daily rows: ratios from sums over the
 * days that have both sides, never means of daily ratios. Cost fields exist only when a price is
 * configured (never a 0 for an unset price).
 */
export interface PeriodAnalytics {
  elec_heating_kwh: number | null;
  elec_dhw_kwh: number | null;
  cop_heating: number | null;
  cop_dhw: number | null;
  cop_heating_vendor: number | null;
  cop_dhw_vendor: number | null;
  carnot_pct: number | null;
  defrost_count: number | null;
  defrost_min: number | null;
  defrost_heat_kwh: number | null;
  /** 100 * defrost heat / heat, over the days that have both. */
  defrost_share_pct: number | null;
  /** Heating degree days: Σ max(0, HDD_BASE_C - daily mean outside temperature). */
  hdd: number | null;
  /** Space-heating heat and electricity per degree day, over closed days that have both. */
  heat_per_hdd_kwh: number | null;
  elec_per_hdd_kwh: number | null;
  /**
   * The house (house-fit.ts), months and seasons only: the slope of daily space-heating power
   * against INDOOR_C - outside (W/K), where the fitted line reaches 0 W (°C), its value at
   * DESIGN_OUTSIDE_C (W), the days used and R². Null with fewer than 14 usable days.
   */
  heat_loss_w_per_k: number | null;
  balance_point_c: number | null;
  design_load_w: number | null;
  house_fit_days: number | null;
  house_fit_r2: number | null;
  /**
   * The indoor temperature the house fit and the Carnot figure used: the room sensor (`room_c`, per
   * day, weighted by heat) where the device reports one, else the INDOOR_C setting.
   */
  indoor_source: "room" | "setting" | null;
  export_kwh: number | null;
  /** Money (tariff.ts), in `currency`; present only when the price they need is set. */
  currency?: string;
  /** The electricity at the prices of its hours (energy only, without the standing charge). */
  cost?: number | null;
  /**
   * With ELECTRICITY_STANDING_CHARGE: the charge for each day whose cost is known, and cost plus
   * that. cost_per_heat_kwh and the gas comparison stay on `cost`.
   */
  standing_charge?: number | null;
  cost_total?: number | null;
  cost_per_heat_kwh?: number | null;
  gas_cost?: number | null;
  savings?: number | null;
}

/** Sums and weighted means over a period (a day, week, month or season). */
export interface Totals extends PeriodAnalytics {
  elec_kwh: number | null;
  heat_kwh: number | null;
  heat_heating_kwh: number | null;
  heat_dhw_kwh: number | null;
  elec_vendor_kwh: number | null;
  /** Sum of heat / sum of electricity, never a mean of daily COPs. For a season this is the SPF. */
  cop: number | null;
  cop_vendor: number | null;
  running_elec_kwh: number | null;
  standby_elec_kwh: number | null;
  running_hours: number | null;
  cop_running: number | null;
  starts: number | null;
  mean_run_min: number | null;
  starts_vendor: number | null;
  outside_mean_c: number | null;
  flow_mean_c: number | null;
  /** Space heating only (see DailyRow), days weighted by their space-heating heat. */
  flow_heating_mean_c: number | null;
  coverage_elec_pct: number;
  coverage_hp_pct: number;
  /** Readings left out as outliers (DailyRow.outliers, summed). */
  outliers: number;
  /** The widest boundary among the period's days (DailyRow.boundary). */
  boundary: Boundary | null;
  backup_elec_kwh: number | null;
  pumps_elec_kwh: number | null;
  house_elec_kwh: number | null;
  backup_vendor_kwh: number | null;
  /** Sums over the days that have cop_system, and their ratio. */
  heat_system_kwh: number | null;
  cop_system: number | null;
  backup_share_pct: number | null;
  cooling_kwh: number | null;
  cooling_elec_kwh: number | null;
  eer: number | null;
  room_mean_c: number | null;
  /** Days in the period that have any data / days in the period. */
  days_with_data: number;
  days: number;
}

export interface PeriodReport extends Totals {
  kind: PeriodKind;
  id: string;
  /** Human label: `Sunday 29 March 2026`, `Week 13, 2026`, `March 2026`, `Heating season 2025/26`. */
  label: string;
  start: string;
  end: string;
  /** Neighbouring periods for navigation (null where there is no data). */
  prev: string | null;
  next: string | null;
  /** Daily rows (week, month, season; for a day the one row). */
  rows: DailyRow[];
  /** Season only: one Totals per month, labelled `YYYY-MM`. */
  months?: (Totals & { id: string })[];
  /**
   * Totals of the previous period of the same kind, for comparison (null if none). For a period in
   * progress: of the previous period's first `progress.compared_days` days only (null while none of
   * this period's days is over), so a partial period is never set against a whole one.
   */
  previous: Totals | null;
  /** Set while the period contains "now" (today, this week, month or season); null once it is over. */
  progress: Progress | null;
  /** What the period's electricity meters cover (the roles metered), stated on every page. */
  metering: BoundaryStatement;
  /** Season: configured heating curve, latest values reported by the device. */
  curve?: { slope: number; shift: number } | null;
  /** REPORT_TZ. */
  tz: string;
  /** The settings the analytics used (degree-day base, indoor and design temperatures, prices). */
  settings: AnalysisSettings;
}

/** Settings of the period analytics, as configured (README, "Configuration"). */
export interface AnalysisSettings {
  /** HDD_BASE_C, °C. */
  hdd_base_c: number;
  /** INDOOR_C, °C. */
  indoor_c: number;
  /** DESIGN_OUTSIDE_C, °C. */
  design_outside_c: number;
  /** CURRENCY, when a price is set. */
  currency?: string;
  /**
   * Price per kWh of electricity by local time, when set: ELECTRICITY_PRICE as one range
   * 00:00-24:00, or the ranges of ELECTRICITY_PRICE_SCHEDULE (whole hours, in order).
   */
  electricity_prices?: PriceRange[];
  /** ELECTRICITY_PRICES_FILE, when set: from its first start on, its prices replace the ones above. */
  electricity_prices_file?: PricesFileInfo;
  /** ELECTRICITY_STANDING_CHARGE, per day in `currency`, when set. */
  electricity_standing_charge?: number;
  /**
   * The price of the electricity of local clock hour `hour` (0..23) of `day`, or null where none is
   * set: the prices above, resolved to the report's zone. Not enumerable, so the JSON twins (and a
   * copy made with `{ ...settings }`) leave it out: a dynamic tariff's file holds 35,000 prices a
   * year. Without it the hours are priced from `electricity_prices`.
   */
  readonly hour_price?: (day: string, hour: number) => number | null;
  /** GAS_PRICE per kWh of gas, when set, and BOILER_EFFICIENCY with it. */
  gas_price?: number;
  boiler_efficiency?: number;
}

/** What a prices file holds (ELECTRICITY_PRICES_FILE); its prices themselves stay out of the JSON. */
export interface PricesFileInfo {
  /** The file's name (without its folder: the JSON twins are public). */
  file: string;
  /** Prices in it, and the start of the first and of the last one, as written there. */
  rows: number;
  first_start: string;
  last_start: string;
  /** A hash of its content, so a changed file re-renders the pages that show a cost. */
  hash: string;
}

/** A price for local times [from, to), `HH:MM` on the hour; `to` may be `24:00`. */
export interface PriceRange {
  from: string;
  to: string;
  price: number;
}

/** How much of a period in progress has passed, and what its comparison covers. */
export interface Progress {
  /** Hours from the period's start to now, and in the whole period (DST days counted as they are). */
  elapsed_hours: number;
  hours: number;
  /** Days of the period that are over, plus the elapsed share of today (e.g. 2.9 of a week). */
  elapsed_days: number;
  /** Days of the period that are over. */
  complete_days: number;
  /**
   * The first N complete days set against the previous period's first N days: N is
   * `complete_days`, or the previous period's length when that is shorter (March against February).
   */
  compared_days: number;
  /** Totals over this period's first `compared_days` days; null while there are none. */
  compared: Totals | null;
}

/** One chart series: `v` null marks a gap (the line breaks there). `t` is ms since the epoch. */
export interface SeriesPoint {
  t: number;
  v: number | null;
}

/**
 * Chart series, one point per five-minute bucket (day-buckets.ts): `power_w` mean electric power,
 * `heat_w` heat delivered, temperatures as means, `cop` heat over Shelly electricity in the bucket
 * (null where the compressor was off), `defrost` 1 where a reading in the bucket saw a defrost.
 */
export type SeriesName =
  | "power_w"
  | "outside_c"
  | "flow_c"
  | "return_c"
  | "dhw_c"
  | "heat_w"
  | "cop"
  | "defrost"
  | "flow_lph"
  | "delta_t_k"
  | "compressor_speed_rps"
  | "backup_w"
  | "cooling";

export type SeriesSet = Partial<Record<SeriesName, SeriesPoint[]>>;

export interface StatusValue {
  value: number | null;
  unit: string;
  /** When the value was read (ms since epoch), null if never. */
  timeMs: number | null;
  /** Seconds between the reading and `Status.nowMs`. */
  ageS: number | null;
}

export interface Status {
  nowMs: number;
  tz: string;
  power_w: StatusValue;
  outside_c: StatusValue;
  flow_c: StatusValue;
  return_c: StatusValue;
  dhw_c: StatusValue;
  compressor_on: StatusValue;
  /**
   * The newest Viessmann interval's COP, defined as the `cop` series (heat over Shelly electricity in
   * the interval).
   */
  cop_now: StatusValue;
  cop_today: StatusValue;
  /**
   * Whether the compressor runs, decided once from the freshest source: the Shelly's power (at or
   * above STARTING_POWER_W) when its newest reading is at most RUNNING_FRESH_S old, else the heat
   * pump's own `compressor_on`, which lags up to a Viessmann poll interval.
   */
  running: {
    value: boolean | null;
    source: "shelly" | "viessmann" | null;
    timeMs: number | null;
    ageS: number | null;
  };
  /** Age (s) beyond which a source's values are stale: twice its poll interval. */
  expected_age_s: { shelly: number; viessmann: number };
  /** Sources whose newest data is older than twice their poll interval. */
  stale: { source: "shelly" | "viessmann"; ageS: number | null; limitS: number }[];
  curve: { slope: number; shift: number } | null;
  /**
   * Files of the local store with lines left out (no believable time, not line protocol, from the
   * future), when there are any. InfluxDB has no such counts: this is the one field of the status
   * that differs between the stores.
   */
  file_problems?: FileProblems[];
}

/** What the site reads. The same engine over both stores (local line protocol, InfluxDB). */
export interface Reports {
  readonly tz: string;
  /** The settings period reports are rolled up with (a change re-renders pages, not history). */
  readonly settings: AnalysisSettings;
  /** Daily rows for local days `from`..`to` inclusive, closed days from the cache. */
  dailyRows(from: string, to: string): Promise<DailyRow[]>;
  report(period: PeriodId): Promise<PeriodReport>;
  /** The five-minute buckets of one local day (its chart data and CSV), closed days from the cache. */
  dayBuckets(day: string): Promise<DayBuckets>;
  /** Chart series between two instants, from the five-minute buckets of the days they cover. */
  series(startMs: number, stopMs: number): Promise<SeriesSet>;
  status(nowMs: number): Promise<Status>;
  /** First and last local day with any data, or null when there is none. */
  extent(): Promise<{ first: string; last: string } | null>;
  /**
   * Starts a new cycle: within one, the engine answers from one look at the store (the extent, the
   * open days, what changed); a cycle also ends by itself after 30 s. The site builder calls this
   * before each build.
   */
  refresh(): void;
  /**
   * Hands the engine the history a site published (optional: the report engine has it, a fake need
   * not). From then on a closed day the store now holds less data for (retention, a deleted file)
   * is answered with its published row and buckets, and the extent counts the published days.
   */
  keepPublished?(history: PublishedHistory | null): void;
  /** The days answered from the published history when last asked, oldest first. */
  keptDays?(): string[];
  /** First and last local day with data in the store itself (extent() counts the published days too). */
  storeExtent?(): Promise<{ first: string; last: string } | null>;
}

/**
 * A site's published history (README, "The site"): history is append-only, so the engine keeps a
 * published closed day when the store loses its data (engine/published-rows.ts says when).
 */
export interface PublishedHistory {
  /**
   * The published rows of closed days with data, by day. The holder may add the rows of each new
   * build or replace a day's row, never remove one.
   */
  readonly rows: ReadonlyMap<string, DailyRow>;
  /** The published five-minute buckets of a day (its CSV twin), or null when there are none. */
  buckets(day: string): DayBuckets | null;
}
