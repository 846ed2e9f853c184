// Least privilege, proven: the documented IAM policy (docs/iam-policy.json, shown in docs/iam.md) lists exactly the
// AWS actions the bundled action performs. Every end-to-end run checks that each call it made is documented
// (support/e2e.ts); this file runs representative deploys, one per path through the action, and checks the other
// direction: no documented action goes unused. A new path that makes new calls adds its run to RUNS.
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describe, expect, it } from "vitest";
import { matchDrain, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import { scriptedTasks } from "../../scripts/lib/scripted-task.mjs";
import { guideConfig, seedNetworkWiring } from "../../scripts/lib/seed.mjs";
import {
  clientConfig,
  deployAction,
  endpoint,
  guideWorkspace,
  image,
  registerRevision,
  seed,
  type World,
  workspaceWith,
} from "../support/e2e.js";
import { IMPLIED, policy, UNSCOPABLE, unused } from "../support/iam.js";
import { SCALE_UP, stage, stagedConfig, stagedRun } from "../support/staged.js";

type Calls = Awaited<ReturnType<typeof deployAction>>["calls"];

/** Revisions 2 and 3 of the family from earlier deploys, so that keep-revisions has some to deregister. */
async function olderRevisions(world: World): Promise<void> {
  for (const tag of ["old-1", "old-2"]) await registerRevision(world, tag);
}

/**
 * The healthy scripted rollout on a blue/green service, where the wait follows ECS's service deployment: the
 * proxy answers ListServiceDeployments and DescribeServiceDeployments for ours (IN_PROGRESS, then SUCCESSFUL when
 * the script's deployment completes). It exists to make those calls through the bundle; the verdict on staged
 * strategies is tested in __tests__/rollout/service-deployments.test.ts.
 */
function blueGreen(world: World) {
  const script = scriptedRollout("healthy", world, { scale: 0.1 });
  const hook: NonNullable<Parameters<typeof deployAction>[2]> = async (call) => {
    const ours = script.started[0];
    if (ours && call.operation === "ListServiceDeployments") {
      return { body: JSON.stringify({ serviceDeployments: [serviceDeployment(world, ours)] }) };
    }
    if (ours && call.operation === "DescribeServiceDeployments") {
      return { body: JSON.stringify({ serviceDeployments: [serviceDeployment(world, ours)], failures: [] }) };
    }
    const answer = await script.hook(call as Parameters<typeof script.hook>[0]);
    if (call.operation !== "DescribeServices" || !answer || !ours) return answer;
    const body = JSON.parse(answer.body);
    for (const service of body.services ?? []) service.deploymentConfiguration.strategy = "BLUE_GREEN";
    return { ...answer, body: JSON.stringify(body) };
  };
  return hook;
}

function serviceDeployment(world: World, ours: { id: string; at: number }) {
  const done = Date.now() - ours.at >= 6000;
  const base = `arn:aws:ecs:${world.region}:${world.account}`;
  return {
    serviceDeploymentArn: `${base}:service-deployment/${world.cluster}/${world.service}/ours`,
    targetServiceRevisionArn: `${base}:service-revision/${world.cluster}/${world.service}/${ours.id.replace("ecs-svc/", "")}`,
    targetServiceRevision: {
      arn: `${base}:service-revision/${world.cluster}/${world.service}/${ours.id.replace("ecs-svc/", "")}`,
    },
    createdAt: ours.at / 1000,
    status: done ? "SUCCESSFUL" : "IN_PROGRESS",
    lifecycleStage: done ? "CLEAN_UP" : "BAKE_TIME",
  };
}

/** One deploy per path through the action; together they make every call the action can make. */
const RUNS: Record<string, () => Promise<{ result: string | undefined; calls: Calls }>> = {
  "a waited-for blue/green deploy that cleans up old revisions": async () => {
    const world = await seed("iam-ok");
    await matchDrain(endpoint(), world, "healthy", 0.1);
    await olderRevisions(world);
    const inputs = { images: image(world), "poll-interval": "1", "wait-timeout": "1", "keep-revisions": "1" };
    const run = await deployAction(guideWorkspace(world), inputs, blueGreen(world));
    return { result: run.outputs.result, calls: run.calls };
  },
  "a deploy whose config names its network and a Secrets Manager secret (checked, never read)": async () => {
    const world = await seed("iam-net");
    const sm = new SecretsManagerClient(clientConfig(world));
    const secret = await sm.send(new CreateSecretCommand({ Name: `${world.service}/db`, SecretString: "never-read" }));
    sm.destroy();
    const config = `${guideConfig(world)}[secrets]\nDB_URL = "${secret.ARN}"\n[network]\nsubnets = ${JSON.stringify(world.subnetIds)}\nsecurity_groups = ["${world.securityGroupId}"]\n`;
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });
    return { result: run.outputs.result, calls: run.calls };
  },
  "a paused canary answered by a second run, whose alarm then fires: StopServiceDeployment": async () => {
    const alarms = { status: "TRIGGERED", alarmNames: ["web-5xx"], triggeredAlarmNames: ["web-5xx"] };
    const hooks = (status: string) => () => [{ hookId: "ecs-pause-Q3", targetType: "PAUSE", status }];
    const phases = [
      ...SCALE_UP,
      stage(75, "PRE_PRODUCTION_TRAFFIC_SHIFT", 0, 100, { hooks: hooks("AWAITING_ACTION") }),
    ];
    const afterContinue = [
      stage(0, "PRODUCTION_TRAFFIC_SHIFT", 5, 100, { hooks: hooks("SUCCEEDED") }),
      stage(20, "PRODUCTION_TRAFFIC_SHIFT", 5, 100, { hooks: hooks("SUCCEEDED"), alarms }),
    ];
    // An opaque revision ARN: the first run proves the service deployment ours through DescribeServiceRevisions.
    const staged = {
      strategy: "CANARY",
      bakeMinutes: 5,
      alarms: ["web-5xx"],
      phases,
      afterContinue,
      opaqueRevision: true,
    };
    const keys = [
      'strategy = "CANARY"',
      "bake_time = 5",
      'alarms = { names = ["web-5xx"], rollback = false }',
      "[[deployment.lifecycle_hooks]]",
      'target = "pause"',
      'stages = ["PRE_PRODUCTION_TRAFFIC_SHIFT"]',
    ];
    // With a test listener rule beside the production one: both read by DescribeRules.
    const { run, script, answer } = await stagedRun("iam-canary", staged, keys, { testRule: true });
    const second = await answer({ continue: script.arn });
    return { result: `${run.outputs.result}, then ${second.outputs.result}`, calls: [...run.calls, ...second.calls] };
  },
  "a blue/green deploy behind a Network Load Balancer, not waited for: its listener read (DescribeListeners)":
    async () => {
      const world = await seed("iam-nlb");
      const wiring = await seedNetworkWiring(world, endpoint());
      const config = stagedConfig(world, wiring, ['strategy = "BLUE_GREEN"', "bake_time = 5"]);
      const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });
      return { result: run.outputs.result, calls: run.calls };
    },
  "a crash loop that reads the container's logs and rolls back": async () => {
    const world = await seed("iam-crash");
    await matchDrain(endpoint(), world, "crash-loop-without-breaker", 0.1);
    const script = scriptedRollout("crash-loop-without-breaker", world, { scale: 0.1 });
    const inputs = { images: image(world), "poll-interval": "1", "wait-timeout": "1" };
    const run = await deployAction(guideWorkspace(world), inputs, script.hook);
    return { result: run.outputs.result, calls: run.calls };
  },
  "a pre-deploy task that runs past its timeout and is stopped": preDeployTimeout,
};

