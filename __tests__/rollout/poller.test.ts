// watchRollout end to end over mocked SDK clients and a fake clock: the schedule, the calls it makes (their inputs),
// backoff, errors, timeout, cancellation and the service-deployments fallback — in milliseconds of real time.
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { awsError, scenarioWatch, stateAt } from "../support/aws.js";
import { loadScenario, replay } from "../support/scenario.js";

const OURS = "ecs-svc/4980306466373577095";

const setup = scenarioWatch;

describe("watchRollout over every scenario", () => {
  const scenarios = [
    "healthy-rolling-alb",
    "bad-image-breaker-rollback",
    "bad-image-no-breaker",
    "crash-loop-no-breaker",
    "failing-health-checks",
    "replaced-by-concurrent-deploy",
    "rolled-back-by-someone",
    "steady-on-another-revision",
    "completed-targets-initial",
    "blue-green-success",
    "blue-green-hook-rollback",
  ];
  it.each(scenarios)("%s: the pure verdict, at the poll where the terminal state first shows", async (name) => {
    const { scenario, aws, options } = setup(name);
    const expected = replay(scenario);
    const terminalAt = scenario.polls[expected.index]?.at ?? -1;
    const result = await watchRollout(options);
    expect(result.outcome).toBe(expected.verdict.kind);
    expect(result.message).toBe(expected.verdict.kind === "pending" ? "" : expected.verdict.message);
    expect(result.timeline.at(-1)?.at).toBe(terminalAt);
    expect(result.awsCalls).toBe(aws.calls());
  });
});

describe("schedule and calls", () => {
  it("polls at once, then every pollMs, asking for our service, our deployment's tasks and our target group", async () => {
    const { aws, clock, options, log } = setup("healthy-rolling-alb");
    const result = await watchRollout(options);
    // Every pollMs; from 25 s, every task of ours healthy and the old revision draining: a quick look each second.
    expect(clock.sleeps).toEqual([5000, 5000, 5000, 5000, 5000, 1000, 1000, 1000, 1000, 1000]);
    expect(result).toMatchObject({
      outcome: "succeeded",
      polls: 11,
      message: "revision 42 is live: 2/2 running · 2/2 healthy in tg-app",
    });
    expect(aws.ecs.commandCalls(DescribeServicesCommand)[0]?.args[0].input).toEqual({
      cluster: "guide-test",
      services: ["app"],
    });
    const listed = aws.ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input);
    expect(listed.slice(0, 2)).toEqual([
      { cluster: "guide-test", startedBy: OURS, desiredStatus: "RUNNING", maxResults: 100 },
      { cluster: "guide-test", startedBy: OURS, desiredStatus: "STOPPED", maxResults: 100 },
    ]);
    // Tasks are listed only when our deployment moved, not on every poll.
    expect(listed.length).toBeLessThan(2 * result.polls);
    const described = aws.ecs.commandCalls(DescribeTasksCommand).at(-1)?.args[0].input;
    // Our two tasks, and the two that ECS's `has stopped 2 running tasks` event names: the old revision's, described
    // once in the same call and known as not ours from then on.
    expect(described?.tasks?.filter((t) => t.startsWith("arn:"))).toHaveLength(2);
    expect(described?.tasks).toEqual(
      expect.arrayContaining(["b8660229443480785184f34e647b7e18", "d7a82925f96aa3fd045a5a848b7e2025"]),
    );
    expect(aws.elb.commandCalls(DescribeTargetHealthCommand)[0]?.args[0].input).toEqual({
      TargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:879613780019:targetgroup/tg-app/6d0ecf831eec9f09",
    });
    expect(aws.ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
    expect(aws.ecs.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0);
    expect(aws.ecs.commandCalls(DescribeServiceRevisionsCommand)).toHaveLength(0);
    // Target health is read when the service moves and every 15 s besides: the 20 s change shows at 25 s.
    expect(aws.elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(3);
    expect(log).toContain("[0:25] 10.0.2.11:80 in tg-app initial → healthy");
    expect(log.filter((l) => l.includes("2/2 running · 0/2 healthy in tg-app"))).toHaveLength(1);
    expect(result.timeline.at(-1)).toEqual({ at: 30_000, text: `succeeded: ${result.message}` });
  });

  it("lists the service's tasks and keeps ours should ECS refuse startedBy with desiredStatus", async () => {
    const { aws, clock, options } = setup("crash-loop-no-breaker");
    const refuse = awsError("InvalidParameterException", "startedBy must be the only filter.");
    aws.ecs.on(ListTasksCommand, { startedBy: OURS }).rejects(refuse);
    aws.ecs.on(ListTasksCommand, { serviceName: "app" }).callsFake((input: { desiredStatus: string }) => ({
      taskArns: stateAt(loadScenario("crash-loop-no-breaker"), clock.now())
        .describeTasks.tasks.filter((t) => t.desiredStatus === input.desiredStatus)
        .map((t) => t.taskArn),
    }));
    const result = await watchRollout(options);
    const inputs = aws.ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input);
    // RUNNING and STOPPED go out side by side: both are refused once, then listed by service, in either order.
    expect(inputs.slice(0, 4)).toEqual(
      expect.arrayContaining([
        { cluster: "guide-test", startedBy: OURS, desiredStatus: "RUNNING", maxResults: 100 },
        { cluster: "guide-test", startedBy: OURS, desiredStatus: "STOPPED", maxResults: 100 },
        { cluster: "guide-test", serviceName: "app", desiredStatus: "RUNNING", maxResults: 100 },
        { cluster: "guide-test", serviceName: "app", desiredStatus: "STOPPED", maxResults: 100 },
      ]),
    );
    // Never asked with startedBy again.
    expect(inputs.filter((i) => i.startedBy)).toHaveLength(2);
    expect(result.message).toBe(
      "container app exited with code 1 — 3 tasks of revision 42 stopped (max-failed-tasks: 3)",
    );
  });

  it("stops at the deadline, polling once more at it, and says what is still pending", async () => {
    const { options, clock } = setup("no-capacity-timeout");
    const result = await watchRollout({ ...options, timeoutMs: 12_000 });
    expect(clock.sleeps).toEqual([5000, 5000, 2000]);
    expect(result).toMatchObject({ outcome: "timed-out", cause: "timeout", polls: 4 });
    expect(result.message).toMatch(/^\(service app\) was unable to place a task\. Reason: Capacity is unavailable/);
    expect(result.message).toMatch(/ — timed out after 12s with 0\/2 running · old revision serving$/);
  });
});

