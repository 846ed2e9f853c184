// Blue/green, linear and canary deploys through the bundled action. On moto (end to end): what UpdateService carries,
// read back with DescribeServices, and what a config without the keys leaves alone. Scripted (the proxy plays the
// service deployments moto cannot: scripts/lib/scenarios-staged.mjs): the stages printed, the first error line, and
// the calls made. Scripted rollouts are the verdict's proof, not AWS's.
import { UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import { deployAction, describeService, ecsClient, errorLines, image, seed, workspaceWith } from "../support/e2e.js";
import {
  HOOK_ROLE,
  type Phase,
  ROLE,
  SCALE_UP,
  SMOKE,
  seedWiring,
  stage,
  stagedConfig,
  stagedRun,
  stageLines,
  toldStages,
} from "../support/staged.js";

const TRIGGERED = { status: "TRIGGERED", alarmNames: ["web-5xx"], triggeredAlarmNames: ["web-5xx"] };
/** The test traffic shift and the stage after it, 4 s each: shorter than a poll at the tests' pace. */
const TEST_SHIFT: Phase[] = [stage(75, "TEST_TRAFFIC_SHIFT", 0, 100), stage(79, "POST_TEST_TRAFFIC_SHIFT", 0, 100)];
/** A phase of ECS rolling back after the alarm web-5xx fired. */
const back = (status: string, more: Record<string, unknown> = {}) => ({ status, alarms: TRIGGERED, ...more });

/** A canary under the alarm web-5xx (ECS rolling back by itself or not), scaled up, then `phases`. */
function canaryUnderAlarm(prefix: string, rollback: boolean, phases: Phase[]) {
  return stagedRun(
    prefix,
    { strategy: "CANARY", bakeMinutes: 5, alarms: ["web-5xx"], phases: [...SCALE_UP, ...phases] },
    ['strategy = "CANARY"', "bake_time = 5", `alarms = { names = ["web-5xx"], rollback = ${rollback} }`],
  );
}

describe.concurrent("staged strategies on moto", () => {
  it("UpdateService carries the strategy, bake time, hooks and the blue/green wiring", async () => {
    const world = await seed("bg-set");
    const wiring = await seedWiring(world);
    const config = stagedConfig(world, wiring, [
      'strategy = "CANARY"',
      "bake_time = 15",
      "canary = { percent = 5, bake_time = 10 }",
      "[[deployment.lifecycle_hooks]]",
      `target = "${SMOKE}"`,
      'stages = ["POST_TEST_TRAFFIC_SHIFT"]',
      `role_arn = "${HOOK_ROLE}"`,
      "timeout = 30",
      "[[deployment.lifecycle_hooks]]",
      'target = "pause"',
      'stages = ["PRE_PRODUCTION_TRAFFIC_SHIFT"]',
      'on_timeout = "ROLLBACK"',
    ]);
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });

    expect(run.code, run.stdout).toBe(0);
    const service = await describeService(world);
    expect(service?.deploymentConfiguration).toMatchObject({
      strategy: "CANARY",
      bakeTimeInMinutes: 15,
      canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 },
      lifecycleHooks: [
        {
          targetType: "AWS_LAMBDA",
          hookTargetArn: SMOKE,
          roleArn: HOOK_ROLE,
          lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"],
          timeoutConfiguration: { timeoutInMinutes: 30 },
        },
        {
          targetType: "PAUSE",
          lifecycleStages: ["PRE_PRODUCTION_TRAFFIC_SHIFT"],
          timeoutConfiguration: { action: "ROLLBACK" },
        },
      ],
    });
    expect(service?.loadBalancers?.[0]).toMatchObject({
      targetGroupArn: world.targetGroupArn,
      advancedConfiguration: {
        alternateTargetGroupArn: wiring.alternate,
        productionListenerRule: wiring.rule,
        roleArn: ROLE,
      },
    });
    // The wiring was checked before anything changed, and the plan shows what changes.
    const operations = run.calls.map((c) => c.operation);
    expect(operations.indexOf("DescribeRules")).toBeLessThan(operations.indexOf("RegisterTaskDefinition"));
    expect(run.summary).toContain("~ service deployment strategy: ROLLING → CANARY");
    expect(run.summary).toContain("~ service bake time: none → 15 min");
  });

  it("a config without the strategy keys leaves the service's deployment configuration untouched", async () => {
    const world = await seed("bg-keep");
    const wiring = await seedWiring(world);
    const before = {
      strategy: "BLUE_GREEN" as const,
      bakeTimeInMinutes: 20,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    };
    const loadBalancers = [
      {
        targetGroupArn: world.targetGroupArn,
        containerName: world.service,
        containerPort: world.port,
        advancedConfiguration: {
          alternateTargetGroupArn: wiring.alternate,
          productionListenerRule: wiring.rule,
          roleArn: ROLE,
        },
      },
    ];
    const ecs = ecsClient(world);
    try {
      await ecs.send(
        new UpdateServiceCommand({
          cluster: world.cluster,
          service: world.service,
          deploymentConfiguration: before,
          loadBalancers,
        }),
      );
    } finally {
      ecs.destroy();
    }
    const set = await describeService(world);
    const sent: string[] = [];
    const run = await deployAction(
      workspaceWith(guideConfig(world)),
      { images: image(world), wait: "false" },
      async (c) => {
        if (c.operation === "UpdateService") sent.push(c.body);
        return undefined;
      },
    );

    expect(run.code, run.stdout).toBe(0);
    const after = await describeService(world);
    expect(after?.deploymentConfiguration).toEqual(set?.deploymentConfiguration);
    expect(after?.loadBalancers).toEqual(set?.loadBalancers);
    expect(set?.deploymentConfiguration?.strategy).toBe("BLUE_GREEN");
    expect(Object.keys(JSON.parse(sent[0] ?? "{}"))).not.toContain("deploymentConfiguration");
    expect(Object.keys(JSON.parse(sent[0] ?? "{}"))).not.toContain("loadBalancers");
  });

  it("a broken wiring fails the pre-flight, every problem together, and nothing is registered", async () => {
    const world = await seed("bg-bad");
    const wiring = await seedWiring(world);
    const missing = wiring.alternate.replace(/\/[0-9a-f]{16}$/, "/0000000000000000");
    const config = stagedConfig(world, { ...wiring, alternate: missing }, ['strategy = "BLUE_GREEN"']);
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });

    expect(run.code).toBe(1);
    const errors = errorLines(run.stdout).join("\n");
    expect(errors).toContain("(`load_balancer.alternate_target_group`) does not exist");
    expect(errors).toContain("needs `deployment.bake_time`");
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
  });
});

