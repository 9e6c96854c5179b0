/** parseCommandLine: options, values and the usage error every command prints. */
import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError } from "../src/command-line.ts";

describe("parseCommandLine", () => {
  it("rewords Node's parseArgs errors into one line naming the option or argument", () => {
    const options = { days: { type: "string" }, once: { type: "boolean" } } as const;
    const message = (args: string[]) => {
      try {
        parseCommandLine(args, options);
        return "parsed";
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
    };
    expect(message(["--bogus"])).toBe("unknown option --bogus");
    expect(message(["-x"])).toBe("unknown option -x");
    expect(message(["--days"])).toBe("--days needs a value");
    expect(message(["--once=yes"])).toBe("--once takes no value");
    expect(message(["extra"])).toBe('unexpected argument "extra"');
    expect(message(["--days", "3", "--once"])).toBe("parsed");
  });
});
