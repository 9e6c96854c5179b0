/**
 * The site's pages (site/src/pages/**: .astro components and the JSON and CSV endpoint modules)
 * compiled once by Vite with Astro's own plugins, the way `astro build` compiles them, into plain
 * ES modules under site/.astro/pages/<key>/ that any thread can import without Vite.
 *
 * A compiled copy is reused as long as every source file that went into it is unchanged (each
 * copy lists its inputs with their hashes), so a builder restarted without a code change starts
 * without loading Vite at all; a change compiles again (about 2 s). The key of the copy is also the
 * site's design: a change to any page source, or to the versions of Astro, Plot or linkedom,
 * renders every page again.
 *
 * Pages carry no CSS or script of their own: the stylesheet is inlined by Layout.astro (from
 * src/lib/css.ts), so every page, and every archived month, is one self-contained file. A component
 * with a <style> or <script> block is refused here, with the fix, rather than published without it.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PAGE_MODULES } from "./page-table.ts";

/** Where the pages of the project are compiled: inside the project, so the bare imports of the
 * compiled modules (astro, @observablehq/plot, linkedom) resolve from its node_modules. */
const SITE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const REPO_ROOT = resolve(SITE_ROOT, "..");

/** Packages imported by the compiled pages (not compiled into them): their versions are part of the key. */
const RUNTIME_PACKAGES = ["astro", "@observablehq/plot", "linkedom"];
/** A compiled copy of older sources is removed after a day (a builder started before the sources
 * changed may still be importing from it). */
const STALE_MS = 86_400_000;

export interface CompiledPages {
  /** Folder of the compiled modules. */
  dir: string;
  /** The compiled file (relative to `dir`) of each page module (relative to src/pages). */
  files: Record<string, string>;
  /** Hash of every input and runtime package version (16 hex digits). */
  key: string;
  /** Whether this call compiled (false: an up-to-date copy was reused). */
  compiled: boolean;
}

interface Inputs {
  /** Source files (relative to the repository) and their SHA-256. */
  files: Record<string, string>;
  /** Versions of RUNTIME_PACKAGES and of the compiler itself (vite). */
  packages: Record<string, string>;
}

class PageCompileError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "PageCompileError";
  }
}

function compiledFiles(dir: string): Record<string, string> | null {
  try {
    return JSON.parse(readFileSync(join(dir, "modules.json"), "utf8")) as Record<string, string>;
  } catch {
    return null;
  }
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function packageVersions(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pkg of [...RUNTIME_PACKAGES, "vite"]) {
    try {
      out[pkg] = (
        JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")) as {
          version: string;
        }
      ).version;
    } catch {
      out[pkg] = "missing";
    }
  }
  return out;
}

function keyOf(inputs: Inputs): string {
  const files = Object.entries(inputs.files).sort(([a], [b]) => (a < b ? -1 : 1));
  return sha256(JSON.stringify([files, inputs.packages])).slice(0, 16);
}

