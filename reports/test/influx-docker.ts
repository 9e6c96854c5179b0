/**
 * `npm run test:influx`: the store-parity suite (site/test/store-parity.test.ts) against a real
 * InfluxDB 2.7, started in Docker for the run and removed afterwards. The suite itself waits until
 * InfluxDB is ready and every write is acknowledged. Without a Docker engine it says so and exits 2;
 * any InfluxDB 2.7 can be used instead by setting INFLUX_URL, INFLUX_TOKEN (allowed to create
 * buckets) and INFLUX_ORG and running the suite directly (README, "Test it").
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

const SUITE = "site/test/store-parity.test.ts";
const docker = (...args: string[]) => spawnSync("docker", args, { encoding: "utf8" });

const info = docker("info");
if (info.error || info.status !== 0) {
  process.stderr.write(
    `npm run test:influx needs a running Docker engine ('docker info' failed). Start InfluxDB 2.7 yourself and run\n` +
      "  INFLUX_URL=http://localhost:8086 INFLUX_TOKEN=<all-access token> INFLUX_ORG=<org> " +
      `npx vitest run --config .config/vitest.config.ts ${SUITE}\n`,
  );
  process.exitCode = 2;
} else {
  const name = `heatpump-influx-test-${process.pid}`;
  const token = randomBytes(24).toString("hex");
  const org = "home";
  const started = docker(
    "run",
    "-d",
    "--rm",
    "--name",
    name,
    "-p",
    "127.0.0.1::8086",
    "-e",
    "DOCKER_INFLUXDB_INIT_MODE=setup",
    "-e",
    "DOCKER_INFLUXDB_INIT_USERNAME=admin",
    "-e",
    `DOCKER_INFLUXDB_INIT_PASSWORD=${randomBytes(12).toString("hex")}`,
    "-e",
    `DOCKER_INFLUXDB_INIT_ORG=${org}`,
    "-e",
    "DOCKER_INFLUXDB_INIT_BUCKET=heatpump",
    "-e",
    `DOCKER_INFLUXDB_INIT_ADMIN_TOKEN=${token}`,
    "influxdb:2.7",
  );
  if (started.status !== 0) {
    process.stderr.write(`could not start influxdb:2.7 in Docker: ${started.stderr.trim()}\n`);
    process.exitCode = 1;
  } else {
    try {
      const port = docker("port", name, "8086").stdout.trim().split("\n")[0]!.split(":").pop();
      const url = `http://127.0.0.1:${port}`;
      process.stdout.write(`InfluxDB 2.7 in container ${name} at ${url}\n`);
      const run = spawnSync(
        process.execPath,
        ["node_modules/vitest/vitest.mjs", "run", "--config", ".config/vitest.config.ts", SUITE],
        { stdio: "inherit", env: { ...process.env, INFLUX_URL: url, INFLUX_TOKEN: token, INFLUX_ORG: org } },
      );
      process.exitCode = run.status ?? 1;
    } finally {
      docker("rm", "-f", name);
    }
  }
}
