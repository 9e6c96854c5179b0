// The layout's rules, checked by `npm run lint` (dependency-cruiser for .ts/.mjs; the .astro pages
// and components, which dependency-cruiser cannot parse, by .config/astro-imports.ts with the same
// rules). Type-only imports count (tsPreCompilationDeps): they tie files together as much as any.
//
//   core/        what every program uses; imports nothing above it
//   collector/   the collector (src/), its device simulator (simulator/, dev and tests only)
//   reports/     the report engine; its production code imports only core/
//   site/        the pages (src/) and the builder (builder/); never the collector
/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const forbidden = [
  {
    name: "no-circular",
    comment: "An import circle (type-only imports included): split out what both sides need.",
    severity: "error",
    from: {},
    to: { circular: true },
  },
  {
    name: "core-imports-nothing-above",
    comment: "core/ is what every program uses: it imports nothing from collector/, reports/ or site/.",
    severity: "error",
    from: { path: "^core/" },
    to: { path: "^(collector|reports|site)/" },
  },
  {
    name: "collector-below-reports-and-site",
    comment: "The collector never imports the report engine or the site.",
    severity: "error",
    from: { path: "^collector/" },
    to: { path: "^(reports|site)/" },
  },
  {
    name: "collector-runs-no-simulator",
    comment: "The collector's production code never imports the device simulator (kept out of its bundle).",
    severity: "error",
    from: { path: "^collector/src/" },
    to: { path: "^collector/(simulator|test)/" },
  },
  {
    name: "reports-below-site",
    comment: "The report engine never imports the site.",
    severity: "error",
    from: { path: "^reports/" },
    to: { path: "^site/" },
  },
  {
    name: "reports-imports-only-core",
    comment: "The report engine's production code imports core/ only, never the collector.",
    severity: "error",
    from: { path: "^reports/src/" },
    to: { path: "^collector/" },
  },
  {
    name: "site-imports-no-collector",
    comment: "The pages and the builder import core/ and reports/, never the collector.",
    severity: "error",
    from: { path: "^site/(src|builder|nginx)/" },
    to: { path: "^collector/" },
  },
  {
    name: "pages-below-builder",
    comment: "Pages and their view code never import the builder (the builder hands them their data).",
    severity: "error",
    from: { path: "^site/src/" },
    to: { path: "^site/(builder|dev)/" },
  },
  {
    name: "builder-runs-no-dev-program",
    comment: "The builder's image has no site/dev/ (demo, screenshots): the builder never imports it.",
    severity: "error",
    from: { path: "^site/builder/" },
    to: { path: "^site/dev/" },
  },
  {
    name: "production-imports-no-test",
    comment: "Production code never imports test code.",
    severity: "error",
    from: { path: "^(core|collector|reports|site)/(src|builder|simulator|nginx)/" },
    to: { path: "/test/" },
  },
  ...[
    // The report engine reads top-down: store -> metrics (a day) -> rollup (periods) -> engine -> output.
    ["store", "metrics|rollup|engine|output"],
    ["metrics", "rollup|engine|output"],
    ["rollup", "engine|output"],
    ["engine", "output"],
  ].map(([from, above]) => ({
    name: `reports-${from}-below-${above.replaceAll("|", "-")}`,
    comment: `reports/src/${from}/ is below ${above.replaceAll("|", ", ")}: it never imports them.`,
    severity: "error",
    from: { path: `^reports/src/${from}/` },
    to: { path: `^reports/src/(${above})/` },
  })),
  {
    name: "reports-types-is-a-leaf",
    comment: "reports/src/types.ts is the contract between the engine and the site: it imports nothing.",
    severity: "error",
    from: { path: "^reports/src/types\\.ts$" },
    to: { path: "^(core|collector|reports|site)/" },
  },
];

module.exports = {
  forbidden,
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: ".config/tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|\\.astro)/" },
    extraExtensionsToScan: [".astro"],
  },
};
