// The wait's cost while a staged deploy is held, for `npm run bench` (issue 21.2: "calls per minute through a
// 10-minute bake and a pause"). The service deployment is scripted (scenarios-staged.mjs: moto answers
// ListServiceDeployments and DescribeServiceDeployments with HTTP 500), the action polls on the real clock, every 5 s.
// - A blue/green bake of 10 minutes: the stages before it play 10 times faster than ECS, the bake's first
//   BAKE_REAL_S seconds at ECS's own pace (the window measured: the action's 90 s service read shows in it, as in a
//   real bake), the rest of it 60 times faster, so the section lasts about 3 minutes, not 12. The window opens as
//   ECS's script enters BAKE_TIME: the look that first sees the bake is in it.
// - A canary held at a pause hook (PRE_PRODUCTION_TRAFFIC_SHIFT) that awaits an answer: the wait ends at the look
//   that sees it (result `paused`), so what the pause costs is the calls from its start to the run's end.
// Both run side by side, each on its own service.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { runAction } from "./run-action.mjs";
import { stagedRollout } from "./scenarios-staged.mjs";
import { scriptPace } from "./scripted-ecs.mjs";
import { guideConfig, seedWiring, seedWorld } from "./seed.mjs";

const FAST = 0.1;
const POLL_SECONDS = 5;
const ROUND_TRIP_MS = 50;
const BAKE_MINUTES = 10;
/** Script seconds: reconcile and scale up until our tasks are healthy (53 s), shift test then production traffic. */
const BAKE_FROM = 115;
const BAKE_UNTIL = BAKE_FROM + BAKE_MINUTES * 60;
const SUCCESSFUL_AT = BAKE_UNTIL + 20;
/** The bake's stretch played at ECS's own pace: the window measured. */
const BAKE_REAL_S = 140;
/** When ECS's script enters the pause (script seconds). */
const PAUSE_FROM = 75;

const stage = (at, name, prod, test, more = {}) => [at, { stage: name, prod, test, ...more }];
const SCALE_UP = [stage(0, "RECONCILE_SERVICE", 0, 0), stage(20, "SCALE_UP", 0, 0), stage(55, "POST_SCALE_UP", 0, 0)];

const BAKE = {
  name: "bake",
  prefix: "bench-bake",
  staged: {
    strategy: "BLUE_GREEN",
    bakeMinutes: BAKE_MINUTES,
    phases: [
      ...SCALE_UP,
      stage(75, "TEST_TRAFFIC_SHIFT", 0, 100),
      stage(95, "PRODUCTION_TRAFFIC_SHIFT", 100, 100),
      stage(BAKE_FROM, "BAKE_TIME", 100, 100),
      stage(BAKE_UNTIL, "CLEAN_UP", 100, 100),
      stage(SUCCESSFUL_AT, "CLEAN_UP", 100, 100, { status: "SUCCESSFUL" }),
    ],
  },
  config: ['strategy = "BLUE_GREEN"', `bake_time = ${BAKE_MINUTES}`],
  pace: scriptPace({
    segments: [
      [0, FAST],
      [BAKE_FROM, 1],
      [BAKE_FROM + BAKE_REAL_S, 1 / 60],
    ],
  }),
  window: [BAKE_FROM, BAKE_FROM + BAKE_REAL_S],
  terminal: SUCCESSFUL_AT,
};

const pauseHook = (createdMs) => [
  {
    hookId: "ecs-pause-Xk7rT2mPq9wLs3vB",
    targetType: "PAUSE",
    status: "AWAITING_ACTION",
    expiresAt: (createdMs + 3_600_000) / 1000,
    timeoutAction: "ROLLBACK",
  },
];

const PAUSE = {
  name: "pause",
  prefix: "bench-pause",
  staged: {
    strategy: "CANARY",
    bakeMinutes: 1,
    phases: [...SCALE_UP, stage(PAUSE_FROM, "PRE_PRODUCTION_TRAFFIC_SHIFT", 0, 100, { hooks: pauseHook })],
  },
  config: [
    'strategy = "CANARY"',
    "bake_time = 1",
    "[[deployment.lifecycle_hooks]]",
    'target = "pause"',
    'stages = ["PRE_PRODUCTION_TRAFFIC_SHIFT"]',
  ],
  pace: scriptPace({ scale: FAST }),
  /** until the run's end: the pause holds for ever, the wait does not */
  window: [PAUSE_FROM, Number.POSITIVE_INFINITY],
  terminal: PAUSE_FROM,
};

const WAIT_READS = new Set([
  "DescribeServices",
  "DescribeServiceDeployments",
  "ListServiceDeployments",
  "DescribeTargetHealth",
  "ListTasks",
  "DescribeTasks",
]);

function byOperation(calls) {
  const counts = {};
  for (const c of calls) counts[c.operation] = (counts[c.operation] ?? 0) + 1;
  return counts;
}

