// The pre-deploy task's figures, for `npm run bench`: how long after RegisterTaskDefinition the bundled action sends
// UpdateService when a [[pre_deploy]] task runs for 10 s, against the ideal (the task's own run time, RunTask to its
// command's exit). The bar: the action's overhead is at most one poll interval. The task is scripted
// (scripted-task.mjs: ECS's states over real time, over moto's own RunTask); registration, RunTask and
// UpdateService go to moto, every answer 50 ms late as a round trip to a region is.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { runAction } from "./run-action.mjs";
import { scriptedTasks } from "./scripted-task.mjs";
import { guideConfig, seedWorld } from "./seed.mjs";

const TASK_MS = 10_000;
/** Fargate takes tens of seconds to provision; a short start keeps the bench short without changing what it measures. */
const START_MS = 2_000;
const ROUND_TRIP_MS = 50;
const POLLS = [5, 1];

async function measure(endpoint, pollSeconds, i) {
  const world = await seedWorld({ endpoint, name: `bench-pre-${i}` });
  const script = scriptedTasks({
    endpoint,
    region: world.region,
    tasks: [{ startMs: START_MS, runMs: TASK_MS, exitCode: 0, lines: [{ atMs: START_MS + 500, text: "migrating" }] }],
  });
  const proxy = await startProxy({ target: endpoint, motoCompat: true, delayMs: ROUND_TRIP_MS, answer: script.hook });
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-bench-pre-"));
  try {
    writeFileSync(join(workspace, "config.toml"), `${guideConfig(world)}[[pre_deploy]]\ncommand = ["bin/migrate"]\n`);
    const run = await runAction({
      workspace,
      inputs: {
        config: "config.toml",
        images: `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`,
        wait: "false",
        "poll-interval": String(pollSeconds),
      },
      env: motoEnv(proxy.endpoint),
    });
    if (run.code !== 0) throw new Error(`pre-deploy bench failed:\n${run.stdout}\n${run.stderr}`);
    const registered = proxy.calls.find((c) => c.operation === "RegisterTaskDefinition");
    const updated = proxy.calls.find((c) => c.operation === "UpdateService");
    const registerToUpdateMs = Math.round((updated?.start ?? 0) - (registered?.end ?? 0));
    // The proxy's times are performance.now()'s; the script's are the epoch's.
    const exitedAt = (script.runs[0]?.at ?? 0) + TASK_MS;
    const exitToUpdateMs = Math.round(performance.timeOrigin + (updated?.start ?? 0) - exitedAt);
    const calls = proxy.calls.filter((c) => ["DescribeTasks", "GetLogEvents"].includes(c.operation)).length;
    const overheadMs = registerToUpdateMs - TASK_MS;
    return { pollSeconds, registerToUpdateMs, overheadMs, exitToUpdateMs, followCalls: calls };
  } finally {
    script.stop();
    await proxy.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

export async function preDeployBench() {
  const moto = await startMoto();
  let figures;
  try {
    figures = await Promise.all(POLLS.map((poll, i) => measure(moto.endpoint, poll, i)));
  } finally {
    await moto.stop();
  }
  const markdown = [
    "## Pre-deploy task (a scripted 10 s task through the bundled action)",
    "",
    `RegisterTaskDefinition's answer to UpdateService's request, for a [[pre_deploy]] task that runs ${TASK_MS / 1000} s from`,
    "RunTask to its command's exit (the ideal). The overhead is the rest: the RunTask round trip, the wait for the next",
    `look at the task, that look's answer and the last log read. Bar: at most one poll interval. Each answer is ${ROUND_TRIP_MS} ms`,
    "late. 'exit → UpdateService' counts from the scripted exit itself; the looks fall twice per poll interval from RunTask,",
    "so a command that exits just after a look waits half a poll interval plus that look's round trips.",
    "",
    "| poll interval | RegisterTaskDefinition → UpdateService | ideal | overhead | exit → UpdateService | within one poll | DescribeTasks + GetLogEvents calls |",
    "|---|---|---|---|---|---|---|",
    ...figures.map(
      (f) =>
        `| ${f.pollSeconds} s | ${seconds(f.registerToUpdateMs)} | ${TASK_MS / 1000} s | ${seconds(f.overheadMs)} | ${seconds(f.exitToUpdateMs)} | ${f.overheadMs <= f.pollSeconds * 1000 ? "yes" : "no"} | ${f.followCalls} |`,
    ),
  ];
  return { figures, markdown };
}