describe.concurrent("staged strategies, scripted", () => {
  it("blue/green: every stage once, through the bake time, to success on SUCCESSFUL", async () => {
    const { run, operations, stages } = await stagedRun(
      "bg-ok",
      {
        strategy: "BLUE_GREEN",
        bakeMinutes: 1,
        phases: [
          ...SCALE_UP,
          stage(75, "TEST_TRAFFIC_SHIFT", 0, 100),
          stage(95, "PRODUCTION_TRAFFIC_SHIFT", 100, 100),
          stage(115, "BAKE_TIME", 100, 100),
          stage(175, "CLEAN_UP", 100, 100),
          stage(195, "CLEAN_UP", 100, 100, { status: "SUCCESSFUL" }),
        ],
      },
      ['strategy = "BLUE_GREEN"', "bake_time = 1"],
    );

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    // Each stage once, in ECS's order (a stage of two seconds on a loaded machine may fall between two looks, as it
    // may on ECS between two polls; the traffic shifts and the bake time last longer and are always seen).
    const names = stages.map((l) => l.split(":")[0] ?? "");
    const order = [
      "stage RECONCILE_SERVICE",
      "stage SCALE_UP",
      "stage POST_SCALE_UP",
      "stage TEST_TRAFFIC_SHIFT",
      "stage PRODUCTION_TRAFFIC_SHIFT",
      "stage BAKE_TIME",
      "stage CLEAN_UP",
    ];
    expect(names).toEqual(order.filter((n) => names.includes(n)));
    expect(names).toEqual(expect.arrayContaining(order.slice(3)));
    expect(stages).toContain("stage TEST_TRAFFIC_SHIFT: production 0% · test 100% on revision 2");
    expect(stages.find((l) => l.startsWith("stage BAKE_TIME"))).toMatch(/of bake time left, the old revision ready/);
    expect(run.stdout).toContain("service deployment IN_PROGRESS → SUCCESSFUL");
    expect(operations).toContain("DescribeServiceDeployments");
    expect(operations).not.toContain("StopServiceDeployment");
    expect(operations.filter((o) => o === "UpdateService")).toHaveLength(1);
  });

  it("a cancel during a canary's traffic shift says where traffic stands, and leaves the deployment to ECS", async () => {
    const { run, operations } = await stagedRun(
      "canary-cancel",
      { strategy: "CANARY", bakeMinutes: 1, phases: [...SCALE_UP, stage(75, "PRODUCTION_TRAFFIC_SHIFT", 5, 100)] },
      ['strategy = "CANARY"', "bake_time = 1", "canary = { percent = 5, bake_time = 10 }"],
      { cancelOn: /stage PRODUCTION_TRAFFIC_SHIFT/ },
    );

    expect(run.outputs.result).toBe("cancelled");
    const line = run.stdout.split("\n").find((l) => l.includes("cancelled after")) ?? "";
    expect(line, run.stdout).toMatch(/production 5% · test 100% on revision 2/);
    expect(line).toContain("the deployment goes on in ECS");
    expect(operations).not.toContain("StopServiceDeployment");
  });

  it("canary: an alarm at 5% fails the deploy, and StopServiceDeployment(ROLLBACK) moves the traffic back", async () => {
    const { run, script, operations } = await canaryUnderAlarm("canary-alarm", false, [
      stage(75, "TEST_TRAFFIC_SHIFT", 0, 100),
      stage(95, "PRODUCTION_TRAFFIC_SHIFT", 5, 100),
      stage(125, "PRODUCTION_TRAFFIC_SHIFT", 5, 100, { alarms: TRIGGERED }),
    ]);

    expect(run.code).toBe(1);
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(
      /^alarm web-5xx fired at PRODUCTION_TRAFFIC_SHIFT with production 5% · test 100% on revision 2/,
    );
    expect(first).toContain("rolled back to");
    expect(first).toContain("by ECS: production traffic is on it again");
    expect(script.stops.map((s) => s.request)).toEqual([{ serviceDeploymentArn: script.arn, stopType: "ROLLBACK" }]);
    // The ECS way: no second UpdateService, and the rollback was read until ROLLBACK_SUCCESSFUL.
    expect(operations.filter((o) => o === "UpdateService")).toHaveLength(1);
    expect(run.stdout).toContain("service deployment ROLLBACK_SUCCESSFUL: production 0% · test 0% on revision 2");
  });

  // Issue 21.1: stages shorter than a poll (1 s here, 10 s of ECS's time), and an alarm firing mid-shift.
  it("canary: each stage told once though shorter than a poll; the alarm placed where ECS was when it fired", async () => {
    const { run, script } = await canaryUnderAlarm("canary-mid-shift", true, [
      ...TEST_SHIFT,
      stage(83, "PRODUCTION_TRAFFIC_SHIFT", 10, 100),
      // The alarm fires with production at 10 %: ECS asks for the rollback, then moves the traffic back.
      stage(87, "PRODUCTION_TRAFFIC_SHIFT", 10, 100, back("ROLLBACK_REQUESTED")),
      stage(100, "PRODUCTION_TRAFFIC_SHIFT", 0, 0, back("ROLLBACK_IN_PROGRESS")),
      stage(110, "CLEAN_UP", 0, 0, back("ROLLBACK_SUCCESSFUL", { reason: "Alarm web-5xx in ALARM state." })),
    ]);

    expect(run.code).toBe(1);
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(
      /^alarm web-5xx fired at PRODUCTION_TRAFFIC_SHIFT with production 10% · test 100% on revision 2/,
    );
    // Every stage ECS went through going forward, told once: seen by a look, or passed between two.
    const told = toldStages(run.stdout);
    for (const name of ["SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT"]) {
      expect(
        told.filter((t) => t === name),
        name,
      ).toHaveLength(1);
    }
    expect(new Set(told).size).toBe(told.length);
    // No health line beside a production weight above 0 says none of ours is healthy.
    const contradictions = run.stdout
      .split("\n")
      .filter((l) => /production [1-9]\d*%/.test(l) && / 0\/2 healthy/.test(l));
    expect(contradictions).toEqual([]);
    // ECS rolled back by itself (rollback = true): not ours to stop.
    expect(script.stops).toEqual([]);
  });

  // Issue 21.1, on ECS's clock: the look that sees the rollback comes later, in another stage, its weights already
  // moved back; where ECS was comes from rollback.startedAt and the looks placed on ECS's clock (updatedAt).
  it("canary: the rollback seen a stage later names the shift and the weights in effect when ECS began it", async () => {
    const { run } = await canaryUnderAlarm("canary-clock", true, [
      ...TEST_SHIFT,
      stage(83, "PRODUCTION_TRAFFIC_SHIFT", 5, 100),
      // The alarm turns ECS back at 87 s: the traffic goes back at once, then the test traffic shift is re-run.
      stage(87, "PRODUCTION_TRAFFIC_SHIFT", 0, 0, back("ROLLBACK_IN_PROGRESS")),
      stage(95, "TEST_TRAFFIC_SHIFT", 0, 0, back("ROLLBACK_IN_PROGRESS")),
      stage(115, "CLEAN_UP", 0, 0, back("ROLLBACK_SUCCESSFUL", { reason: "Alarm web-5xx in ALARM state." })),
    ]);

    expect(run.code).toBe(1);
    expect(errorLines(run.stdout)[0], run.stdout).toMatch(
      /^alarm web-5xx fired at PRODUCTION_TRAFFIC_SHIFT with production 5% · test 100% on revision 2; ECS/,
    );
    const told = toldStages(run.stdout);
    expect(new Set(told).size, run.stdout).toBe(told.length);
    for (const name of ["SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT"])
      expect(told, name).toContain(name);
  });

  it("linear: three production steps, each printed once with its weight", async () => {
    const { run, stages } = await stagedRun(
      "linear",
      {
        strategy: "LINEAR",
        bakeMinutes: 0,
        phases: [
          ...SCALE_UP,
          stage(75, "TEST_TRAFFIC_SHIFT", 0, 100),
          stage(95, "PRODUCTION_TRAFFIC_SHIFT", 34, 100),
          stage(115, "PRODUCTION_TRAFFIC_SHIFT", 68, 100),
          stage(135, "PRODUCTION_TRAFFIC_SHIFT", 100, 100),
          stage(155, "CLEAN_UP", 100, 100),
          stage(170, "CLEAN_UP", 100, 100, { status: "SUCCESSFUL" }),
        ],
      },
      ['strategy = "LINEAR"', "bake_time = 0", "linear = { step_percent = 34, step_bake_time = 0 }"],
    );

    expect(run.code, run.stdout).toBe(0);
    expect(stages.filter((l) => l.startsWith("stage PRODUCTION_TRAFFIC_SHIFT"))).toEqual([
      "stage PRODUCTION_TRAFFIC_SHIFT: production 34% · test 100% on revision 2",
      "stage PRODUCTION_TRAFFIC_SHIFT, step 2: production 68% · test 100% on revision 2",
      "stage PRODUCTION_TRAFFIC_SHIFT, step 3: production 100% · test 100% on revision 2",
    ]);
  });

  it("a Lambda hook failing at the test traffic shift: ECS rolls back, the first line names the hook and where", async () => {
    const hook = (status: string) => () => [
      { hookId: "h-Xk7rT2mPq9", targetType: "AWS_LAMBDA", targetArn: SMOKE, status },
    ];
    const { run, script, operations } = await stagedRun(
      "hook-fail",
      {
        strategy: "BLUE_GREEN",
        bakeMinutes: 1,
        phases: [
          ...SCALE_UP,
          stage(75, "TEST_TRAFFIC_SHIFT", 0, 100, { hooks: hook("IN_PROGRESS") }),
          stage(95, "TEST_TRAFFIC_SHIFT", 0, 0, {
            hooks: hook("FAILED"),
            status: "ROLLBACK_IN_PROGRESS",
            reason: "Service deployment rolled back because the lifecycle hook web-smoke-test returned FAILED.",
          }),
          stage(115, "CLEAN_UP", 0, 0, { hooks: hook("FAILED"), status: "ROLLBACK_SUCCESSFUL" }),
        ],
      },
      [
        'strategy = "BLUE_GREEN"',
        "bake_time = 1",
        "[[deployment.lifecycle_hooks]]",
        `target = "${SMOKE}"`,
        'stages = ["TEST_TRAFFIC_SHIFT"]',
        `role_arn = "${HOOK_ROLE}"`,
      ],
    );

    expect(run.code).toBe(1);
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(
      /^lifecycle hook web-smoke-test \(Lambda\) failed at TEST_TRAFFIC_SHIFT with production 0% · test 100% on revision 2; ECS is rolling back/,
    );
    expect(run.stdout).toContain(
      "stage TEST_TRAFFIC_SHIFT: production 0% · test 100% on revision 2; hook web-smoke-test (Lambda) IN_PROGRESS",
    );
    // ECS rolls back by itself: not ours to stop, nor to redeploy.
    expect(script.stops).toEqual([]);
    expect(operations.filter((o) => o === "UpdateService")).toHaveLength(1);
  });

  it("a pause hook awaiting an answer ends the wait as paused; a second run with `continue` answers it and waits", async () => {
    const pause = (status: string) => (createdMs: number) => [
      {
        hookId: "ecs-pause-Xk7rT2mPq9wLs3vB",
        targetType: "PAUSE",
        status,
        expiresAt: (createdMs + 3_600_000) / 1000,
        timeoutAction: "ROLLBACK",
      },
    ];
    const { run, script, answer } = await stagedRun(
      "pause",
      {
        strategy: "CANARY",
        bakeMinutes: 1,
        phases: [...SCALE_UP, stage(75, "PRE_PRODUCTION_TRAFFIC_SHIFT", 0, 100, { hooks: pause("AWAITING_ACTION") })],
        afterContinue: [
          stage(0, "PRODUCTION_TRAFFIC_SHIFT", 5, 100, { hooks: pause("SUCCEEDED") }),
          stage(60, "PRODUCTION_TRAFFIC_SHIFT", 100, 100, { hooks: pause("SUCCEEDED") }),
          stage(90, "BAKE_TIME", 100, 100, { hooks: pause("SUCCEEDED") }),
          stage(110, "CLEAN_UP", 100, 100, { hooks: pause("SUCCEEDED") }),
          stage(125, "CLEAN_UP", 100, 100, { hooks: pause("SUCCEEDED"), status: "SUCCESSFUL" }),
        ],
      },
      [
        'strategy = "CANARY"',
        "bake_time = 1",
        "[[deployment.lifecycle_hooks]]",
        'target = "pause"',
        'stages = ["PRE_PRODUCTION_TRAFFIC_SHIFT"]',
      ],
    );

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.result).toBe("paused");
    expect(run.outputs["service-deployment"]).toBe(script.arn);
    expect(run.stdout).toMatch(
      /::notice::paused by a pause hook at PRE_PRODUCTION_TRAFFIC_SHIFT with production 0%25 · test 100%25 on revision 2; it expires at \S+Z \(in \d+m\d*s?\), then ECS will ROLLBACK/,
    );
    expect(run.stdout).toContain(`run this action with \`continue: ${script.arn}\``);
    expect(run.stdout).toContain(
      `aws ecs continue-service-deployment --service-deployment-arn ${script.arn} --hook-id ecs-pause-Xk7rT2mPq9wLs3vB --action CONTINUE`,
    );
    expect(script.continues).toEqual([]);

    // As docs/strategies.md and the canary example have it: answering deploys nothing, `images` is empty.
    const second = await answer({ continue: script.arn, answer: "continue", images: "" });
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs.result).toBe("succeeded");
    expect(script.continues.map((c) => c.request)).toEqual([
      { serviceDeploymentArn: script.arn, hookId: "ecs-pause-Xk7rT2mPq9wLs3vB", action: "CONTINUE" },
    ]);
    const operations = second.calls.map((c) => c.operation);
    // Nothing deployed again: no task definition, no UpdateService; the canary went on to all the traffic.
    expect(operations).not.toContain("RegisterTaskDefinition");
    expect(operations).not.toContain("UpdateService");
    const shifts = stageLines(second.stdout).filter((l) => l.startsWith("stage PRODUCTION_TRAFFIC_SHIFT"));
    expect(shifts.map((l) => l.split(";")[0])).toEqual([
      "stage PRODUCTION_TRAFFIC_SHIFT: production 5% · test 100% on revision 2",
      "stage PRODUCTION_TRAFFIC_SHIFT, step 2: production 100% · test 100% on revision 2",
    ]);
    expect(script.stops).toEqual([]);
  });

  it("`continue` on a service deployment that awaits nothing is refused, and nothing is answered", async () => {
    const { script, answer } = await stagedRun(
      "pause-none",
      { strategy: "BLUE_GREEN", bakeMinutes: 1, phases: [...SCALE_UP] },
      ['strategy = "BLUE_GREEN"', "bake_time = 1"],
      { inputs: { wait: "false" } },
    );
    const second = await answer({ continue: script.arn, answer: "rollback" });
    expect(second.code).toBe(1);
    expect(errorLines(second.stdout)[0]).toMatch(
      /awaits no answer: it is IN_PROGRESS at (RECONCILE_SERVICE|SCALE_UP|POST_SCALE_UP), with no pause hook awaiting action/,
    );
    expect(script.continues).toEqual([]);
  });

  it("a pause that expired without an answer fails with its expiry, and ECS's rollback", async () => {
    const expired = (createdMs: number) => [
      {
        hookId: "ecs-pause-Xk7rT2mPq9wLs3vB",
        targetType: "PAUSE",
        status: "TIMED_OUT",
        expiresAt: (createdMs + 7_000) / 1000,
        timeoutAction: "ROLLBACK",
      },
    ];
    const { run } = await stagedRun(
      "pause-exp",
      {
        strategy: "CANARY",
        bakeMinutes: 5,
        phases: [
          ...SCALE_UP,
          stage(75, "POST_TEST_TRAFFIC_SHIFT", 0, 100),
          stage(95, "PRE_PRODUCTION_TRAFFIC_SHIFT", 0, 0, { hooks: expired, status: "ROLLBACK_IN_PROGRESS" }),
          stage(115, "CLEAN_UP", 0, 0, { hooks: expired, status: "ROLLBACK_SUCCESSFUL" }),
        ],
      },
      [
        'strategy = "CANARY"',
        "bake_time = 5",
        "[[deployment.lifecycle_hooks]]",
        'target = "pause"',
        'stages = ["PRE_PRODUCTION_TRAFFIC_SHIFT"]',
        "timeout = 1",
      ],
    );

    expect(run.code).toBe(1);
    expect(errorLines(run.stdout)[0]).toMatch(
      /^pause hook ecs-pause-Xk7rT2mPq9wLs3vB expired at \S+Z without an answer \(timeout action ROLLBACK\) at POST_TEST_TRAFFIC_SHIFT with production 0% · test 100% on revision 2; ECS is rolling back/,
    );
  });
});
