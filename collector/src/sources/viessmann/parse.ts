/**
 * Pure: a features response in, canonical `heatpump` fields and raw `viessmann_feature` points out.
 * Absent beats wrong: a disabled feature (`isEnabled:false`, empty properties), a `notConnected`
 * sensor (no `value` at all) or a value of an unexpected type yields no field, never a zero.
 */
import { type HeatpumpField, MEASUREMENT, TAG } from "../../../../core/src/data/catalogue.ts";
import { ExpectedError } from "../../../../core/src/errors.ts";
import type { Point } from "../../../../core/src/data/line-protocol.ts";
import { FEATURE_MAP, type FeatureReader } from "./feature-map.ts";
import { messageFields } from "./messages.ts";
import type { Feature, FeaturesResponse } from "./types.ts";

export type HeatpumpReading = Partial<Record<HeatpumpField, number>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Checks the outer shape of a features body; throws ExpectedError('payload') naming what is wrong. */
export function parseFeaturesBody(body: unknown): FeaturesResponse {
  if (!isObject(body) || !Array.isArray(body.data))
    throw new ExpectedError("payload", "the Viessmann features answer has no `data` array");
  const data = body.data.filter(
    (f): f is Feature => isObject(f) && typeof f.feature === "string" && isObject(f.properties),
  );
  return { data };
}

/** Enabled features by name (the last one wins if a name repeats). */
export function indexFeatures(resp: FeaturesResponse): Map<string, Feature> {
  const m = new Map<string, Feature>();
  for (const f of resp.data) if (f.isEnabled !== false) m.set(f.feature, f);
  return m;
}

/** The feature a reader reads: its name, or its name followed by another feature's string value. */
function featureOf(features: Map<string, Feature>, reader: FeatureReader): Feature | undefined {
  if (!reader.nameFrom) return features.get(reader.feature);
  const suffix = features.get(reader.nameFrom.feature)?.properties[reader.nameFrom.property]?.value;
  return typeof suffix === "string" && suffix !== "" ? features.get(reader.feature + suffix) : undefined;
}

function read(features: Map<string, Feature>, reader: FeatureReader): number | undefined {
  const f = featureOf(features, reader);
  if (!f) return undefined;
  if (f.properties.status?.value === "notConnected") return undefined;
  let v = f.properties[reader.property]?.value;
  if (reader.index !== undefined) v = Array.isArray(v) ? v[reader.index] : undefined;
  if (reader.equals !== undefined) return typeof v === "string" ? (v === reader.equals ? 1 : 0) : undefined;
  if (reader.states !== undefined)
    return typeof v === "string" && Object.hasOwn(reader.states, v) ? reader.states[v] : undefined;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return undefined;
}

/** The canonical fields this response carries, each from the first feature name that has it. */
export function mapHeatpump(resp: FeaturesResponse): HeatpumpReading {
  const features = indexFeatures(resp);
  const out: HeatpumpReading = {};
  for (const [field, readers] of Object.entries(FEATURE_MAP) as [HeatpumpField, readonly FeatureReader[]][]) {
    for (const reader of readers) {
      const v = read(features, reader);
      if (v !== undefined) {
        out[field] = v;
        break;
      }
    }
  }
  return out;
}

// Schedules and device lists are configuration, not measurements.
const SKIPPED_TYPES = new Set(["Schedule", "DeviceList"]);

function flatten(prefix: string, v: unknown, out: Record<string, number>, depth: number): void {
  if (typeof v === "number") {
    if (Number.isFinite(v)) out[prefix] = v;
  } else if (typeof v === "boolean") {
    out[prefix] = v ? 1 : 0;
  } else if (depth < 3 && Array.isArray(v)) {
    v.forEach((e, i) => flatten(`${prefix}.${i}`, e, out, depth + 1));
  } else if (depth < 3 && isObject(v)) {
    for (const [k, e] of Object.entries(v)) flatten(`${prefix}.${k}`, e, out, depth + 1);
  }
}

/** Every numeric or boolean property of one enabled feature (booleans 0/1, arrays `name.N`). */
export function featureFields(f: Feature): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(f.properties)) {
    if (!isObject(p) || SKIPPED_TYPES.has(p.type)) continue;
    flatten(name, p.value, out, 0);
  }
  return out;
}

/**
 * The points of one poll: one `heatpump` point (if any field), one `heatpump_message` point (if the
 * device reports a message list: messages.ts) and one `viessmann_feature` point per feature.
 */
export function toPoints(resp: FeaturesResponse, device: string, timeMs: number): Point[] {
  const points: Point[] = [];
  const hp = mapHeatpump(resp);
  if (Object.keys(hp).length > 0)
    points.push({ measurement: MEASUREMENT.heatpump, tags: { [TAG.device]: device }, fields: hp, timeMs });
  const features = indexFeatures(resp);
  const messages = messageFields(features);
  if (messages)
    points.push({
      measurement: MEASUREMENT.heatpumpMessage,
      tags: { [TAG.device]: device },
      fields: messages,
      timeMs,
    });
  for (const f of features.values()) {
    if (f.properties.status?.value === "notConnected") continue;
    const fields = featureFields(f);
    if (Object.keys(fields).length === 0) continue;
    points.push({
      measurement: MEASUREMENT.viessmannFeature,
      tags: { [TAG.device]: device, [TAG.feature]: f.feature },
      fields,
      timeMs,
    });
  }
  return points;
}
