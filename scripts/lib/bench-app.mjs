// The app's figures, for `npm run bench`: three services deployed at once by the bundled command line's app form
// (`deploy-action a.toml b.toml c.toml --image TEMPLATE`, one wave), against one service alone the same way: the
// wall time of each, and the AWS calls per minute of the whole run, since ECS's read limits are per account and
// region (DescribeServices 20/s; ListTasks + DescribeTasks 20/s together) and every service of the run shares them.
// Each service's rollout is the scripted healthy rolling deploy behind its load balancer (scenarios.mjs), on its
// own clock at `SCALE` of ECS's pace; registration and UpdateService go to moto; every answer is 50 ms late.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { byCluster } from "./app-scripts.mjs";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { runCli } from "./run-cli.mjs";
import { matchDrain, scriptedRollout } from "./scenarios.mjs";
import { guideConfig, seedWorld } from "./seed.mjs";

const SCENARIO = "healthy-short-drain";
/** Real seconds per ECS second: the healthy rollout's 92 ECS seconds in about 37. */
const SCALE = 0.4;
const ROUND_TRIP_MS = 50;
const POLL_SECONDS = 5;
const TEMPLATE = "{account}.dkr.ecr.{region}.amazonaws.com/{service}:{version}";
const READS = { DescribeServices: "DescribeServices", ListTasks: "tasks", DescribeTasks: "tasks" };

/** Deploys `count` services in one wave through the command line; returns its wall time and its calls. */
async function measure(endpoint, count, prefix) {
  const worlds = await Promise.all(
    Array.from({ length: count }, (_, i) => seedWorld({ endpoint, name: `${prefix}-${i}` })),
  );
  await Promise.all(worlds.map((world) => matchDrain(endpoint, world, SCENARIO, SCALE)));
  const routes = byCluster(
    worlds.map((world) => ({ world, hook: scriptedRollout(SCENARIO, world, { scale: SCALE }).hook })),
  );
  const proxy = await startProxy({ target: endpoint, motoCompat: true, delayMs: ROUND_TRIP_MS, answer: routes.hook });
  const dir = mkdtempSync(join(tmpdir(), "deploy-action-bench-app-"));
  try {
    const configs = worlds.map((world, i) => {
      writeFileSync(join(dir, `s${i}.toml`), guideConfig(world));
      return `s${i}.toml`;
    });
    const args = [...configs, "--image", TEMPLATE, "--version", "r254", "--poll-interval", String(POLL_SECONDS)];
    const run = await runCli({ cwd: dir, args, env: motoEnv(proxy.endpoint), timeoutMs: 600_000 });
    if (run.code !== 0) throw new Error(`app bench failed:\n${run.stdout}\n${run.stderr}`);
    return { services: count, wallMs: run.ms, ...callFigures(proxy.calls, run.ms) };
  } finally {
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Calls per minute of the whole run, and the busiest second of each shared read limit. */
function callFigures(calls, wallMs) {
  const perMinute = Math.round((calls.length / wallMs) * 60_000);
  const peak = (limit) => {
    const starts = calls.filter((c) => READS[c.operation] === limit).map((c) => c.start);
    return Math.max(0, ...starts.map((s) => starts.filter((t) => t >= s && t < s + 1000).length));
  };
  return { calls: calls.length, perMinute, peakDescribeServices: peak("DescribeServices"), peakTasks: peak("tasks") };
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

export async function appBench() {
  const moto = await startMoto();
  let figures;
  try {
    // One after the other: the two runs must not share the machine's CPU or the proxy's count.
    const one = await measure(moto.endpoint, 1, "bench-app1");
    const three = await measure(moto.endpoint, 3, "bench-app3");
    figures = { one, three, ratio: Number((three.wallMs / one.wallMs).toFixed(2)) };
  } finally {
    await moto.stop();
  }
  const row = (f) =>
    `| ${f.services} | ${seconds(f.wallMs)} | ${f.calls} | ${f.perMinute} | ${f.peakDescribeServices} / 20 | ${f.peakTasks} / 20 |`;
  const markdown = [
    "## An app: three services at once (the command line's app form, one wave)",
    "",
    `Three configs in one wave against one config alone, each a scripted healthy rolling deploy behind its load balancer at ${SCALE} of`,
    `ECS's pace, polled every ${POLL_SECONDS} s, every answer ${ROUND_TRIP_MS} ms late. The bar: side by side, three take the time of one`,
    "(within 25%). The calls per minute are the whole run's, and the busiest second of each read limit that ECS shares across",
    "the account and region.",
    "",
    "| services | wall time | AWS calls | calls per minute | busiest second: DescribeServices | busiest second: ListTasks + DescribeTasks |",
    "|---|---|---|---|---|---|",
    row(figures.one),
    row(figures.three),
    "",
    `Three services take ${figures.ratio}× the wall time of one: ${figures.ratio <= 1.25 ? "within" : "NOT within"} the bar.`,
  ];
  return { figures, markdown };
}
