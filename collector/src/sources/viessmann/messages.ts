/**
 * Pure: the heat pump's active messages from the features answer the collector reads anyway (no
 * extra call), as the fields of one `heatpump_message` point (core/src/data/catalogue.ts). Entries are
 * `{errorCode: "F.1100", priority: "criticalError", timestamp, accessLevel, audiences}`; see this
 * folder's README, "Messages".
 *
 * Absent is not "no fault": a device without any message feature gives no point at all, and
 * `errors_reported` says whether the device has an error list. An entry counts as an error when it
 * is on the error list, or, on any list, when its priority is `criticalError` or `error` or its code
 * is an F. code (a fault): devices that report only info, status and service lists are still heard.
 */
import type { HeatpumpMessageField } from "../../../../core/src/data/catalogue.ts";
import { withoutControlChars } from "../../../../core/src/effects.ts";
import { MESSAGE_FEATURES } from "./feature-map.ts";
import type { Feature } from "./types.ts";

type MessageList = keyof typeof MESSAGE_FEATURES;

interface DeviceMessage {
  readonly list: MessageList;
  readonly code: string;
  /** `criticalError`, `error`, `warning`, `info`, `status`, `serviceHint`, ... as the device says. */
  readonly priority: string;
  /** The device's time of the message (ISO), when it gives one. */
  readonly timestamp: string | undefined;
}

type MessageFields = Partial<Record<HeatpumpMessageField, number | string>>;

const ERROR_PRIORITIES = new Set(["criticalError", "error"]);
/** Longest text field written, characters (a device listing hundreds of codes is cut, not dropped). */
const MAX_TEXT = 1000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
/** A code as a field value may carry it: no control characters, no list separators. */
const clean = (s: string) => withoutControlChars(s).replace(/[,;]/g, " ").trim();
const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/** The entries of the first feature of `names` that carries an `entries` array; undefined if none. */
function entriesOf(features: ReadonlyMap<string, Feature>, names: readonly string[]): unknown[] | undefined {
  for (const name of names) {
    const v = features.get(name)?.properties.entries?.value;
    if (Array.isArray(v)) return v;
  }
  return undefined;
}

/** Every message of the lists the device reports, and which lists it reports. */
function deviceMessages(features: ReadonlyMap<string, Feature>): {
  lists: Set<MessageList>;
  messages: DeviceMessage[];
} {
  const lists = new Set<MessageList>();
  const messages: DeviceMessage[] = [];
  for (const list of Object.keys(MESSAGE_FEATURES) as MessageList[]) {
    const entries = entriesOf(features, MESSAGE_FEATURES[list]);
    if (!entries) continue;
    lists.add(list);
    for (const e of entries) {
      if (!isObject(e) || typeof e.errorCode !== "string") continue;
      const code = clean(e.errorCode);
      if (!code) continue;
      const priority = typeof e.priority === "string" ? clean(e.priority) : "";
      const timestamp = typeof e.timestamp === "string" ? clean(e.timestamp) : undefined;
      messages.push({ list, code, priority, timestamp });
    }
  }
  return { lists, messages };
}

const isError = (m: DeviceMessage): boolean =>
  m.list === "errors" || ERROR_PRIORITIES.has(m.priority) || /^F\./i.test(m.code);

const describe = (m: DeviceMessage) => {
  const parts = [m.priority, m.timestamp ? `since ${m.timestamp}` : ""].filter(Boolean);
  return parts.length ? `${m.code} (${parts.join(", ")})` : m.code;
};

/** Codes once each, in the device's order. */
const codes = (ms: readonly DeviceMessage[]) => cut([...new Set(ms.map((m) => m.code))].join(","));

/** The `heatpump_message` fields of a features answer, or undefined when it reports no message list. */
export function messageFields(features: ReadonlyMap<string, Feature>): MessageFields | undefined {
  const { lists, messages } = deviceMessages(features);
  if (lists.size === 0) return undefined;
  const seen = new Set<string>();
  const errors = messages.filter((m) => isError(m) && !seen.has(m.code) && seen.add(m.code));
  const warnings = messages.filter((m) => !isError(m) && m.priority === "warning");
  const out: MessageFields = {
    errors_reported: lists.has("errors") ? 1 : 0,
    error_count: errors.length,
    critical_count: errors.filter((m) => m.priority === "criticalError").length,
    error_codes: codes(errors),
    errors: cut(errors.map(describe).join("; ")),
    warning_codes: codes(warnings),
  };
  for (const list of ["service", "status", "info"] as const)
    if (lists.has(list)) out[`${list}_codes`] = codes(messages.filter((m) => m.list === list));
  return out;
}
