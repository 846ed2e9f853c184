// The wait's figures, for `npm run bench`: the bundled action runs each scripted rollout (scenarios.mjs, timed as ECS
// times them) as the runner runs it, and we measure how long after the scripted terminal state it takes its verdict,
// how many AWS calls it makes per minute of waiting, how many deploys one account could wait on at once by ECS's
// published limits, and whether its verdict and first error line were right. Scripted, not AWS: moto never moves a
// rollout forward, so the proxy plays ECS's side on the clock; registration and UpdateService go to moto. Every run
// goes side by side (each has its own service), so the whole takes as long as the longest: the 300 s drain.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { runAction } from "./run-action.mjs";
import { matchDrain, SCENARIOS, scriptedRollout } from "./scenarios.mjs";
import { guideConfig, seedWorld } from "./seed.mjs";

/** The runs: the default poll interval (5 s) for each scenario, both ways to wait on the drain, and 1 s polls. */
const RUNS = [
  { scenario: "healthy", poll: 5, waitUntil: "completed" },
  { scenario: "healthy", poll: 5, waitUntil: "live" },
  { scenario: "bad-image-with-breaker", poll: 5 },
  { scenario: "crash-loop-without-breaker", poll: 5 },
  { scenario: "failing-health-checks", poll: 5 },
  { scenario: "stale-first-describe", poll: 5 },
  { scenario: "bad-image-with-breaker", poll: 1 },
  { scenario: "crash-loop-without-breaker", poll: 1 },
  { scenario: "failing-health-checks", poll: 1 },
  // Issue 21's ECS timings: a task runs 35 s after it is created, its target is healthy 30 s later, 120 s of drain.
  { scenario: "healthy-ecs-timings", poll: 5 },
  { scenario: "failing-health-checks-ecs-timings", poll: 5 },
  { scenario: "crash-loop-ecs-timings", poll: 5 },
];
/** The rows whose calls are broken down by operation: where a healthy rolling wait's calls go (issue 21.2). */
const BROKEN_DOWN = new Set(["healthy-ecs-timings"]);
/** The scenarios the median detection latency is taken over (issue 8: at most 1 s at the default poll interval). */
const LATENCY_SCENARIOS = ["healthy", "bad-image-with-breaker", "crash-loop-without-breaker", "failing-health-checks"];
const ROLLOUT_READS = new Set(["DescribeServices", "ListTasks", "DescribeTasks", "DescribeTargetHealth"]);
/**
 * ECS's API limits per account and region (token buckets, sustained rate a second; research notes A5): the service
 * reads (DescribeServices) and the cluster resource reads (ListTasks and DescribeTasks share one bucket).
 */
const ECS_LIMITS = { DescribeServices: 20, tasks: 20 };