/** Whether every input of a compiled copy still has the hash it was compiled from. */
function upToDate(inputs: Inputs, repoRoot: string, packages: Record<string, string>): boolean {
  if (JSON.stringify(inputs.packages) !== JSON.stringify(packages)) return false;
  for (const [rel, hash] of Object.entries(inputs.files)) {
    try {
      if (sha256(readFileSync(join(repoRoot, rel))) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** An import left to Node at run time: a package (`astro/...`, `linkedom`) or a builtin (`node:fs`). */
const isRuntimeImport = (id: string) =>
  /^(?:node:|[@a-z])/i.test(id) && !/^[a-z]+:(?!\/\/)/i.test(id.replace(/^node:/, ""));

export interface CompileOptions {
  /** The Astro project (default: this site). Tests compile small fixture projects. */
  siteRoot?: string;
  /** Folder holding the compiled copies (default `<siteRoot>/.astro/pages`). */
  cacheDir?: string;
  /** The page modules to compile, relative to `<siteRoot>/src/pages` (default PAGE_MODULES). */
  modules?: readonly string[];
}

/** The compiled pages, compiling them first if no up-to-date copy exists. */
export async function compilePages(opts: CompileOptions = {}): Promise<CompiledPages> {
  const siteRoot = opts.siteRoot ?? SITE_ROOT;
  const repoRoot = opts.siteRoot ? siteRoot : REPO_ROOT;
  const cacheDir = opts.cacheDir ?? join(siteRoot, ".astro", "pages");
  const modules = opts.modules ?? PAGE_MODULES;
  const packages = packageVersions(
    existsSync(join(siteRoot, "node_modules", "astro")) ? siteRoot : REPO_ROOT,
  );
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch (e) {
    throw new PageCompileError(
      `cannot create ${cacheDir} for the compiled pages (${(e as NodeJS.ErrnoException).code}): ` +
        "the site builder needs write access to it",
      { cause: e },
    );
  }
  // Another builder may be removing or renaming a copy meanwhile: one that is gone is no copy.
  const old = (dir: string) =>
    Date.now() - (statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_MS;
  for (const name of readdirSync(cacheDir)) {
    const dir = join(cacheDir, name);
    if (name.includes(".tmp-")) {
      if (old(dir)) rmSync(dir, { recursive: true, force: true });
      continue;
    }
    let inputs: Inputs;
    try {
      inputs = JSON.parse(readFileSync(join(dir, "inputs.json"), "utf8")) as Inputs;
    } catch {
      continue;
    }
    const files = compiledFiles(dir);
    if (upToDate(inputs, repoRoot, packages) && files && modules.every((m) => files[m]))
      return { dir, files, key: name, compiled: false };
    if (old(dir)) rmSync(dir, { recursive: true, force: true });
  }

  const tmp = join(cacheDir, `build.tmp-${process.pid}-${Date.now()}`);
  try {
    const { inputs, files } = await compile(siteRoot, repoRoot, tmp, modules, packages);
    const key = keyOf(inputs);
    writeFileSync(join(tmp, "modules.json"), JSON.stringify(files, null, 1));
    // Written last: a copy without it (a compile cut off) is never used.
    writeFileSync(join(tmp, "inputs.json"), JSON.stringify(inputs, null, 1));
    const dir = join(cacheDir, key);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process compiled the same sources at the same time: its copy is as good.
      if (!["ENOTEMPTY", "EEXIST"].includes((e as NodeJS.ErrnoException).code ?? "")) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
    return { dir, files, key, compiled: true };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function compile(
  siteRoot: string,
  repoRoot: string,
  outDir: string,
  modules: readonly string[],
  packages: Record<string, string>,
): Promise<{ inputs: Inputs; files: Record<string, string> }> {
  // Loaded only here: a builder that finds its pages compiled never loads Vite.
  const [{ getViteConfig }, vite] = await Promise.all([import("astro/config"), import("vite")]);
  // Astro's Vite configuration of this project (astro.config.mjs: compressHTML and the rest), as
  // `astro build` makes it; only the output differs: ES modules, one per page, not pages.
  const astroVite = await getViteConfig(
    {},
    { root: siteRoot, logLevel: "error" },
  )({
    mode: "production",
    command: "build",
  });
  const files: Record<string, string> = {};
  // The compiler and the renderer shape every page too.
  for (const f of [
    "astro.config.mjs",
    ...readdirSync(join(SITE_ROOT, "builder", "render")).map((n) => `builder/render/${n}`),
  ])
    if (existsSync(join(siteRoot, f)))
      files[relative(repoRoot, join(siteRoot, f))] = sha256(readFileSync(join(siteRoot, f)));
  const problems: string[] = [];
  const built = await vite.build({
    ...astroVite,
    configFile: false,
    logLevel: "error",
    plugins: [
      ...(astroVite.plugins ?? []),
      {
        name: "heatpump:page-inputs",
        buildEnd() {
          for (const id of this.getModuleIds()) {
            const [file = "", query = ""] = id.split("?");
            if (/(?:^|&)type=(?:style|script)(?:&|$)/.test(query) || /\.(css|scss|less)$/.test(file))
              problems.push(relative(siteRoot, file) || file);
            if (file.startsWith("/") && existsSync(file) && !file.includes("/node_modules/"))
              files[relative(repoRoot, file)] = sha256(readFileSync(file));
          }
        },
      },
    ],
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      minify: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      rollupOptions: {
        input: Object.fromEntries(modules.map((m) => [m, join(siteRoot, "src", "pages", m)])),
        external: (id: string) => isRuntimeImport(id),
        output: { format: "es", entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs" },
      },
    },
  });
  if (problems.length)
    throw new PageCompileError(
      `site pages must not carry their own CSS or scripts, but ${[...new Set(problems)].join(", ")} do: ` +
        "put styles into site/src/lib/css.ts (inlined into every page, so archived months stay " +
        "self-contained) and leave scripts out (the site ships no JavaScript)",
    );
  const entries: Record<string, string> = {};
  for (const out of [built].flat())
    if ("output" in out)
      for (const chunk of out.output)
        if (chunk.type === "chunk" && chunk.isEntry && chunk.facadeModuleId)
          entries[relative(join(siteRoot, "src", "pages"), chunk.facadeModuleId.split("?")[0]!)] =
            chunk.fileName;
  const missing = modules.filter((m) => !entries[m]);
  if (missing.length) throw new PageCompileError(`Vite compiled no module for ${missing.join(", ")}`);
  return { inputs: { files, packages }, files: entries };
}