describe("throttling", () => {
  it("a throttled poll is no news: said once, it waits at most 5 s more than pollMs, then resets on the first answer", async () => {
    const { aws, clock, options, log } = setup("healthy-rolling-alb");
    const throttle = awsError("ThrottlingException", "Rate exceeded");
    let call = 0;
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      call++;
      if (call >= 2 && call <= 6) return Promise.reject(throttle);
      return stateAt(loadScenario("healthy-rolling-alb"), clock.now()).describeServices;
    });
    const result = await watchRollout(options);
    expect(clock.sleeps.slice(0, 6)).toEqual([5000, 6000, 7000, 9000, 10_000, 10_000]);
    expect(result).toMatchObject({ outcome: "succeeded" });
    expect(log.filter((l) => l.includes("throttling"))).toEqual([
      "[0:05] ECS is throttling DescribeServices (Rate exceeded): retrying",
    ]);
  });

  it("the first poll that gets an answer resets the interval to pollMs", async () => {
    const { aws, clock, options } = setup("no-capacity-timeout");
    let call = 0;
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      call++;
      if (call === 2 || call === 4) return Promise.reject(awsError("ThrottlingException", "Rate exceeded"));
      return stateAt(loadScenario("no-capacity-timeout"), clock.now()).describeServices;
    });
    const result = await watchRollout({ ...options, timeoutMs: 40_000 });
    expect(clock.sleeps).toEqual([5000, 6000, 5000, 6000, 5000, 5000, 5000, 3000]);
    expect(result.outcome).toBe("timed-out");
  });
});

