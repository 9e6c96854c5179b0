import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { ConfigError } from "../../core/src/env.ts";

const influx = { INFLUX_URL: "http://influxdb:8086", INFLUX_ORG: "home", INFLUX_BUCKET: "heatpump" };

describe("INFLUX_TOKEN_FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), "token-file-"));

  it("reads the token from the file (trimmed) and keeps it a secret", () => {
    const file = join(dir, "collector.token");
    writeFileSync(file, "write-only-token==\n");
    chmodSync(file, 0o400);
    const c = loadConfig({ ...influx, INFLUX_TOKEN_FILE: file }, dir);
    expect(c.influx?.token).toBe("write-only-token==");
    expect(c.secrets).toContain("write-only-token==");
  });

  it("resolves a relative path against the working directory", () => {
    writeFileSync(join(dir, "rel.token"), "relative");
    expect(loadConfig({ ...influx, INFLUX_TOKEN_FILE: "rel.token" }, dir).influx?.token).toBe("relative");
  });

  it("lets INFLUX_TOKEN win over the file", () => {
    const c = loadConfig({ ...influx, INFLUX_TOKEN: "direct", INFLUX_TOKEN_FILE: join(dir, "missing") }, dir);
    expect(c.influx?.token).toBe("direct");
  });

  it("names the variable when the file is missing or empty", () => {
    expect(() => loadConfig({ ...influx, INFLUX_TOKEN_FILE: join(dir, "missing") }, dir)).toThrow(
      /INFLUX_TOKEN_FILE: cannot read .*missing \(ENOENT\)/,
    );
    writeFileSync(join(dir, "empty.token"), "\n");
    expect(() => loadConfig({ ...influx, INFLUX_TOKEN_FILE: join(dir, "empty.token") }, dir)).toThrow(
      ConfigError,
    );
  });
});
