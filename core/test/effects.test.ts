import { describe, expect, it } from "vitest";
import { createLogger, redact } from "../src/effects.ts";

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
});
