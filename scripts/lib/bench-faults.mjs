// The figures of a flaky AWS and a cancel, for `npm run bench`: the bundled action as the runner runs it, against
// moto through the proxy, which injects the fault. With the real retry policy (no DEPLOY_ACTION_RETRY_SCALE):
// - how long after the runner's SIGINT the step ends, with a call held in flight (issue 9: within a second);
// - what UpdateService throttled 5 times, or a lost UpdateService answer, costs: time, and UpdateService calls moto
//   acted on (one: no second deployment).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { runAction } from "./run-action.mjs";
import { guideConfig, seedWorld } from "./seed.mjs";

const CANCEL_AFTER_MS = 3000;
const HOLD_MS = 30_000;
const THROTTLING = {
  status: 400,
  body: JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }),
};

const hold = () => new Promise((resolve) => setTimeout(() => resolve({ drop: true }), HOLD_MS).unref());

/** Each case: the proxy's answer for it, and whether the run is cancelled. */
const CASES = [
  {
    name: "cancel during pre-flight (DescribeServices held)",
    cancel: true,
    fault: (op) => op === "DescribeServices" && hold(),
  },
  { name: "cancel during UpdateService (held)", cancel: true, fault: (op) => op === "UpdateService" && hold() },
  { name: "no fault", fault: () => undefined },
  {
    name: "UpdateService throttled 5 times",
    fault: (op, state) => op === "UpdateService" && state.n++ < 5 && THROTTLING,
  },
  {
    name: "lost UpdateService answer",
    fault: async (op, state, forward) => {
      if (op !== "UpdateService" || state.n++ > 0) return undefined;
      await forward();
      return { drop: true };
    },
  },
];

async function runCase(moto, index, spec) {
  const world = await seedWorld({ endpoint: moto.endpoint, name: `faults-${index}` });
  const state = { n: 0 };
  const proxy = await startProxy({
    target: moto.endpoint,
    motoCompat: true,
    answer: async ({ operation, forward }) => (await spec.fault(operation, state, forward)) || undefined,
  });
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-bench-faults-"));
  try {
    writeFileSync(join(workspace, "config.toml"), guideConfig(world));
    const image = `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`;
    const run = await runAction({
      workspace,
      inputs: { config: "config.toml", images: image, wait: "false" },
      env: motoEnv(proxy.endpoint),
      ...(spec.cancel ? { signalAfterMs: CANCEL_AFTER_MS } : {}),
    });
    const updates = proxy.calls.filter((c) => c.operation === "UpdateService" && !c.scripted).length;
    return {
      name: spec.name,
      result: run.outputs.result ?? "",
      totalMs: run.ms,
      ...(spec.cancel ? { signalToExitMs: Math.max(0, run.ms - CANCEL_AFTER_MS) } : {}),
      updateServiceActedOn: updates,
    };
  } finally {
    await proxy.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

export async function faultBench() {
  const moto = await startMoto();
  try {
    const figures = [];
    // One after another: the cancel's figure must not wait on a busy machine's other runs.
    for (const [index, spec] of CASES.entries()) figures.push(await runCase(moto, index, spec));
    return { figures, markdown: markdown(figures) };
  } finally {
    await moto.stop();
  }
}

function markdown(figures) {
  return [
    "## A flaky AWS and a cancel",
    "",
    "The real retry policy (a minute of jittered retries for a change; aws/retry.ts), `wait: false`, moto behind the",
    `proxy, which injects the fault. A cancel is the runner's SIGINT ${CANCEL_AFTER_MS / 1000} s after the start, while`,
    "the held call is in flight (the run cannot get past it). UpdateService acted on: how many reached moto (one: no",
    "second deployment).",
    "",
    "| case | result | whole run | SIGINT → exit (bar ≤ 1 s) | UpdateService acted on |",
    "|---|---|---|---|---|",
    ...figures.map(
      (f) =>
        `| ${f.name} | ${f.result} | ${f.totalMs} ms | ${f.signalToExitMs === undefined ? "" : `${f.signalToExitMs} ms`} | ${f.updateServiceActedOn} |`,
    ),
  ];
}
