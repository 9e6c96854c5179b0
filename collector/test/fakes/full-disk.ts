/**
 * A disk that fills up, for tests: `fillable(fs)` wraps `node:fs/promises` so that while `disk.full`
 * is set, every call under `disk.root` that needs new blocks fails with ENOSPC, as on a full ext4
 * (no root reserve): writing data (FileHandle write/writeFile/appendFile, fs.writeFile/appendFile)
 * and creating a directory. What needs no new block still works: creating an empty file (a free
 * inode), rename, link, unlink, truncate, reading. A handle's first write on a full disk puts its
 * first 10 bytes down and fails on the rest, like a write that ran into the last free block.
 * `statfs` reports 0 bytes available while full. Install it in a test file with
 *
 * ```ts
 * vi.mock("node:fs/promises", async (importOriginal) =>
 *   (await import("./fakes/full-disk.ts")).fillable(await importOriginal()),
 * );
 * ```
 *
 * and the collector's own modules (journal, queue, lock) get the wrapped functions.
 */
import type { StatsFs } from "node:fs";
import type * as fsp from "node:fs/promises";

type Fs = typeof fsp;

export const disk = {
  /** Set to fill the disk, clear to free it. */
  full: false,
  /** Only paths under this directory are on the fillable disk. */
  root: "/nonexistent-disk-root",
  /** ENOSPC errors raised so far. */
  refusals: 0,
};

const onDisk = (path: unknown) => disk.full && String(path).startsWith(disk.root);

function enospc(syscall: string, path: unknown): NodeJS.ErrnoException {
  disk.refusals++;
  return Object.assign(new Error(`ENOSPC: no space left on device, ${syscall} '${String(path)}'`), {
    code: "ENOSPC",
    errno: -28,
    syscall,
    path: String(path),
  });
}

const WRITES = new Set(["write", "writeFile", "appendFile", "writev"]);

function fillableHandle(handle: fsp.FileHandle, path: unknown): fsp.FileHandle {
  let partialDone = false;
  return new Proxy(handle, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (!WRITES.has(String(prop))) return fn.bind(target);
      return async (...args: unknown[]) => {
        if (!onDisk(path)) return fn.apply(target, args);
        if (prop === "write" && Buffer.isBuffer(args[0]) && !partialDone) {
          // The last free block: part of the data lands, the rest does not.
          partialDone = true;
          const [buf, offset = 0] = args as [Buffer, number?];
          return target.write(buf, offset, Math.min(10, buf.length - offset));
        }
        throw enospc("write", path);
      };
    },
  });
}

/** `fs` with the full-disk behaviour described above. */
export function fillable(fs: Fs): Fs {
  const open = (async (path: Parameters<Fs["open"]>[0], ...rest: unknown[]) =>
    fillableHandle(
      await (fs.open as (...a: unknown[]) => Promise<fsp.FileHandle>)(path, ...rest),
      path,
    )) as Fs["open"];
  const writeFile = (async (path: Parameters<Fs["writeFile"]>[0], ...rest: unknown[]) => {
    if (onDisk(path)) {
      await fs.writeFile(path, ""); // the file is created (an inode), its data is refused
      throw enospc("write", path);
    }
    return (fs.writeFile as (...a: unknown[]) => Promise<void>)(path, ...rest);
  }) as Fs["writeFile"];
  const appendFile = (async (path: Parameters<Fs["appendFile"]>[0], ...rest: unknown[]) => {
    if (onDisk(path)) throw enospc("write", path);
    return (fs.appendFile as (...a: unknown[]) => Promise<void>)(path, ...rest);
  }) as Fs["appendFile"];
  const mkdir = (async (path: Parameters<Fs["mkdir"]>[0], ...rest: unknown[]) => {
    if (onDisk(path)) {
      const exists = await fs.stat(path).then(
        () => true,
        () => false,
      );
      if (!exists) throw enospc("mkdir", path);
    }
    return (fs.mkdir as (...a: unknown[]) => Promise<string | undefined>)(path, ...rest);
  }) as Fs["mkdir"];
  const statfs = (async (path: Parameters<Fs["statfs"]>[0], ...rest: unknown[]) => {
    const s = await (fs.statfs as (...a: unknown[]) => Promise<StatsFs>)(path, ...rest);
    return onDisk(path) ? { ...s, bavail: 0, bfree: 0 } : s;
  }) as Fs["statfs"];
  const wrapped = { ...fs, open, writeFile, appendFile, mkdir, statfs };
  return { ...wrapped, default: wrapped } as Fs;
}
