// `npm run bench`: the figures we hold ourselves to, measured on the bundled action as the runner runs it.
// Writes bench/results.md and bench/results.json, and the figures into docs/benchmarks.md between its bench markers.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appBench } from "./lib/bench-app.mjs";
import { faultBench } from "./lib/bench-faults.mjs";
import { githubBench } from "./lib/bench-github.mjs";
import { historyBench } from "./lib/bench-history.mjs";
import { preDeployBench } from "./lib/bench-predeploy.mjs";
import { startupBench } from "./lib/bench-startup.mjs";
import { strategiesBench } from "./lib/bench-strategies.mjs";
import { motoEnv, startMoto } from "./lib/moto.mjs";
import { sequentialRoundTrips, startProxy } from "./lib/proxy.mjs";
import { rolloutBench } from "./lib/rollout-bench.mjs";
import { ROOT, runAction } from "./lib/run-action.mjs";
import { guideConfig, seedWorld } from "./lib/seed.mjs";

const OFFICIAL_DIST_BYTES = 3.0 * 1024 * 1024;
const RUNS = 5;
/** What the proxy adds to every answer: a round trip to an AWS region from a runner in it is tens of ms. */
const ROUND_TRIP_MS = 50;

function distBytes() {
  const dir = join(ROOT, "dist");
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function deployFigures() {
  const moto = await startMoto();
  const proxy = await startProxy({ target: moto.endpoint, motoCompat: true, delayMs: ROUND_TRIP_MS });
  Object.assign(process.env, motoEnv(moto.endpoint));
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-bench-"));
  try {
    const tags = Array.from({ length: RUNS }, (_, i) => `r${i}`);
    const world = await seedWorld({ endpoint: moto.endpoint, name: "bench", tags });
    // The pre-flight's every check on: the network (EC2) and an explicit secret (SSM) go in its concurrent round.
    const checks = `[secrets]\nEXTRA = "arn:aws:ssm:${world.region}:${world.account}:parameter/bench/API_URL"\n[network]\nsubnets = ${JSON.stringify(world.subnetIds)}\nsecurity_groups = ["${world.securityGroupId}"]\n`;
    writeFileSync(join(workspace, "config.toml"), `${guideConfig(world)}${checks}`);
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      proxy.calls.length = 0;
      const spawnedAt = performance.now();
      const run = await runAction({
        workspace,
        inputs: {
          config: "config.toml",
          images: `${world.account}.dkr.ecr.${world.region}.amazonaws.com/bench:${tags[i]}`,
          wait: "false",
        },
        env: motoEnv(proxy.endpoint),
      });
      if (run.code !== 0) throw new Error(`bench deploy failed:\n${run.stdout}\n${run.stderr}`);
      const first = proxy.calls.reduce((min, c) => Math.min(min, c.start), Number.POSITIVE_INFINITY);
      runs.push({
        firstRequestMs: first - spawnedAt,
        totalMs: run.ms,
        sequential: sequentialRoundTrips(proxy.calls, "UpdateService"),
        calls: proxy.calls.map((c) => c.operation),
      });
    }
    return {
      startToFirstAwsRequestMs: Math.round(median(runs.map((r) => r.firstRequestMs))),
      deployWithoutWaitMs: Math.round(median(runs.map((r) => r.totalMs))),
      sequentialRoundTripsBeforeUpdateService: Math.max(...runs.map((r) => r.sequential)),
      callsOfOneDeploy: runs[0]?.calls ?? [],
    };
  } finally {
    await proxy.stop();
    await moto.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function markdown(results) {
  const d = results.deploy;
  const lines = [
    "# Benchmark results",
    "",
    `Measured ${results.date} on ${results.machine} with Node ${results.node}, by \`npm run bench\` (scripts/bench.mjs).`,
    "",
    "| figure | value | bar |",
    "|---|---|---|",
    `| dist/ size | ${results.distBytes} bytes (${(results.distBytes / 1024 / 1024).toFixed(2)} MB, ${Math.round((100 * results.distBytes) / OFFICIAL_DIST_BYTES)}% of the official action's 3.0 MB) | ≤ 60% (1,818,739 bytes) |`,
    `| process start → first AWS request (median of ${RUNS}) | ${d.startToFirstAwsRequestMs} ms | |`,
    `| whole deploy without wait, against local moto with ${ROUND_TRIP_MS} ms added to each answer (median of ${RUNS}) | ${d.deployWithoutWaitMs} ms | |`,
    `| sequential AWS round trips before UpdateService | ${d.sequentialRoundTripsBeforeUpdateService} | ≤ 3 |`,
    "",
    `Calls of one deploy, in order: ${d.callsOfOneDeploy.join(", ")}.`,
    "A call counts as sequential when it started after another had answered. moto returns DescribeParameters in pages",
    "of 10 whatever MaxResults says, so the guide's 12 parameters take two pages (two round trips) there; AWS honours",
    "MaxResults=50 and answers them in one, so against AWS the chain is one shorter.",
    "",
    ...results.rollout.markdown,
    "",
    ...results.preDeploy.markdown,
    "",
    ...results.faults.markdown,
    "",
    ...results.strategies.markdown,
    "",
    ...results.app.markdown,
    "",
    ...results.github.markdown,
    "",
    ...results.startup.markdown,
    "",
    ...results.history.markdown,
    "",
  ];
  return lines.join("\n");
}

const results = {
  date: new Date().toISOString(),
  machine: `${process.platform}/${process.arch}`,
  node: process.versions.node,
  distBytes: distBytes(),
  deploy: await deployFigures(),
  rollout: await rolloutBench(),
  preDeploy: await preDeployBench(),
  faults: await faultBench(),
  strategies: await strategiesBench(),
  app: await appBench(),
  github: await githubBench(),
  startup: await startupBench(),
  history: await historyBench(),
};
mkdirSync(join(ROOT, "bench"), { recursive: true });
writeFileSync(
  join(ROOT, "bench", "results.json"),
  `${JSON.stringify(
    {
      ...results,
      rollout: results.rollout.figures,
      preDeploy: results.preDeploy.figures,
      faults: results.faults.figures,
      strategies: results.strategies.figures,
      app: results.app.figures,
      github: results.github.figures,
      startup: results.startup.figures,
      history: results.history.figures,
    },
    null,
    2,
  )}\n`,
);
writeFileSync(join(ROOT, "bench", "results.md"), markdown(results));
writeIntoDocs(markdown(results));
process.stdout.write(markdown(results));

/** docs/benchmarks.md shows the last run's figures: everything between the markers is replaced, the title left out. */
function writeIntoDocs(text) {
  const file = join(ROOT, "docs", "benchmarks.md");
  const readme = readFileSync(file, "utf8");
  const [start, end] = ["<!-- bench:start -->", "<!-- bench:end -->"];
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/benchmarks.md lacks the ${start} … ${end} markers`);
  const body = text.replace(/^# .*\n\n/, "").replaceAll(/^## /gm, "### ");
  writeFileSync(file, `${readme.slice(0, from + start.length)}\n${body}\n${readme.slice(to)}`);
  // The docs are checked by the project's formatter (CI lints them): leave them the way the formatter writes them.
  const biome = spawnSync(join(ROOT, "node_modules", ".bin", "biome"), ["format", "--write", file], {
    stdio: "ignore",
  });
  if (biome.status !== 0) process.stderr.write("could not format docs/benchmarks.md: run `npm run format`\n");
}
