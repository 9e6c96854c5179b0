/**
 * A notice as each channel takes it. ntfy's publish API (docs.ntfy.sh/publish): a POST of the message
 * to the topic URL with the headers `Title`, `Priority` (1 min .. 3 default .. 5 max), `Tags`
 * (comma-separated; emoji short codes show as emojis), `Click` (opened when the notification is
 * tapped) and, for a protected topic, `Authorization: Bearer <token>`. The webhook: a JSON POST with
 * `condition`, `severity`, `state`, `title`, `message`, `opened_at`, `resolved_at`, `url`.
 */
import type { Severity } from "./conditions.ts";
import type { Notice, NoticeKind } from "./state.ts";

/** ntfy priority by severity: 3 default, 4 high, 5 max (a phone may ring through do-not-disturb). */
const NTFY_PRIORITY: Readonly<Record<Severity, number>> = { info: 3, warning: 4, critical: 5 };

const SEVERITY_TAG: Readonly<Record<Severity, string>> = {
  info: "information_source",
  warning: "warning",
  critical: "rotating_light",
};

/** The webhook's `state`: what happened to the alert. */
const WEBHOOK_STATE: Readonly<Record<NoticeKind, string>> = {
  opened: "open",
  changed: "changed",
  reminder: "reminder",
  resolved: "resolved",
  summary: "summary",
  test: "test",
};

/** The alerts page of the site at `siteUrl`, or null without one. */
function alertsUrl(siteUrl: string | undefined): string | null {
  if (!siteUrl) return null;
  return new URL("alerts/", siteUrl.endsWith("/") ? siteUrl : `${siteUrl}/`).href;
}

/**
 * A header value. HTTP headers carry Latin-1 at most (Node refuses more, and ntfy reads the bytes as
 * UTF-8): a title with other characters (`−3 °C`) goes as an RFC 2047 encoded word, which ntfy decodes.
 */
function headerText(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  if (/^[\x20-\x7e]*$/.test(oneLine)) return oneLine;
  return `=?UTF-8?B?${Buffer.from(oneLine, "utf8").toString("base64")}?=`;
}

export interface HttpPost {
  readonly headers: Record<string, string>;
  readonly body: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function ntfyPost(
  n: Notice,
  opts: { token: string | undefined; siteUrl: string | undefined },
): HttpPost {
  const quiet = n.kind === "resolved" || n.kind === "test";
  const tags = [
    n.kind === "resolved" ? "white_check_mark" : n.kind === "test" ? "test_tube" : SEVERITY_TAG[n.severity],
    ...(n.condition ? [n.condition] : []),
  ];
  const click = alertsUrl(opts.siteUrl);
  return {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      title: headerText(`Heat pump: ${n.title}`),
      priority: String(quiet ? 3 : NTFY_PRIORITY[n.severity]),
      tags: tags.join(","),
      ...(click ? { click } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: n.message,
  };
}

export function webhookPost(n: Notice, opts: { siteUrl: string | undefined }): HttpPost {
  return {
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      condition: n.condition,
      severity: n.severity,
      state: WEBHOOK_STATE[n.kind],
      title: n.title,
      message: n.message,
      opened_at: iso(n.openedMs),
      resolved_at: iso(n.resolvedMs),
      url: alertsUrl(opts.siteUrl),
    }),
  };
}
