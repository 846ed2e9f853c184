// The direction of the code, checked by `npm run lint` (and so by CI): data flows inputs → config → plan → AWS →
// rollout → report, and the modules that decide stay apart from the ones that talk to AWS or the runner.
//
// Layers, lowest first; a module may import its own layer and the ones below it, never one above:
//   errors.ts, result.ts, lazy.ts, text/   pure helpers every layer uses, the run's result, loading a chunk late
//   config/            TOML text → validated config
//   plan/, preflight/  pure decisions: images, secrets, the task definition, the diff, reuse or deploy;
//                      the pre-flight's judges of what AWS answered (preflight/)
//   aws/, github/      the calls: the SDK clients (aws/), GitHub's REST API (github/)
//   rollout/, task/    the watchers: the rollout, and a one-off task (rollout/verdict/ and task/verdict.ts pure)
//   report/            the job summary
//   host/              where the run prints (the GitHub runner, a terminal)
//   steps/, inputs.ts, workspace.ts   one module per logged step; the readers of inputs and files
//   main.ts, index.ts, cli.ts, app/   the run, in order, its entry points, and the run of several services

/** Pure folders: no AWS, no runner, no file system. Type-only imports of SDK shapes are allowed (erased at build). */
const PURE =
  "^src/(errors\\.ts|result\\.ts|lazy\\.ts|text/|config/|plan/|preflight/|rollout/verdict/|task/verdict\\.ts|report/)";
// Packages are matched by their resolved path (node_modules/…), Node's own modules by name.
const IO_MODULES =
  "(^|/)node_modules/(@aws-sdk|@actions|@smithy)/|^(node:)?(fs|fs/promises|child_process|net|http|https|dgram|os)$";

/** Each layer and the layers above it, which it must not import. */
const ABOVE = {
  "src/(errors\\.ts|result\\.ts|lazy\\.ts|text/)": "src/(?!errors\\.ts|result\\.ts|lazy\\.ts|text/)",
  "src/config/":
    "src/(plan|aws|github|rollout|task|report|host|steps)/|src/app/|src/(main|index|cli|inputs|workspace)\\.ts",
  "src/(plan|preflight)/":
    "src/(aws|github|rollout|task|report|host|steps)/|src/app/|src/(main|index|cli|inputs|workspace)\\.ts",
  "src/(aws|github)/": "src/(rollout|task|report|host|steps)/|src/app/|src/(main|index|cli|inputs|workspace)\\.ts",
  "src/(rollout|task)/": "src/(report|host|steps)/|src/app/|src/(main|index|cli|inputs|workspace)\\.ts",
  "src/report/": "src/(host|steps)/|src/app/|src/(main|index|cli|inputs|workspace)\\.ts",
  "src/host/": "src/steps/|src/app/|src/(main|index|cli|inputs|workspace)\\.ts",
  "src/(steps/|inputs\\.ts|workspace\\.ts)": "src/app/|src/(main|index|cli)\\.ts",
};

/** A folder reached from outside through its public files only (`open`, a pattern under the folder). */
function facade(folder, open, comment) {
  return {
    name: `${folder}-through-its-facade`,
    severity: "error",
    comment,
    from: { path: "^src/", pathNot: `^src/${folder}/` },
    to: { path: `^src/${folder}/`, pathNot: `^src/${folder}/${open}$` },
  };
}

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Modules that import each other in a circle: split out what both need.",
      from: {},
      to: { circular: true },
    },
    {
      name: "pure-stays-pure",
      severity: "error",
      comment:
        "A pure module (errors, text, config, plan, rollout/verdict, report) must not call AWS, the runner or the file system: take the data as a parameter, and do the I/O in aws/, steps/ or workspace.ts.",
      from: { path: PURE },
      to: { path: IO_MODULES, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "pure-stays-pure-in-src",
      severity: "error",
      comment: "A pure module must not import a module that does I/O (aws/, host/, steps/, the rollout's watcher).",
      from: { path: PURE },
      to: {
        path: "^src/(aws/|github/|host/|steps/|rollout/(?!verdict/)|task/follow\\.ts|inputs\\.ts|workspace\\.ts|main\\.ts)",
        dependencyTypesNot: ["type-only"],
      },
    },
    ...Object.entries(ABOVE).map(([layer, above]) => ({
      name: `layers-${layer.replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "")}`,
      severity: "error",
      comment: "Layers import downwards only: inputs → config → plan → aws → rollout → report → host → steps → main.",
      from: { path: `^${layer}` },
      to: { path: `^(${above})` },
    })),
    {
      name: "inputs-read-in-one-place",
      severity: "error",
      comment: "Only src/inputs.ts and the host read or write through @actions/core: steps print through the Host.",
      from: { path: "^src/", pathNot: "^src/(inputs\\.ts|host/github\\.ts)$" },
      to: { path: "(^|/)node_modules/@actions/core/" },
    },
    {
      name: "aws-sdk-in-aws-only",
      severity: "error",
      comment: "SDK clients and commands are used in src/aws/ only (type-only imports of their shapes are fine).",
      from: { path: "^src/", pathNot: "^src/aws/" },
      to: { path: "(^|/)node_modules/@aws-sdk/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "github-api-in-github-only",
      severity: "error",
      comment: "GitHub's REST API is called from src/github/ only, as AWS is from src/aws/.",
      from: { path: "^src/", pathNot: "^src/github/" },
      to: { path: "(^|/)node_modules/(@actions/http-client|@actions/github|@octokit)/" },
    },
    facade(
      "config",
      "index\\.ts",
      "Outside src/config/, the config is reached through src/config/index.ts only: export what you need from there, so the schema's files can move without touching their users.",
    ),
    facade(
      "rollout",
      "(index\\.ts|abort\\.ts|calls\\.ts|io\\.ts|log-tail\\.ts|poll\\.ts|verdict/.*)",
      "Outside src/rollout/, the watcher is reached through src/rollout/index.ts only (the pure verdict engine, rollout/verdict/, may be imported for its helpers). The task follower (src/task/) shares the polling parts (abort, calls, io, log-tail, poll) directly: importing them through index.ts would put the whole watcher in the bundle's main file, which the process compiles before its first AWS request.",
    ),
    {
      name: "tests-not-imported",
      severity: "error",
      comment: "Production code never imports tests or scripts.",
      from: { path: "^src/" },
      to: { path: "^(__tests__|scripts)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
