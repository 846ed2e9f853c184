// The strategy chosen once, and the two rollbacks behind one signature, on a fake clock: the staged rollback's
// reads of the service deployment, its deadline and its fallback; the answered pause's wait for its answer to show.
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  type ServiceDeployment,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import type { WatchResult } from "../../src/rollout/index.js";
import { answerStep } from "../../src/steps/answer.js";
import type { RunContext, WaitPolicy } from "../../src/steps/context.js";
import { ROLLBACK_TIMEOUT_MS, type RollbackInput } from "../../src/steps/rollback/index.js";
import { rollBackRolling } from "../../src/steps/rollback/rolling.js";
import { rollBackStaged } from "../../src/steps/rollback/staged.js";
import { chooseStrategy } from "../../src/steps/strategy.js";
import { fakeClock, mockAws } from "../support/aws.js";
import { recordingHost } from "../support/host.js";

const TD = (revision: number) => `arn:aws:ecs:us-east-1:879613780019:task-definition/app:${revision}`;
const SD = "arn:aws:ecs:us-east-1:879613780019:service-deployment/guide-test/app/Xk7rT2mPq9wLs3vB";
const POLICY: WaitPolicy = {
  onFailure: "rollback",
  timeoutMs: 30 * 60_000,
  pollMs: 5000,
  maxFailedTasks: 3,
  waitUntil: "completed",
};

function context(aws: ReturnType<typeof mockAws>, clock = fakeClock()) {
  const host = recordingHost();
  const ctx: RunContext = {
    host,
    clients: aws.clients as unknown as RunContext["clients"],
    config: {
      account: "879613780019",
      region: "us-east-1",
      cluster: "guide-test",
      service: "app",
    } as RunContext["config"],
    signal: new AbortController().signal,
    clock,
  };
  return { ctx, host, clock };
}

function failedInput(change: { [K in keyof WatchResult]?: WatchResult[K] | undefined } = {}): RollbackInput {
  const result: WatchResult = {
    outcome: "failed",
    message: "alarm app-5xx is in ALARM",
    details: [],
    timeline: [],
    startedAt: 0,
    story: { tasks: [] },
    polls: 3,
    awsCalls: 9,
    serviceDeploymentArn: SD,
    ...(change as Partial<WatchResult>),
  };
  const failed = { deploymentId: "ecs-svc/4980306466373577095", taskDefinitionArn: TD(42), previous: TD(41) };
  return { failed, previous: TD(41), result, policy: POLICY };
}

const sd = (status: string): ServiceDeployment => ({ serviceDeploymentArn: SD, status: status as never });

describe("chooseStrategy", () => {
  it("the config's strategy first, else the service's, else ECS's default ROLLING", () => {
    expect(chooseStrategy({ deployment: { strategy: "CANARY" } } as never, { strategy: "ROLLING" })).toMatchObject({
      name: "CANARY",
      staged: true,
      rollBack: rollBackStaged,
    });
    expect(chooseStrategy({}, { strategy: "BLUE_GREEN" })).toMatchObject({ staged: true, rollBack: rollBackStaged });
    expect(chooseStrategy({ deployment: { strategy: "ROLLING" } } as never, { strategy: "BLUE_GREEN" })).toMatchObject({
      name: "ROLLING",
      staged: false,
      rollBack: rollBackRolling,
    });
    expect(chooseStrategy({}, undefined)).toMatchObject({ name: "ROLLING", staged: false });
  });
});

