/**
 * collector/docker/influx-init.sh against a fake `influx` CLI (a shell script answering the few
 * commands it uses, with the JSON shapes of influx-cli's clients/auth printAuth): it creates a
 * write-only and a read-only token on the bucket, writes them 0400, and keeps valid tokens on re-run.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../docker/influx-init.sh", import.meta.url));

// Records every call; `auth create` mints token-<n>; `auth list` prints the minted tokens.
const FAKE_INFLUX = `#!/bin/sh
echo "$*" >> "$FAKE_DIR/calls.log"
case "$1 $2" in
  "bucket list")
    printf '0a1b2c3d4e5f6a7b\\t%s\\tinfinite\\t168h0m0s\\t0123456789abcdef\\timplicit\\n' "$INFLUX_BUCKET" ;;
  "auth list")
    printf '[\\n'
    for t in $(cat "$FAKE_DIR/minted.txt" 2>/dev/null); do
      printf '\\t{\\n\\t\\t"id": "x",\\n\\t\\t"token": "%s",\\n\\t\\t"status": "active"\\n\\t},\\n' "$t"
    done
    printf '\\t{}\\n]\\n' ;;
  "auth create")
    n=$(( $(wc -l < "$FAKE_DIR/minted.txt" 2>/dev/null || echo 0) + 1 ))
    echo "token-$n==" >> "$FAKE_DIR/minted.txt"
    printf '{\\n\\t"id": "0a1b",\\n\\t"description": "d",\\n'
    printf '\\t"token": "token-%s==",\\n\\t"status": "active",\\n\\t"permissions": ["x"]\\n}\\n' "$n" ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
`;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "influx-init-"));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "bin/influx"), FAKE_INFLUX);
  chmodSync(join(dir, "bin/influx"), 0o755);
  for (const v of ["collector", "builder"]) mkdirSync(join(dir, "tokens", v), { recursive: true });
  const run = () =>
    execFileSync("sh", [SCRIPT], {
      env: {
        PATH: `${join(dir, "bin")}:/usr/bin:/bin`,
        FAKE_DIR: dir,
        TOKENS_DIR: join(dir, "tokens"),
        APP_UID: String(process.getuid?.() ?? 1000),
        INFLUX_HOST: "http://influxdb:8086",
        INFLUX_TOKEN: "admin-token",
        INFLUX_USER: "admin",
        INFLUX_ORG: "home",
        INFLUX_BUCKET: "heatpump",
      },
      encoding: "utf8",
    });
  const calls = () => readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n");
  const token = (v: string) => join(dir, "tokens", v, "influx-token");
  return { dir, run, calls, token };
}

describe("influx-init.sh", () => {
  it("creates a write-only token for the collector and a read-only one for the builder", () => {
    const t = setup();
    const out = t.run();
    expect(out).toContain("created");
    const creates = t.calls().filter((c) => c.startsWith("auth create"));
    expect(creates).toHaveLength(2);
    expect(creates[0]).toMatch(/--write-bucket 0a1b2c3d4e5f6a7b/);
    expect(creates[0]).not.toMatch(/--read/);
    expect(creates[1]).toMatch(/--read-bucket 0a1b2c3d4e5f6a7b/);
    expect(creates[1]).not.toMatch(/--write/);
    expect(readFileSync(t.token("collector"), "utf8")).toBe("token-1==\n");
    expect(readFileSync(t.token("builder"), "utf8")).toBe("token-2==\n");
    expect(statSync(t.token("collector")).mode & 0o777).toBe(0o400);
    expect(statSync(join(t.dir, "tokens", "builder")).mode & 0o777).toBe(0o700);
    expect(out).not.toContain("token-1=="); // tokens never reach the log
  });

  it("keeps tokens that still exist and replaces one that was deleted", () => {
    const t = setup();
    t.run();
    expect(t.run()).toMatch(/collector.*kept[\s\S]*builder.*kept/);
    expect(t.calls().filter((c) => c.startsWith("auth create"))).toHaveLength(2);

    // The builder's token was revoked in InfluxDB: a new one is created, the collector's is kept.
    writeFileSync(join(t.dir, "minted.txt"), "token-1==\n");
    t.run();
    expect(readFileSync(t.token("collector"), "utf8")).toBe("token-1==\n");
    expect(readFileSync(t.token("builder"), "utf8")).toBe("token-2==\n"); // re-minted as no. 2
    expect(t.calls().filter((c) => c.startsWith("auth create"))).toHaveLength(3);
    expect(existsSync(t.token("builder") + ".tmp")).toBe(false);
  });
});
