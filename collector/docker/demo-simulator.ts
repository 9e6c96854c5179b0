/**
 * The `simulator` service of `docker compose --profile demo up`: a simulated Shelly Pro 3EM, a Pro EM
 * metering the backup heater on its channel 1, and Viessmann API in place of real devices.
 *
 * 1. Starts the simulators (startSimulator; they listen on loopback) and forwards them to the
 *    compose network on SIM_SHELLY_PORT (8081), SIM_BACKUP_PORT (8083) and SIM_VIESSMANN_PORT (8082).
 * 2. Logs in to the simulated IAM like `npm run login` would, writing viessmann-token.json into
 *    DATA_DIR (the collector's data volume).
 * 3. Publishes the collector's settings in DEMO_ENV_FILE (default /run/demo/collector.env), which
 *    the collector container waits for when no real device is configured (collector/docker/start.ts);
 *    removes it again on SIGTERM.
 * The simulator keeps its refresh token in memory: after restarting this service, restart the
 * collector too (`docker compose --profile demo restart collector`).
 */
import { rmSync, writeFileSync, renameSync } from "node:fs";
import { createServer, connect, type Server } from "node:net";
import { metersEnv, startSimulator } from "../simulator/serve.ts";
import { loginToSimulator } from "./simulator-login.ts";

const REDIRECT_URI = "http://localhost:4200/";

/** Forwards TCP connections on 0.0.0.0:`port` to `target` (http://127.0.0.1:N). */
function forward(port: number, target: string): Promise<Server> {
  const { hostname, port: to } = new URL(target);
  const server = createServer((inbound) => {
    const outbound = connect(Number(to), hostname);
    inbound.pipe(outbound).pipe(inbound);
    inbound.on("error", () => outbound.destroy());
    outbound.on("error", () => inbound.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve(server));
  });
}

async function run(): Promise<void> {
  const env = process.env;
  const host = env.SIM_HOSTNAME || "simulator";
  const shellyPort = Number(env.SIM_SHELLY_PORT || 8081);
  const viessmannPort = Number(env.SIM_VIESSMANN_PORT || 8082);
  const backupPort = Number(env.SIM_BACKUP_PORT || 8083);
  const dataDir = env.DATA_DIR || "/data";
  const envFile = env.DEMO_ENV_FILE || "/run/demo/collector.env";
  const seed = Number(env.SIM_SEED || 1);

  const sim = await startSimulator({
    seed,
    tz: env.TZ && env.TZ !== "UTC" ? env.TZ : undefined,
    backupMeter: "proem",
  });
  const servers = [
    await forward(shellyPort, sim.shellyUrl),
    await forward(backupPort, sim.backupUrl!),
    await forward(viessmannPort, sim.viessmannApiUrl),
  ];
  await loginToSimulator({
    clientId: sim.env.VIESSMANN_CLIENT_ID!,
    authUrl: sim.env.VIESSMANN_AUTH_URL!,
    redirectUri: REDIRECT_URI,
    dataDir,
  });
  const viessmannUrl = `http://${host}:${viessmannPort}`;
  const shellyUrl = `http://${host}:${shellyPort}`;
  const collectorEnv = {
    SHELLY_METERS: metersEnv(shellyUrl, `http://${host}:${backupPort}`, "proem"),
    VIESSMANN_CLIENT_ID: sim.env.VIESSMANN_CLIENT_ID!,
    VIESSMANN_API_URL: viessmannUrl,
    VIESSMANN_AUTH_URL: viessmannUrl,
    VIESSMANN_REDIRECT_URI: REDIRECT_URI,
  };
  writeFileSync(
    `${envFile}.tmp`,
    Object.entries(collectorEnv)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
  );
  renameSync(`${envFile}.tmp`, envFile);
  console.log(`simulator: Shelly meters ${collectorEnv.SHELLY_METERS}, Viessmann API on ${viessmannUrl}`);
  console.log(`simulator: logged in (token in ${dataDir}), collector settings in ${envFile}`);

  const stop = () => {
    rmSync(envFile, { force: true });
    for (const s of servers) s.close();
    void sim.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

run().catch((e: unknown) => {
  console.error(`simulator: could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
