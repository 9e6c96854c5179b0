/**
 * The command line, handled alike by every command (`collect`, `login`, `inspect`, `simulate`,
 * `report`, `build:site`, `builder`, `demo`, `build:collector`): an unknown option, a missing or a
 * bad value is one line naming it with the usage, and exit status 2, never a stack trace; `--help`
 * prints the usage. Exit codes are set with `process.exitCode`, so output still being written to a
 * pipe is never cut off by `process.exit()`.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** A command line (or an environment variable) the command cannot run with: exit status 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The usage to print with it, when not the command's own (a subcommand's). */
  readonly usage: string | undefined;
  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

/** Node's parseArgs messages, reworded to one short line that names the option or argument. */
function reword(e: NodeJS.ErrnoException): string {
  const named = /'([^']+)'/.exec(e.message)?.[1] ?? "";
  const option = named.split(" ")[0]!;
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing/.test(e.message) ? `${option} needs a value` : `${option} takes no value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${JSON.stringify(option)}`;
    default:
      return e.message;
  }
}

/** `args` parsed strictly against `options` (plus `--help`); throws UsageError naming what is wrong. */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: O,
  opts: { positionals?: boolean } = {},
) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: "boolean" } },
      strict: true,
      allowPositionals: opts.positionals ?? false,
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))
      throw new UsageError(reword(e as NodeJS.ErrnoException));
    throw e;
  }
}

/** The one line a UsageError prints: what is wrong, then how to call the command. */
export const usageLine = (message: string, usage: string): string => `${message} (${usage})`;

/**
 * Runs a command's main: its resolved number is the exit status; a UsageError prints one line and
 * exits 2; anything else is left to Node (a stack trace: a bug). Output is never cut off: the exit
 * status is set, not forced.
 */
export function runCommand(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (!(e instanceof UsageError)) throw e;
      process.stderr.write(`${usageLine(e.message, e.usage ?? usage)}\n`);
      process.exitCode = 2;
    },
  );
}

/**
 * Exits with `code` once stdout and stderr have taken everything written to them: for a command
 * that must end even if a library leaves a handle open (the demo), without cutting off its output.
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

/**
 * For top-level scripts: ends the command with `code` once its output is flushed. Never resolves,
 * so `await exitNow(2)` stops the script's top level right there.
 */
export function exitNow(code: number): Promise<never> {
  exitWhenFlushed(code);
  return new Promise<never>(() => {});
}

/**
 * For top-level scripts: the parsed command line, or, for `--help` or a UsageError, the usage or the
 * one-line error printed and the command ended (status 0 or 2).
 */
export async function commandLineOrExit<O extends ParseArgsOptionsConfig>(
  options: O,
  usage: string,
  opts: { positionals?: boolean } = {},
): Promise<ReturnType<typeof parseCommandLine<O>>> {
  try {
    const parsed = parseCommandLine(process.argv.slice(2), options, opts);
    if (!(parsed.values as { help?: boolean }).help) return parsed;
    process.stdout.write(`${usage}\n`);
    return await exitNow(0);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${usageLine(e.message, e.usage ?? usage)}\n`);
    return await exitNow(2);
  }
}
