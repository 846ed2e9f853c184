// The wait's cost during a blue/green bake time, for `npm run bench`: AWS calls per minute while ECS holds the
// deploy in BAKE_TIME for 10 minutes (production traffic on the new revision, the old one ready). The wait should
// be nearly idle there: one cheap look per poll. The service deployment is scripted (scenarios-staged.mjs: moto
// answers ListServiceDeployments and DescribeServiceDeployments with HTTP 500), played 10 times faster than ECS
// would (scale 0.1), so the 10 minutes pass in 60 s while the action polls on the real clock, every 5 s.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { runAction } from "./run-action.mjs";
import { stagedRollout } from "./scenarios-staged.mjs";
import { guideConfig, seedWiring, seedWorld } from "./seed.mjs";

const SCALE = 0.1;
const POLL_SECONDS = 5;
const ROUND_TRIP_MS = 50;
const BAKE_MINUTES = 10;
/** Script seconds: reconcile and scale up until our tasks are healthy (53 s), shift test then production traffic. */
const BAKE_FROM = 115;
const BAKE_UNTIL = BAKE_FROM + BAKE_MINUTES * 60;

const stage = (at, name, prod, test, more = {}) => [at, { stage: name, prod, test, ...more }];
const PHASES = [
  stage(0, "RECONCILE_SERVICE", 0, 0),
  stage(20, "SCALE_UP", 0, 0),
  stage(55, "POST_SCALE_UP", 0, 0),
  stage(75, "TEST_TRAFFIC_SHIFT", 0, 100),
  stage(95, "PRODUCTION_TRAFFIC_SHIFT", 100, 100),
  stage(BAKE_FROM, "BAKE_TIME", 100, 100),
  stage(BAKE_UNTIL, "CLEAN_UP", 100, 100),
  stage(BAKE_UNTIL + 20, "CLEAN_UP", 100, 100, { status: "SUCCESSFUL" }),
];

async function measure(endpoint) {
  const world = await seedWorld({ endpoint, name: "bench-bake" });
  const wiring = await seedWiring(world, endpoint);
  const script = stagedRollout(
    { strategy: "BLUE_GREEN", bakeMinutes: BAKE_MINUTES, phases: PHASES, ...wiring },
    world,
    {
      scale: SCALE,
    },
  );
  const proxy = await startProxy({ target: endpoint, motoCompat: true, delayMs: ROUND_TRIP_MS, answer: script.hook });
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-bench-bake-"));
  try {
    const config = [
      guideConfig(world),
      "[deployment]",
      'strategy = "BLUE_GREEN"',
      `bake_time = ${BAKE_MINUTES}`,
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
      // The scripted deployment lasts 74 s on the real clock.
      timeoutMs: 240_000,
    });
    if (run.code !== 0) throw new Error(`bake-time bench failed:\n${run.stdout}\n${run.stderr}`);
    // The bake time on the real clock: script seconds from our deployment's start, scaled. Proxy times are
    // performance.now()'s, the script's the epoch's.
    const started = script.started[0]?.at ?? 0;
    const from = started + BAKE_FROM * SCALE * 1000;
    const until = started + BAKE_UNTIL * SCALE * 1000;
    const during = proxy.calls.filter((c) => {
      const at = performance.timeOrigin + c.start;
      return at >= from && at < until;
    });
    const realMinutes = (until - from) / 60_000;
    const byOperation = {};
    for (const c of during) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
    return {
      result: run.outputs.result,
      bakeMinutes: BAKE_MINUTES,
      pollSeconds: POLL_SECONDS,
      callsDuringBake: during.length,
      callsPerMinute: Math.round((during.length / realMinutes) * 10) / 10,
      looksPerMinute: 60 / POLL_SECONDS,
      byOperation,
    };
  } finally {
    script.stop?.();
    await proxy.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

export async function strategiesBench() {
  const moto = await startMoto();
  let figures;
  try {
    figures = await measure(moto.endpoint);
  } finally {
    await moto.stop();
  }
  const ops = Object.entries(figures.byOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  const markdown = [
    "## Blue/green bake time (a scripted service deployment through the bundled action)",
    "",
    `AWS calls while ECS holds a blue/green deploy in BAKE_TIME for ${BAKE_MINUTES} minutes, polling every ${POLL_SECONDS} s (the`,
    `script runs ${1 / SCALE} times faster than ECS; the action polls on the real clock, so the rate per minute is the one a real`,
    "bake would see). Bar (issue 21.2): at most 15 calls a minute: one DescribeServiceDeployments a poll, the service",
    "(and what it leads to) every 90 s, the verdict still within one poll of ECS's SUCCESSFUL.",
    "",
    "| bake time | poll | verdict | calls during the bake | calls / min | polls / min | calls by operation |",
    "|---|---|---|---|---|---|---|",
    `| ${figures.bakeMinutes} min | ${figures.pollSeconds} s | ${figures.result} | ${figures.callsDuringBake} | ${figures.callsPerMinute} | ${figures.looksPerMinute} | ${ops} |`,
  ];
  return { figures, markdown };
}