/** A pre-deploy task that runs past its timeout: RunTask, DescribeTasks, GetLogEvents and StopTask. */
async function preDeployTimeout() {
  const world = await seed("iam-pre");
  const script = scriptedTasks({
    endpoint: endpoint(),
    region: world.region,
    tasks: [{ runMs: Number.POSITIVE_INFINITY }],
  });
  const config = `${guideConfig(world)}[[pre_deploy]]\ncommand = ["bin/migrate"]\ntimeout = 0.05\n`;
  try {
    const inputs = { images: image(world), wait: "false", "poll-interval": "1" };
    const run = await deployAction(workspaceWith(config), inputs, script.hook);
    return { result: run.outputs.result, calls: run.calls };
  } finally {
    script.stop();
  }
}

describe("the documented IAM policy", () => {
  it("lists no action that the action's runs do not use", async () => {
    const runs = await Promise.all(Object.values(RUNS).map((run) => run()));
    expect(runs.map((r) => r.result)).toEqual([
      "succeeded",
      "started",
      "paused, then failed",
      "started",
      "failed",
      "failed",
    ]);
    const calls = runs.flatMap((r) => r.calls);
    // Each call of every run is documented already: support/e2e.ts fails a run that makes an undocumented one.
    expect(unused(calls)).toEqual([]);
    expect(calls.map((c) => `${c.service}:${c.operation}`)).toContain("ecs:ListServiceDeployments");
  });

  it("names resources wherever AWS allows it", () => {
    for (const statement of policy().Statement) {
      expect(statement.Effect).toBe("Allow");
      if (statement.Resource !== "*") continue;
      for (const action of statement.Action) expect(UNSCOPABLE, `${action} on "*"`).toContain(action);
    }
    const list = policy().Statement.find((s) => s.Action.includes("ecs:ListTasks"));
    expect(list?.Condition).toEqual({ ArnEquals: { "ecs:cluster": "arn:aws:ecs:REGION:ACCOUNT:cluster/CLUSTER" } });
  });

  it("passes the two task roles, to ECS tasks only", () => {
    const pass = policy().Statement.filter((s) => s.Action.includes("iam:PassRole"));
    expect(pass).toHaveLength(1);
    expect(pass[0]?.Action).toEqual(["iam:PassRole"]);
    expect(pass[0]?.Resource).toEqual([
      "arn:aws:iam::ACCOUNT:role/EXECUTION_ROLE",
      "arn:aws:iam::ACCOUNT:role/TASK_ROLE",
    ]);
    expect(pass[0]?.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
  });

  it("lists each action once, and only permissions that a call of the action needs", () => {
    const actions = policy().Statement.flatMap((s) => s.Action);
    expect(new Set(actions).size).toBe(actions.length);
    for (const action of actions) expect(action).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/);
    expect(Object.keys(IMPLIED).every((action) => actions.includes(action))).toBe(true);
  });
});
