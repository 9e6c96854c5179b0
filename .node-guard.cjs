// Every npm script runs this first (or preloads it): the project needs Node 24, pinned as the
// `node` devDependency whose binary npm puts first on PATH. A `--ignore-scripts` install leaves no
// binary behind, and the system Node (20 on these machines) would then run instead and fail in
// confusing ways, so stop here with the fix.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `heatpump-monitor needs Node 24 but this is Node ${process.versions.node} (${process.execPath}).\n` +
      "The project pins Node 24 as the npm package `node`; its install script puts the binary in node_modules/.bin.\n" +
      "Fix: run `npm ci` (without --ignore-scripts), then start commands through `npm run ...`.",
  );
  process.exit(1);
}
