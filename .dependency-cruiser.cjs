/**
 * The layer rule: imports point down only (shared primitives ← config ← components ← program ←
 * offline tooling), functions and infrastructure meet only in a function's contract.ts.
 * `npm run lint` runs it; tests/unit/layers.test.ts shows a forbidden import failing it.
 */
const CONTRACT = "^functions/[^/]+/[^/]+/contract\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "functions-stay-out-of-infrastructure",
      comment: "Function code is bundled into Lambdas: it never imports components, the program, tooling or the pack.",
      severity: "error",
      from: { path: "^functions/" },
      to: { path: "^(components|program|offline|policy|tests)/|^index\\.ts$" },
    },
    {
      name: "infrastructure-uses-only-function-contracts",
      comment: "Infrastructure and a function share only the function's contract.ts (env names, secret shape, limits).",
      severity: "error",
      from: { path: "^(components|program|policy)/|^index\\.ts$" },
      to: { path: "^functions/", pathNot: CONTRACT },
    },
    {
      name: "contracts-are-self-contained",
      comment:
        "A contract imports nothing but Node built-ins, so both sides can import it without pulling the other in.",
      severity: "error",
      from: { path: CONTRACT },
      to: { dependencyTypesNot: ["core"] },
    },
    {
      name: "shared-primitives-import-no-layer-above",
      comment: "components/shared is the bottom layer: no config, no area, no program.",
      severity: "error",
      from: { path: "^components/shared/" },
      to: { path: "^(components/(?!shared/)|program/|offline/|policy/|functions/)|^index\\.ts$" },
    },
    {
      name: "config-imports-only-shared-primitives",
      comment: "The config model is pure and below every component.",
      severity: "error",
      from: { path: "^components/config/" },
      to: { path: "^(components/(?!(config|shared)/)|program/|offline/|policy/|functions/)|^index\\.ts$" },
    },
    {
      name: "components-import-no-program-or-tooling",
      comment: "Components are composed by the program, never the other way round.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^(program|offline|policy|tests)/|^index\\.ts$" },
    },
    {
      name: "program-imports-no-tooling",
      comment: "The program is what `pulumi up` runs: no offline tooling, no tests, no pack.",
      severity: "error",
      from: { path: "^program/|^index\\.ts$" },
      to: { path: "^(offline|policy|tests)/" },
    },
    {
      name: "policy-pack-imports-only-shared-primitives",
      comment: "The pack runs in the analyzer: it loads no component, program or SDK-heavy code.",
      severity: "error",
      from: { path: "^policy/" },
      to: { path: "^(components/(?!shared/environments\\.ts$)|program/|offline/|functions/|tests/)|^index\\.ts$" },
    },
    {
      name: "offline-tooling-imports-no-tests",
      severity: "error",
      from: { path: "^offline/" },
      to: { path: "^tests/" },
    },
    {
      name: "no-cycles",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|bin|plan)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
