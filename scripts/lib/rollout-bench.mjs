// The wait's figures, for `npm run bench`: the bundled action runs each scripted rollout (scenarios.mjs) as the
// runner runs it, and we measure how long after the scripted terminal state it exits, how many AWS calls it made
// per minute of waiting, and whether its verdict and first error line were right. Scripted, not AWS: moto never
// moves a rollout forward, so the proxy plays ECS's side on the clock; registration and UpdateService go to moto.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { runAction } from "./run-action.mjs";
import { SCENARIOS, scriptedRollout } from "./scenarios.mjs";
import { guideConfig, seedWorld } from "./seed.mjs";

/** The action's default poll interval, and a short one: the latency should follow the interval, not exceed it. */
const POLL_SECONDS = [5, 1];
const ROLLOUT_READS = new Set(["DescribeServices", "ListTasks", "DescribeTasks", "DescribeTargetHealth"]);

/** The first `::error` line a run printed, escapes undone: what a developer reads first. */
function firstErrorLine(stdout) {
  const line = stdout.split("\n").find((l) => l.startsWith("::error"));
  return line?.replace(/^::error[^:]*::/, "").split("%0A")[0] ?? "";
}

async function runScenario(endpoint, name, pollSeconds) {
  const scenario = SCENARIOS[name];
  // Short and unique: the load balancer's name (service + "-alb") must stay within 32 characters.
  const index = Object.keys(SCENARIOS).indexOf(name);
  const world = await seedWorld({ endpoint, name: `bench-${index}-poll${pollSeconds}` });
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-bench-"));
  writeFileSync(join(workspace, "config.toml"), guideConfig(world));
  let startedAt = 0;
  const script = scriptedRollout(name, world, { onStart: (at) => (startedAt = at) });
  const proxy = await startProxy({ target: endpoint, motoCompat: true, answer: script.hook });
  try {
    const spawnedAt = Date.now();
    const run = await runAction({
      workspace,
      inputs: {
        config: "config.toml",
        images: `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`,
        "poll-interval": String(pollSeconds),
        "wait-timeout": "2",
        // Measure the verdict, not our own rollback's wait after it.
        "on-failure": "leave",
      },
      env: motoEnv(proxy.endpoint),
      timeoutMs: 180_000,
    });
    const exitedAt = spawnedAt + run.ms;
    const terminal = startedAt + scenario.terminalAt * 1000;
    // The verdict is taken when the last rollout read answers; what follows (log lines, summary, exit) is reporting.
    const reads = proxy.calls.filter((c) => ROLLOUT_READS.has(c.operation));
    const verdictAt = performance.timeOrigin + Math.max(...reads.map((c) => c.end));
    const update = proxy.calls.findIndex((c) => c.operation === "UpdateService");
    const waitCalls = proxy.calls.slice(update + 1);
    const polls = waitCalls.filter((c) => c.operation === "DescribeServices").length;
    const waitMinutes = (exitedAt - startedAt) / 60_000;
    const firstLine = firstErrorLine(run.stdout);
    const truthful =
      run.outputs.result === scenario.expect.outcome &&
      (scenario.expect.outcome === "succeeded" ? run.code === 0 : scenario.expect.firstLine.test(firstLine));
    return {
      scenario: name,
      pollSeconds,
      outcome: run.outputs.result ?? "(none)",
      truthful,
      terminalAtS: scenario.terminalAt,
      verdictLatencyMs: verdictAt - terminal,
      exitLatencyMs: exitedAt - terminal,
      verdictAfterUpdateMs: exitedAt - startedAt,
      polls,
      waitCalls: waitCalls.length,
      callsPerMinute: Math.round(waitCalls.length / waitMinutes),
      firstLine,
    };
  } finally {
    await proxy.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function table(figures) {
  const rows = figures.map((f) => {
    const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
    const within = f.verdictLatencyMs <= f.pollSeconds * 1000 ? "yes" : "**no**";
    const line = f.firstLine ? `\`${f.firstLine.slice(0, 110)}${f.firstLine.length > 110 ? "…" : ""}\`` : "";
    return `| ${f.scenario} | ${f.pollSeconds} s | ${f.outcome}${f.truthful ? "" : " **(wrong)**"} | ${f.terminalAtS} s | ${s(f.verdictLatencyMs)} | ${within} | ${s(f.exitLatencyMs)} | ${s(f.verdictAfterUpdateMs)} | ${f.polls} | ${f.waitCalls} | ${f.callsPerMinute} | ${line} |`;
  });
  return [
    "| scenario | poll | verdict | terminal state at | verdict after it | within one poll | exit after it | exit after UpdateService | polls | AWS calls | AWS calls / min | first error line |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ];
}

/** Every scenario at each poll interval; scenarios of one interval run side by side (each has its own service). */
export async function rolloutBench() {
  const moto = await startMoto();
  Object.assign(process.env, motoEnv(moto.endpoint));
  const figures = [];
  try {
    for (const poll of POLL_SECONDS) {
      const runs = Object.keys(SCENARIOS).map((name) => runScenario(moto.endpoint, name, poll));
      figures.push(...(await Promise.all(runs)));
    }
  } finally {
    await moto.stop();
  }
  const wrong = figures.filter((f) => !f.truthful).length;
  const late = figures.filter((f) => f.verdictLatencyMs > f.pollSeconds * 1000).length;
  const markdown = [
    "## Rollout verdicts (scripted rollouts through the bundled action)",
    "",
    "Each scenario scripts what ECS and the load balancer show, second by second after UpdateService, with AWS's",
    "documented reasons (scripts/lib/scenarios.mjs); the action runs as the runner runs it, `on-failure: leave`.",
    "'verdict after it' runs from the scripted terminal state (COMPLETED with healthy targets, FAILED, the Nth stopped",
    "task) to the answer of the last rollout read the verdict rests on; 'exit after it' adds the container's log",
    "lines, the summary and the process exit.",
    "",
    ...table(figures),
    "",
    `False successes or wrong verdicts: ${wrong}. Verdicts later than one poll interval: ${late}.`,
  ];
  return { figures, markdown };
}