/** The first `::error` line a run printed, escapes undone: what a developer reads first. */
function firstErrorLine(stdout) {
  const line = stdout.split("\n").find((l) => l.startsWith("::error"));
  return line?.replace(/^::error[^:]*::/, "").split("%0A")[0] ?? "";
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function runScenario(endpoint, run, index) {
  const scenario = SCENARIOS[run.scenario];
  const waitUntil = run.waitUntil ?? "completed";
  // Short and unique: the load balancer's name (service + "-alb") must stay within 32 characters.
  const world = await seedWorld({ endpoint, name: `bench-${index}-p${run.poll}` });
  await matchDrain(endpoint, world, run.scenario);
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-bench-"));
  writeFileSync(join(workspace, "config.toml"), guideConfig(world));
  let startedAt = 0;
  const script = scriptedRollout(run.scenario, world, { onStart: (at) => (startedAt = at) });
  const proxy = await startProxy({ target: endpoint, motoCompat: true, answer: script.hook });
  try {
    const spawnedAt = Date.now();
    const result = await runAction({
      workspace,
      inputs: {
        config: "config.toml",
        images: `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`,
        "poll-interval": String(run.poll),
        "wait-until": waitUntil,
        "wait-timeout": "10",
        // Measure the verdict, not our own rollback's wait after it.
        "on-failure": "leave",
      },
      env: motoEnv(proxy.endpoint),
      timeoutMs: 660_000,
    });
    const exitedAt = spawnedAt + result.ms;
    const terminalS = waitUntil === "live" ? scenario.liveAt : scenario.terminalAt;
    const terminal = startedAt + terminalS * 1000;
    // The verdict is taken when the last rollout read answers; what follows (log lines, summary, exit) is reporting.
    const reads = proxy.calls.filter((c) => ROLLOUT_READS.has(c.operation));
    const verdictAt = performance.timeOrigin + Math.max(...reads.map((c) => c.end));
    const update = proxy.calls.findIndex((c) => c.operation === "UpdateService");
    const waitCalls = proxy.calls.slice(update + 1);
    const waitMinutes = (exitedAt - startedAt) / 60_000;
    const count = (...ops) => waitCalls.filter((c) => ops.includes(c.operation)).length;
    const firstLine = firstErrorLine(result.stdout);
    const truthful =
      result.outputs.result === scenario.expect.outcome &&
      (scenario.expect.outcome === "succeeded" ? result.code === 0 : scenario.expect.firstLine.test(firstLine));
    return {
      scenario: run.scenario,
      pollSeconds: run.poll,
      waitUntil,
      outcome: result.outputs.result ?? "(none)",
      truthful,
      terminalAtS: terminalS,
      verdictLatencyMs: verdictAt - terminal,
      exitLatencyMs: exitedAt - terminal,
      verdictAfterUpdateMs: exitedAt - startedAt,
      polls: count("DescribeServices"),
      waitCalls: waitCalls.length,
      callsPerMinute: waitCalls.length / waitMinutes,
      describeServicesPerMinute: count("DescribeServices") / waitMinutes,
      tasksCallsPerMinute: count("ListTasks", "DescribeTasks") / waitMinutes,
      byOperation: byOperation(waitCalls),
      firstLine,
    };
  } finally {
    await proxy.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function byOperation(calls) {
  const counts = {};
  for (const c of calls) counts[c.operation] = (counts[c.operation] ?? 0) + 1;
  return counts;
}

/** How many deploys waiting like this one fit in one account's ECS read limits. */
function deploysAtOnce(f) {
  const byServices = (ECS_LIMITS.DescribeServices * 60) / f.describeServicesPerMinute;
  const byTasks =
    f.tasksCallsPerMinute > 0 ? (ECS_LIMITS.tasks * 60) / f.tasksCallsPerMinute : Number.POSITIVE_INFINITY;
  return Math.floor(Math.min(byServices, byTasks));
}

function table(figures) {
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const rows = figures.map((f) => {
    const line = f.firstLine ? `\`${f.firstLine.slice(0, 90)}${f.firstLine.length > 90 ? "…" : ""}\`` : "";
    const verdict = `${f.outcome}${f.truthful ? "" : " **(wrong)**"}`;
    return `| ${f.scenario} | ${f.pollSeconds} s | ${f.waitUntil} | ${verdict} | ${Number(f.terminalAtS.toFixed(1))} s | ${s(f.verdictLatencyMs)} | ${s(f.verdictAfterUpdateMs)} | ${f.polls} | ${f.waitCalls} | ${f.callsPerMinute.toFixed(1)} | ${deploysAtOnce(f)} | ${line} |`;
  });
  return [
    "| scenario | poll | wait-until | verdict | terminal state at | verdict after it | exit after UpdateService | DescribeServices | AWS calls | AWS calls / min | deploys one account can wait on | first error line |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ];
}

/** Every run side by side (each has its own service), against one moto server; `only`: these scenarios alone. */
export async function rolloutBench({ only } = {}) {
  const moto = await startMoto();
  Object.assign(process.env, motoEnv(moto.endpoint));
  let figures;
  try {
    const runs = RUNS.map((run, i) => ({ run, i })).filter(({ run }) => !only || only.includes(run.scenario));
    figures = await Promise.all(runs.map(({ run, i }) => runScenario(moto.endpoint, run, i)));
  } finally {
    await moto.stop();
  }
  const wrong = figures.filter((f) => !f.truthful).length;
  const atDefault = figures.filter((f) => f.pollSeconds === 5 && f.waitUntil === "completed");
  const latency = median(
    atDefault.filter((f) => LATENCY_SCENARIOS.includes(f.scenario)).map((f) => f.verdictLatencyMs),
  );
  const healthy = atDefault.find((f) => f.scenario === "healthy");
  const live = figures.find((f) => f.scenario === "healthy" && f.waitUntil === "live");
  const failing = atDefault.filter((f) => SCENARIOS[f.scenario]?.expect.outcome === "failed");
  const worst = Math.max(...failing.map((f) => f.callsPerMinute));
  const ecs = atDefault.find((f) => f.scenario === "healthy-ecs-timings");
  const markdown = [
    "## Rollout verdicts (scripted rollouts through the bundled action)",
    "",
    "Each scenario scripts what ECS and the load balancer show, second by second after UpdateService, with AWS's",
    "documented reasons and ECS's timings (scripts/lib/scenarios.mjs): tasks run about 40 s after they are created, a",
    "new target is healthy after one passing check, the old targets stay healthy until ours are and then drain for the",
    "target group's deregistration delay (300 s), a target goes unhealthy and its task is stopped between two polls.",
    "The action runs as the runner runs it, `on-failure: leave`. 'verdict after it' runs from the scripted terminal",
    "state (COMPLETED with healthy targets; for `live`, the old targets draining; FAILED or the Nth stopped task) to",
    "the answer of the last rollout read the verdict rests on. 'deploys one account can wait on' divides ECS's",
    `sustained read limits (DescribeServices ${ECS_LIMITS.DescribeServices}/s; ListTasks and DescribeTasks ${ECS_LIMITS.tasks}/s together, per account and region)`,
    "by the run's own rate of those calls. The `-ecs-timings` rows play the timings issue 21 measured ECS at: a task",
    "runs 35 s after it is created, its target is healthy 30 s later (3 checks 10 s apart, 2 to fail), 120 s of drain.",
    "",
    ...table(figures),
    "",
    `Median detection latency at the default 5 s poll interval (healthy, bad image, crash loop, health checks): ${(latency / 1000).toFixed(1)} s.`,
    ...(healthy
      ? [
          `AWS calls per minute of waiting at 5 s: ${healthy.callsPerMinute.toFixed(1)} on the healthy rollout, at most ${worst.toFixed(1)} on a failing one.`,
          `UpdateService to verdict with a 300 s deregistration delay: ${(healthy.verdictAfterUpdateMs / 1000).toFixed(1)} s with \`wait-until: completed\`, ${((live?.verdictAfterUpdateMs ?? 0) / 1000).toFixed(1)} s with \`wait-until: live\`.`,
        ]
      : []),
    `False successes or wrong verdicts: ${wrong}.`,
    ...(ecs ? ecsTimings(ecs, figures) : []),
  ];
  return { figures, markdown };
}

/** The healthy rollout on issue 21's ECS timings: its rate against the bar, and where its calls went. */
function ecsTimings(ecs, figures) {
  const broken = figures.filter((f) => BROKEN_DOWN.has(f.scenario));
  const ops = (f) =>
    Object.entries(f.byOperation)
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op} ${n}`)
      .join(", ");
  return [
    "",
    `On ECS's timings (a task runs 35 s after it is created, its target is healthy 30 s later, 120 s of drain), the healthy rollout at 5 s: ${ecs.callsPerMinute.toFixed(1)} AWS calls a minute (bar issue 21.2: at most 15), its verdict ${(ecs.verdictLatencyMs / 1000).toFixed(1)} s after ECS's COMPLETED. Where the calls went:`,
    "",
    ...broken.map((f) => `- ${f.scenario}, ${f.pollSeconds} s: ${ops(f)}.`),
  ];
}