/** One held deploy through the bundled action; the calls it made while ECS's script held it. */
async function measure(endpoint, held) {
  const world = await seedWorld({ endpoint, name: held.prefix });
  const wiring = await seedWiring(world, endpoint);
  const script = stagedRollout({ ...held.staged, ...wiring }, world, { scale: FAST, pace: held.pace });
  const proxy = await startProxy({ target: endpoint, motoCompat: true, delayMs: ROUND_TRIP_MS, answer: script.hook });
  const workspace = mkdtempSync(join(tmpdir(), `deploy-action-${held.prefix}-`));
  try {
    const config = [
      guideConfig(world),
      "[deployment]",
      ...held.config,
      "[load_balancer]",
      `alternate_target_group = "${wiring.alternate}"`,
      `production_listener_rule = "${wiring.rule}"`,
      `role_arn = "${wiring.role}"`,
      "",
    ].join("\n");
    writeFileSync(join(workspace, "config.toml"), config);
    const run = await runAction({
      workspace,
      inputs: {
        config: "config.toml",
        images: `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`,
        "poll-interval": String(POLL_SECONDS),
        "wait-timeout": "30",
      },
      env: motoEnv(proxy.endpoint),
      timeoutMs: 600_000,
    });
    if (run.code !== 0) throw new Error(`${held.name} bench failed:\n${run.stdout}\n${run.stderr}`);
    // Script seconds on the real clock (epoch ms); proxy times are performance.now()'s.
    const started = script.started[0]?.at ?? 0;
    const real = (t) => started + held.pace.ms(t);
    // The verdict rests on the wait's last read; what follows (the summary, the exit) is reporting.
    const reads = proxy.calls.filter((c) => WAIT_READS.has(c.operation));
    const exited = performance.timeOrigin + Math.max(...reads.map((c) => c.end));
    const from = real(held.window[0]);
    // The pause's window closes with the wait's last read (the calls of that look are in it).
    const until = Math.min(real(held.window[1]), exited + 1);
    const during = proxy.calls.filter((c) => {
      const at = performance.timeOrigin + c.start;
      return at >= from && at < until;
    });
    return {
      held: held.name,
      result: run.outputs.result,
      windowSeconds: Math.round((until - from) / 100) / 10,
      calls: during.length,
      callsPerMinute: Math.round((during.length / ((until - from) / 60_000)) * 10) / 10,
      byOperation: byOperation(during),
      verdictAfterTerminalMs: Math.round(exited - real(held.terminal)),
    };
  } finally {
    await proxy.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function ops(byOp) {
  return Object.entries(byOp)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
}

/** The bake and the pause side by side, against one moto server. */
export async function strategiesBench() {
  const moto = await startMoto();
  let bake;
  let pause;
  try {
    [bake, pause] = await Promise.all([measure(moto.endpoint, BAKE), measure(moto.endpoint, PAUSE)]);
  } finally {
    await moto.stop();
  }
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const markdown = [
    "## A staged deploy held: a 10-minute bake time and a pause (scripted service deployments through the bundled action)",
    "",
    `AWS calls while ECS holds a deploy, the action polling every ${POLL_SECONDS} s on the real clock, every answer ${ROUND_TRIP_MS} ms late. Bar (issue`,
    "21.2): at most 15 calls a minute through a bake, one DescribeServiceDeployments a poll and the service (and what it",
    "leads to) every 90 s, the verdict still within one poll of ECS's SUCCESSFUL. The window measured opens as ECS's",
    `script enters BAKE_TIME and lasts the ${BAKE_REAL_S} s it plays at ECS's own pace (the stages before play ${1 / FAST} times faster, the`,
    "rest of the bake 60 times): the service read every 90 s shows in it, and so does the look that first sees the bake,",
    `which a 10-minute bake spreads over 10 minutes, not ${Math.round(BAKE_REAL_S / 6) / 10}: the rate is an upper bound for it. A pause hook that awaits`,
    "an answer ends the wait at the look that sees it (result `paused`); nothing of the action runs while the deployment",
    "waits for its answer.",
    "",
    "| held | window (real time) | verdict | after ECS's terminal state | calls in the window | calls / min | calls by operation |",
    "|---|---|---|---|---|---|---|",
    `| blue/green BAKE_TIME of ${BAKE_MINUTES} min | its first ${bake.windowSeconds} s | ${bake.result} | ${s(bake.verdictAfterTerminalMs)} after SUCCESSFUL | ${bake.calls} | ${bake.callsPerMinute} | ${ops(bake.byOperation)} |`,
    `| canary pause at PRE_PRODUCTION_TRAFFIC_SHIFT | from the pause to the wait's last read: ${pause.windowSeconds} s | ${pause.result} | ${s(pause.verdictAfterTerminalMs)} after the hook awaits | ${pause.calls} | none once the run ended | ${ops(pause.byOperation)} |`,
  ];
  return { figures: { bake, pause }, markdown };
}
