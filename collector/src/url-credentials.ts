/**
 * Credentials written into a URL (`http://user:password@host`) are secrets like any other: they
 * never appear in a log line or a message. URLs are shown without them; their passwords go to the
 * logger's list of secrets; and the logger blanks the user:password part of any URL in a line
 * (effects.ts), whatever put it there.
 */

/** `http://user:pw@host:8086/x` -> `http://host:8086/x`; text that is not a URL comes back as it is. */
export function withoutCredentials(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (!u.username && !u.password) return url;
  u.username = "";
  u.password = "";
  // URL#toString adds a "/" to a bare origin; keep the form given (config strips trailing slashes).
  const text = u.toString();
  return url.endsWith("/") || u.pathname !== "/" ? text : text.replace(/\/$/, "");
}

/** The password of a URL as written and percent-decoded (empty list without one). */
export function passwordsOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const raw = new URL(url).password;
    if (!raw) return [];
    const decoded = decodeURIComponent(raw);
    return decoded === raw ? [raw] : [raw, decoded];
  } catch {
    return [];
  }
}
