/**
 * Which points a store reads: those of one home (the `home` tag), and the untagged ones when
 * HOME_UNTAGGED names this home (core/src/data/home.ts). Both stores apply the same rule: the Flux
 * queries as `r.home == id or not exists r.home` (flux-queries.ts), the local store line by line.
 *
 * A tag stored empty counts as missing: InfluxDB's storage does not tell an empty tag value from a
 * missing tag, and line protocol has no empty tag (a writer leaves it out).
 */
import { DEFAULT_METER_ROLE, METER_ROLES } from "../../../core/src/data/catalogue.ts";
import { homeOf, type HomeSettings } from "../../../core/src/data/home.ts";

/** HOME_ID and HOME_UNTAGGED unset: home `home`, untagged points included. */
export const DEFAULT_HOME: HomeSettings = homeOf({ HOME_ID: "home" });

/** Whether a point whose `home` tag is `tag` (undefined: none) belongs to `home`. */
export const isHome = (home: HomeSettings, tag: string | undefined): boolean =>
  tag === undefined || tag === "" ? home.readsUntagged : tag === home.id;

/** A piece of cache keys and store ids: the home, and whether untagged points are read. */
export const homeKey = (home: HomeSettings): string =>
  `home=${home.id}${home.readsUntagged ? "+untagged" : ""}`;

const ROLE_INDEX = new Map<string, number>(METER_ROLES.map((r, i) => [r, i]));

/**
 * Index in METER_ROLES of an `electric` point's `role` tag: none (or empty) is the heat pump's
 * meter (a store from before roles); -1 for a role the catalogue does not know (left out).
 */
export function meterIndex(role: string | undefined): number {
  if (role === undefined || role === "") return ROLE_INDEX.get(DEFAULT_METER_ROLE)!;
  return ROLE_INDEX.get(role) ?? -1;
}
