/**
 * A builder that dies while publishing (tests): runs the publish stage of a build whose files and plan
 * a test captured, and kills itself with SIGKILL (as `kill -9` would) right after the `cut`-th step
 * that changes what is live: a page (`.html`) renamed into SITE_OUT, or a file or folder in it
 * removed. Exits 0 when the publish has fewer steps than that.
 *
 *   node site/test/support/publish-cut.ts BUILD_FOLDER SITE_OUT PLAN_JSON CUT
 *
 * The steps are counted in node:fs itself (its exports patched before the builder's modules load),
 * so the builder carries no hook of its own for this.
 */
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import type { BuildPlan } from "../../builder/build-context.ts";

const [fresh, siteOut, planFile, cutArg] = process.argv.slice(2);
if (!fresh || !siteOut || !planFile || !cutArg) {
  console.error("usage: node site/test/support/publish-cut.ts BUILD_FOLDER SITE_OUT PLAN_JSON CUT");
  process.exit(2);
}
const cut = Number(cutArg);
let steps = 0;
const live = (path: fs.PathLike) => String(path).startsWith(`${siteOut}/`);
const step = () => {
  if (++steps === cut) process.kill(process.pid, "SIGKILL");
};

const { renameSync, rmSync, rmdirSync, unlinkSync } = fs;
fs.renameSync = (from, to) => {
  renameSync(from, to);
  if (live(to) && String(to).endsWith(".html")) step();
};
fs.rmSync = (path, opts) => {
  rmSync(path, opts);
  if (live(path)) step();
};
fs.rmdirSync = (path, opts) => {
  rmdirSync(path, opts);
  if (live(path)) step();
};
fs.unlinkSync = (path) => {
  unlinkSync(path);
  if (live(path)) step();
};
syncBuiltinESMExports();

const { publishBuild } = await import("../../builder/publish.ts");
publishBuild(fresh, siteOut, JSON.parse(fs.readFileSync(planFile, "utf8")) as BuildPlan);
