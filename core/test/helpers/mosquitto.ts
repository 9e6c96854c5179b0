/**
 * A real MQTT broker for the tests: Debian's mosquitto (`apt-get install mosquitto mosquitto-clients`;
 * .ci/run installs both), started on a free loopback port with an explicit configuration file, so
 * no system configuration or running broker is involved. A test that needs it fails, never skips,
 * when mosquitto is missing.
 *
 * ```ts
 * const broker = await startMosquitto();                       // anonymous
 * const locked = await startMosquitto({ users: { hp: "pw" } }); // a password file, no anonymous
 * broker.url;               // mqtt://127.0.0.1:<port>
 * await broker.restart();   // stop and start on the same port: retained messages are gone
 * await broker.stop();
 * ```
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";

export interface Mosquitto {
  readonly url: string;
  readonly port: number;
  /** What mosquitto wrote to stderr and stdout (its log). */
  readonly log: string[];
  /** Stops the broker (SIGTERM) and starts it again on the same port, without persistence. */
  restart(): Promise<void>;
  /** Stops it; the port stays closed until `start()`. */
  pause(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = tcpConnect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

export async function startMosquitto(opts: { users?: Record<string, string> } = {}): Promise<Mosquitto> {
  if (!existsSync(MOSQUITTO))
    throw new Error(
      `mosquitto is not installed (${MOSQUITTO} missing): install it with ` +
        "`sudo apt-get install mosquitto mosquitto-clients`; the MQTT tests need a real broker",
    );
  const dir = await mkdtemp(join(tmpdir(), "mosquitto-"));
  const port = await freePort();
  const lines = [`listener ${port} 127.0.0.1`, "persistence false", "log_dest stderr", "log_type all"];
  // Started as root, mosquitto would switch to the user `mosquitto`, who cannot read our temporary files.
  if (process.getuid?.() === 0) lines.push("user root");
  if (opts.users) {
    const passwd = join(dir, "passwd");
    await writeFile(passwd, "", { mode: 0o600 });
    for (const [user, pw] of Object.entries(opts.users))
      execFileSync("/usr/bin/mosquitto_passwd", ["-b", passwd, user, pw], { stdio: "ignore" });
    lines.push("allow_anonymous false", `password_file ${passwd}`);
  } else lines.push("allow_anonymous true");
  const conf = join(dir, "mosquitto.conf");
  await writeFile(conf, lines.join("\n") + "\n");
  const log: string[] = [];
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const c = spawn(MOSQUITTO, ["-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
    child = c;
    // A test worker that ends without stop() (a timeout, a crash) leaves no broker behind.
    const orphan = () => c.kill("SIGKILL");
    process.once("exit", orphan);
    c.once("exit", () => process.off("exit", orphan));
    c.stdout!.on("data", (d: Buffer) => log.push(d.toString()));
    c.stderr!.on("data", (d: Buffer) => log.push(d.toString()));
    for (let i = 0; i < 200; i++) {
      if (c.exitCode !== null) throw new Error(`mosquitto exited (${c.exitCode}):\n${log.join("")}`);
      if (await canConnect(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`mosquitto did not listen on ${port} within 5 s:\n${log.join("")}`);
  }
  async function pause(): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await exited;
  }
  try {
    await start();
  } catch (e) {
    await pause();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    log,
    async restart() {
      await pause();
      await start();
    },
    pause,
    start,
    async stop() {
      await pause();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
