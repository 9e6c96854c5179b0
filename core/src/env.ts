/**
 * Reading the environment: `process.env` merged over a `.env` file in the working directory (the
 * environment wins). Config modules (collector, reports, site) call `readEnv()` once and validate
 * the result with zod; `configError()` turns zod issues into one message per variable, naming the
 * variable and the fix.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseEnv } from "node:util";
// The validation core only, so both `zod` schemas (reports, site) and `zod/mini` schemas (collector) parse here.
import { type $ZodType, type output, safeParse } from "zod/v4/core";

export type Env = Readonly<Record<string, string | undefined>>;

export function readEnv(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Env {
  const file = join(cwd, ".env");
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, "utf8")) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  // An empty value means "unset", as in most .env conventions.
  for (const [k, v] of Object.entries(merged)) if (v === "") delete merged[k];
  return merged;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Parses `env` with `schema`; throws ConfigError listing every bad variable (never its value if secret). */
export function parseConfig<S extends $ZodType>(schema: S, env: Env): output<S> {
  const r = safeParse(schema, env);
  if (r.success) return r.data;
  throw new ConfigError(
    r.error.issues.map((i) => {
      const name = String(i.path[0] ?? "configuration");
      return `${name}: ${i.message}`;
    }),
  );
}

/**
 * `INFLUX_TOKEN_FILE`: path of a file holding the InfluxDB token (in Docker, written by the InfluxDB
 * init step; see docker-compose.yml). Used only when `INFLUX_TOKEN` itself is unset; the content is
 * trimmed. Returns `env` with INFLUX_TOKEN filled in. The collector and the report engine
 * apply the same rule.
 */
export function withTokenFile(env: Env, cwd = process.cwd()): Env {
  const file = env.INFLUX_TOKEN_FILE;
  if (!file || env.INFLUX_TOKEN) return env;
  let token: string;
  try {
    token = readFileSync(resolve(cwd, file), "utf8").trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError([
      `INFLUX_TOKEN_FILE: cannot read ${file} (${code}); point it at the token file or set INFLUX_TOKEN instead`,
    ]);
  }
  if (!token) throw new ConfigError([`INFLUX_TOKEN_FILE: ${file} is empty; it must hold the InfluxDB token`]);
  return { ...env, INFLUX_TOKEN: token };
}
