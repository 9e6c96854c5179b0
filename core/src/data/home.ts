/**
 * The home every point belongs to (the `home` tag), so that the homes of an installer or a community
 * can share one bucket. HOME_ID names this home (default `home`); a point stored without the tag
 * belongs to HOME_UNTAGGED (default: HOME_ID), so a store from before the tag keeps its history
 * whatever HOME_ID says. The collector writes HOME_ID on every point; the report engine reads the
 * points of HOME_ID, and the untagged ones when HOME_UNTAGGED equals HOME_ID.
 * Both programs' configurations spread HOME_ENV into their schema and call homeOf on the result.
 */
// zod/mini, like the collector's configuration: this module is part of the collector's bundle (and
// a zod/mini schema fits in a `zod` object too: both are the same validation core).
import * as z from "zod/mini";

export interface HomeSettings {
  /** HOME_ID: the tag written and read. */
  readonly id: string;
  /** Whether points without a `home` tag are this home's (HOME_UNTAGGED equals HOME_ID). */
  readonly readsUntagged: boolean;
}

/** A home name, the rule MQTT's topics and ids need too (core/src/mqtt/config.ts): 1-64 letters, digits, _ or -. */
const name = (env: string) =>
  z
    .string()
    .check(
      z.trim(),
      z.regex(/^[A-Za-z0-9_-]{1,64}$/, { error: `must be 1-64 letters, digits, _ or -, e.g. ${env}=home` }),
    );

export const HOME_ENV = {
  HOME_ID: z._default(name("HOME_ID"), "home"),
  HOME_UNTAGGED: z.optional(name("HOME_UNTAGGED")),
};

export function homeOf(c: { HOME_ID: string; HOME_UNTAGGED?: string | undefined }): HomeSettings {
  return { id: c.HOME_ID, readsUntagged: (c.HOME_UNTAGGED ?? c.HOME_ID) === c.HOME_ID };
}