describe("cancellation", () => {
  it("returns promptly with where the rollout stands when aborted during a sleep", async () => {
    const { options } = setup("healthy-rolling-alb");
    const controller = new AbortController();
    const sleep = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        signal?.addEventListener("abort", () => resolve());
        controller.abort();
      });
    const result = await watchRollout({ ...options, sleep, signal: controller.signal });
    expect(result).toMatchObject({ outcome: "cancelled", polls: 1 });
    expect(result.message).toBe(
      "cancelled after 0s while 0/2 running · 0/2 healthy in tg-app · old revision serving; the deployment goes on in ECS",
    );
  });

  it("does not wait for a call in flight", async () => {
    const { aws, options } = setup("healthy-rolling-alb");
    const controller = new AbortController();
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      controller.abort();
      return new Promise(() => {});
    });
    const result = await watchRollout({ ...options, signal: controller.signal });
    expect(result.outcome).toBe("cancelled");
  });

  it("the default sleep wakes up when the signal aborts", async () => {
    const { abortableSleep } = await import("../../src/rollout/index.js");
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 5);
    await abortableSleep(60_000, controller.signal);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("service deployments (blue/green)", () => {
  it("follows the lifecycle stages, finding our service deployment once and then describing only it", async () => {
    const { aws, options, log } = setup("blue-green-success");
    const result = await watchRollout(options);
    expect(result).toMatchObject({ outcome: "succeeded", lifecycleStage: "CLEAN_UP" });
    expect(result.timeline.at(-1)?.at).toBe(100_000);
    // Only deployments created since ours (a minute of margin): one short page, not the service's history.
    expect(aws.ecs.commandCalls(ListServiceDeploymentsCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: "guide-test", service: "app", createdAt: { after: new Date("2026-11-20T09:58:59.000Z") } },
    ]);
    expect(aws.ecs.commandCalls(DescribeServiceDeploymentsCommand)[0]?.args[0].input).toEqual({
      serviceDeploymentArns: [
        "arn:aws:ecs:us-east-1:879613780019:service-deployment/guide-test/app/NCWGC2ZR-taawPAYrIaU5",
      ],
    });
    expect(log).toContain("[0:20] stage TEST_TRAFFIC_SHIFT: production 0% · test 100% on revision 42");
  });

  it("ListServiceDeployments answering 500 (moto): one attempt, never again, the deployments array decides", async () => {
    const { aws, options } = setup("blue-green-success");
    // What the SDK throws for moto's HTML 500 page: a SyntaxError carrying only $metadata.
    const html500 = Object.assign(new SyntaxError("Unexpected token '<', \"<!doctype \"... is not valid JSON"), {
      $metadata: { httpStatusCode: 500, attempts: 1 },
    });
    aws.ecs.on(ListServiceDeploymentsCommand).rejects(html500);
    const result = await watchRollout(options);
    expect(aws.ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(1);
    expect(aws.ecs.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(0);
    // Sent once: the SDK's own retries are off for it (aws/retry.ts `once`), the poll decides what is asked again.
    const [sent] = aws.ecs.commandCalls(ListServiceDeploymentsCommand);
    expect(sent?.args[0].middlewareStack.identify().join(" ")).toContain("deployActionSendOnce");
    // Without lifecycle stages, rolloutState COMPLETED (from 35 s, during the bake time, while ECS may still roll
    // back) is not enough: success waits until ours is the only deployment left (95 s).
    expect(result).toMatchObject({ outcome: "succeeded" });
    expect(result.timeline.at(-1)?.at).toBe(95_000);
    // Every 5 s, and one quick look a second after ours turned COMPLETED at 35 s.
    expect(result.polls).toBe(21);
  });
});

describe("logs of the failed container", () => {
  const awslogs = {
    taskDefinition: {
      containerDefinitions: [
        {
          name: "app",
          logConfiguration: {
            logDriver: "awslogs" as const,
            options: {
              "awslogs-group": "/aws/ecs/fargate/app",
              "awslogs-region": "us-east-1",
              "awslogs-stream-prefix": "app",
            },
          },
        },
      ],
    },
  };

  it("adds the container's last log lines under the root cause", async () => {
    const { aws, options } = setup("crash-loop-no-breaker");
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves(awslogs);
    aws.logs.on(GetLogEventsCommand).resolves({
      events: [
        { timestamp: 1, message: "listening on :80" },
        { timestamp: 2, message: "Error: DATABASE_URL is not set\n" },
      ],
    });
    const result = await watchRollout(options);
    expect(result.message).toBe(
      "container app exited with code 1 — 3 tasks of revision 42 stopped (max-failed-tasks: 3)",
    );
    const input = aws.logs.commandCalls(GetLogEventsCommand)[0]?.args[0].input;
    expect(input).toEqual({
      logGroupName: "/aws/ecs/fargate/app",
      logStreamName: "app/app/9eb3e9c57b80a770c59336b277ea917d",
      limit: 20,
      startFromHead: false,
    });
    expect(result.details.slice(-3)).toEqual([
      "last 2 log lines of app (/aws/ecs/fargate/app app/app/9eb3e9c57b80a770c59336b277ea917d):",
      "  listening on :80",
      "  Error: DATABASE_URL is not set",
    ]);
  });

  it("says so when the logs cannot be read, and still fails on the root cause", async () => {
    const { aws, options } = setup("crash-loop-no-breaker");
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves(awslogs);
    aws.logs
      .on(GetLogEventsCommand)
      .rejects(awsError("ResourceNotFoundException", "The specified log stream does not exist."));
    const result = await watchRollout(options);
    expect(result).toMatchObject({ outcome: "failed", cause: "tasks-failed" });
    expect(result.details.at(-1)).toBe(
      "could not read the logs of app: GetLogEvents failed: ResourceNotFoundException: The specified log stream does not exist. (while waiting for the rollout)",
    );
  });
});
