import { describe, expect, it } from "vitest";
import { createLogger, redact, redactServerText, withoutControlChars } from "../src/effects.ts";

describe("secrets in log lines", () => {
  it("blanks listed secrets and the user:password of any URL", () => {
    expect(redact("token abcd1234 used", ["abcd1234"])).toBe("token *** used");
    expect(redact("InfluxDB at http://collector:s3cret@nas:8086 is down", [])).toBe(
      "InfluxDB at http://***@nas:8086 is down",
    );
    expect(redact("to https://user@host/x and http://a:b@c", [])).toBe(
      "to https://***@host/x and http://***@c",
    );
    expect(redact("mail me@example.org at http://host/a@b", [])).toBe(
      "mail me@example.org at http://host/a@b",
    );
  });

  it("the logger applies it to every line", () => {
    const lines: string[] = [];
    const log = createLogger({ write: (_l, line) => lines.push(line), clock: { now: () => 0 } }).child(
      "influx",
    );
    log.warn("InfluxDB at http://me:pw@nas:8086 is not accepting writes");
    expect(lines).toEqual([
      "1970-01-01T00:00:00.000Z warn  influx: InfluxDB at http://***@nas:8086 is not accepting writes",
    ]);
  });

  it("blanks credentials a server echoes back, by their names", () => {
    // A token endpoint that repeats the request it could not parse.
    expect(
      redactServerText(
        "cannot parse grant_type=refresh_token&client_id=test-client&refresh_token=rt-1.a_b-c~d; try again",
      ),
    ).toBe("cannot parse grant_type=refresh_token&client_id=test-client&refresh_token=***; try again");
    expect(redactServerText("code=abc123&code_verifier=v-456&password=p4ss word&client_secret=s3")).toBe(
      "code=***&code_verifier=***&password=*** word&client_secret=***",
    );
    expect(redactServerText('{"access_token":"eyJ.a.b","refresh_token":"r1","expires_in":3600}')).toBe(
      '{"access_token":"***","refresh_token":"***","expires_in":3600}',
    );
    // JSON quoted inside a JSON string, as an error_description may carry it.
    expect(redactServerText('{"error_description":"echo {\\"access_token\\": \\"eyJ\\"}"}')).toBe(
      '{"error_description":"echo {\\"access_token\\": \\"***\\"}"}',
    );
    expect(redactServerText("Authorization: Bearer eyJhbGciOi.x-y_z/+= sent")).toBe(
      "Authorization: Bearer *** sent",
    );
    expect(redactServerText("authorization: Basic dXNlcjpwdw== and Bearer abc")).toBe(
      "authorization: Basic *** and Bearer ***",
    );
    expect(redactServerText('{"authorization":"Token influx-t0ken"}')).toBe('{"authorization":"Token ***"}');
  });

  it("leaves alone what only looks like a credential's name", () => {
    for (const text of [
      "response_type=code&code_challenge=abc&state=s1&grant_type=refresh_token",
      "Token file written; SHELLY_PASSWORD=unset is no value; error_code=5",
      '{"code":-114,"message":"Failed"}',
    ])
      expect(redactServerText(text)).toBe(text);
  });

  it("the logger blanks echoed credentials in every line, configured or not", () => {
    const lines: string[] = [];
    const log = createLogger({ write: (_l, line) => lines.push(line), clock: { now: () => 0 } });
    log.error('viessmann: login failed: invalid_request (echo: "access_token":"eyJz", refresh_token=rt-9)');
    expect(lines).toEqual([
      "1970-01-01T00:00:00.000Z error viessmann: login failed: invalid_request " +
        '(echo: "access_token":"***", refresh_token=***)',
    ]);
  });

  it("text from a device cannot make up log lines: control characters go, further lines are indented", () => {
    expect(withoutControlChars("shellypro3em-aa\nbb\u0000\u001b[31m\u007f")).toBe("shellypro3em-aabb[31m");
    const lines: string[] = [];
    const log = createLogger({ write: (_l, line) => lines.push(line), clock: { now: () => 0 } });
    log.warn("shellypro3em-aa\n2026-01-01T00:00:00.000Z info  shelly: forged\r\u001b[2K");
    log.error("unexpected error: TypeError: x\n    at f (a.ts:1:1)");
    expect(lines).toEqual([
      "1970-01-01T00:00:00.000Z warn  shellypro3em-aa\n  2026-01-01T00:00:00.000Z info  shelly: forged[2K",
      "1970-01-01T00:00:00.000Z error unexpected error: TypeError: x\n    at f (a.ts:1:1)",
    ]);
  });
});
