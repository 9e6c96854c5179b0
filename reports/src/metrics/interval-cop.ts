/**
 * COP per Viessmann interval (heat between two heat pump samples over the Shelly electricity in the
 * same interval): defined once in core/src/metrics/interval-cop.ts, which the collector's live COP
 * now (MQTT) uses too. The report engine's samples are the columns it reads.
 */
export {
  elecIn,
  intervalCop,
  intervalEnergy,
  type IntervalOptions,
} from "../../../core/src/metrics/interval-cop.ts";
