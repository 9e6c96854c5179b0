/**
 * Durable writes (durable-file.ts): the data is fsynced before the rename makes it the file, and the
 * folder after it. Nothing else shows whether fsync was called (the file reads the same either way
 * until a power cut), so fs is wrapped and the calls are listed in order.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type * as Fs from "node:fs";
import type * as FsPromises from "node:fs/promises";
import { beforeEach, describe, expect, it, vi } from "vitest";

const calls = vi.hoisted(() => ({ list: [] as string[], fds: new Map<number, string>() }));
const name = (p: unknown) => {
  const b = String(p).split("/").at(-1)!;
  return b.endsWith(".tmp") ? "temp file" : b;
};

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  return {
    ...fs,
    openSync: (path: string, ...rest: unknown[]) => {
      const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
      calls.fds.set(fd, path);
      return fd;
    },
    fsyncSync: (fd: number) => {
      calls.list.push(`fsync ${name(calls.fds.get(fd))}`);
      fs.fsyncSync(fd);
    },
    renameSync: (from: string, to: string) => {
      calls.list.push(`rename ${name(from)} -> ${name(to)}`);
      fs.renameSync(from, to);
    },
  };
});

vi.mock("node:fs/promises", async (importOriginal) => {
  const fsp = await importOriginal<typeof FsPromises>();
  return {
    ...fsp,
    open: async (path: string, ...rest: unknown[]) => {
      const h = await (fsp.open as (...a: unknown[]) => Promise<FsPromises.FileHandle>)(path, ...rest);
      const sync = h.sync.bind(h);
      h.sync = async () => {
        calls.list.push(`fsync ${name(path)}`);
        await sync();
      };
      return h;
    },
    rename: async (from: string, to: string) => {
      calls.list.push(`rename ${name(from)} -> ${name(to)}`);
      await fsp.rename(from, to);
    },
  };
});

const { writeFileDurable, writeFileDurableAsync, writeJsonAtomic, moveFilesDurable } =
  await import("../src/durable-file.ts");

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "durable-"));
  calls.list.length = 0;
});

describe("durable writes fsync the data before the rename and the folder after it", () => {
  it("writeFileDurable", () => {
    writeFileDurable(join(dir, "state.json"), "{}", { mode: 0o600 });
    expect(calls.list).toEqual([
      "fsync temp file",
      "rename temp file -> state.json",
      `fsync ${basename(dir)}`,
    ]);
    expect(readFileSync(join(dir, "state.json"), "utf8")).toBe("{}");
    expect(statSync(join(dir, "state.json")).mode & 0o777).toBe(0o600);
    // No temp file left behind.
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("writeFileDurableAsync", async () => {
    await writeFileDurableAsync(join(dir, "cursor"), "42");
    expect(calls.list).toEqual(["fsync temp file", "rename temp file -> cursor", `fsync ${basename(dir)}`]);
    expect(readFileSync(join(dir, "cursor"), "utf8")).toBe("42");
  });

  it("writeJsonAtomic: pretty with a final newline, or compact", () => {
    writeJsonAtomic(join(dir, "a.json"), { a: 1 }, { pretty: true });
    writeJsonAtomic(join(dir, "b.json"), { b: 2 });
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe('{\n  "a": 1\n}\n');
    expect(readFileSync(join(dir, "b.json"), "utf8")).toBe('{"b":2}');
    expect(calls.list.filter((c) => c === "fsync temp file")).toHaveLength(2);
  });

  it("moveFilesDurable: each file fsynced, then the renames in order, then each folder once", () => {
    writeFileDurable(join(dir, "x.html"), "x");
    writeFileDurable(join(dir, "y.html"), "y");
    calls.list.length = 0;
    moveFilesDurable([
      { from: join(dir, "x.html"), to: join(dir, "site", "x.html") },
      { from: join(dir, "y.html"), to: join(dir, "site", "y.html") },
    ]);
    expect(calls.list).toEqual([
      "fsync x.html",
      "fsync y.html",
      "rename x.html -> x.html",
      "rename y.html -> y.html",
      "fsync site",
    ]);
  });
});