describe("rollBackStaged", () => {
  it("StopServiceDeployment (ROLLBACK), then a look every poll interval until ECS says ROLLBACK_SUCCESSFUL", async () => {
    const aws = mockAws();
    aws.ecs.on(StopServiceDeploymentCommand).resolves({});
    aws.ecs
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [sd("ROLLBACK_IN_PROGRESS")] })
      .resolvesOnce({ serviceDeployments: [sd("ROLLBACK_IN_PROGRESS")] })
      .resolves({ serviceDeployments: [sd("ROLLBACK_SUCCESSFUL")] });
    const { ctx, host, clock } = context(aws);
    const rolled = await rollBackStaged(ctx, failedInput());
    expect(rolled).toEqual({
      text: "rolled back to app:41 by ECS: production traffic is on it again",
      cancelled: false,
    });
    expect(aws.ecs.commandCalls(StopServiceDeploymentCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArn: SD,
      stopType: "ROLLBACK",
    });
    expect(clock.sleeps).toEqual([5000, 5000]);
    // one line per change, not per look
    expect(host.untrustedLines.map((l) => l.split(":")[0])).toEqual([
      "service deployment ROLLBACK_IN_PROGRESS",
      "service deployment ROLLBACK_SUCCESSFUL",
    ]);
  });

  it("stops looking at the rollback's own deadline, and says ECS goes on with it", async () => {
    const aws = mockAws();
    aws.ecs.on(StopServiceDeploymentCommand).resolves({});
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [sd("ROLLBACK_IN_PROGRESS")] });
    const { ctx, clock } = context(aws);
    const rolled = await rollBackStaged(ctx, failedInput());
    expect(rolled.text).toBe("rollback to app:41 not confirmed in time: ECS goes on with it");
    expect(clock.now()).toBe(ROLLBACK_TIMEOUT_MS);
  });

  it("ECS's rollback failed: its status and reason are the detail", async () => {
    const aws = mockAws();
    aws.ecs.on(StopServiceDeploymentCommand).resolves({});
    aws.ecs
      .on(DescribeServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ ...sd("ROLLBACK_FAILED"), statusReason: "tasks failed to start" }] });
    const { ctx } = context(aws);
    expect(await rollBackStaged(ctx, failedInput())).toEqual({
      text: "rollback to app:41 did not succeed",
      detail: "ECS says ROLLBACK_FAILED: tasks failed to start",
      cancelled: false,
    });
  });

  it("no service deployment found yet: UpdateService back, as a rolling rollback does", async () => {
    const aws = mockAws();
    aws.ecs.on(UpdateServiceCommand).rejects(new Error("boom"));
    const { ctx } = context(aws);
    const rolled = await rollBackStaged(ctx, failedInput({ serviceDeploymentArn: undefined }));
    expect(rolled.text).toBe("rollback to app:41 failed");
    expect(aws.ecs.commandCalls(StopServiceDeploymentCommand)).toHaveLength(0);
    expect(aws.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toMatchObject({ taskDefinition: TD(41) });
  });
});

describe("answerStep", () => {
  const awaiting: ServiceDeployment = {
    serviceDeploymentArn: SD,
    status: "IN_PROGRESS",
    lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
    targetServiceRevision: { arn: "rev/new" },
    sourceServiceRevisions: [{ arn: "rev/old" }],
    lifecycleHookDetails: [{ targetType: "PAUSE", status: "AWAITING_ACTION", hookId: "ecs-pause-1" } as never],
  };

  function answerWorld(seenAfter: number) {
    const aws = mockAws();
    let reads = 0;
    aws.ecs.on(DescribeServiceDeploymentsCommand).callsFake(() => {
      reads++;
      // the first read is the refusal check's; then the answer shows after `seenAfter` more
      const shows = reads > 1 + seenAfter;
      return { serviceDeployments: [shows ? { ...awaiting, lifecycleHookDetails: [] } : awaiting] };
    });
    aws.ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [
        { serviceRevisionArn: "rev/new", taskDefinition: TD(42) },
        { serviceRevisionArn: "rev/old", taskDefinition: TD(41) },
      ],
    });
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          deploymentConfiguration: { strategy: "CANARY" },
          deployments: [{ id: "ecs-svc/1", status: "PRIMARY", taskDefinition: TD(42) }],
        },
      ],
    });
    aws.ecs.on(ContinueServiceDeploymentCommand).resolves({});
    return { aws, reads: () => reads };
  }

  it("answers, waits on the clock for the answer to show, and hands back the deployment and its strategy", async () => {
    const { aws, reads } = answerWorld(2);
    const { ctx, clock } = context(aws);
    const answered = await answerStep(ctx, { continueArn: SD, answer: "continue" });
    expect(aws.ecs.commandCalls(ContinueServiceDeploymentCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArn: SD,
      hookId: "ecs-pause-1",
      action: "CONTINUE",
    });
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(reads()).toBe(4);
    expect(answered.deployment).toEqual({
      deploymentId: "ecs-svc/1",
      taskDefinitionArn: TD(42),
      previous: TD(41),
      serviceDeploymentArn: SD,
    });
    expect(answered.strategy).toMatchObject({ name: "CANARY", staged: true });
  });

  it("starts the wait anyway 30 s on when the answer never shows (eventually consistent reads)", async () => {
    const { aws } = answerWorld(1000);
    const { ctx, clock } = context(aws);
    await answerStep(ctx, { continueArn: SD, answer: "continue" });
    expect(clock.now()).toBe(30_000);
  });
});
