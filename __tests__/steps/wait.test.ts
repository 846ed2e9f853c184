// The wait step as main.ts runs it: the failure is printed before the rollback starts, the rollback runs only when
// it is ours to do, and what it did (its text, its timeline) is the step's outcome. A recording Host keeps the log in order; the runner's own
// host (host/github.ts) is run once, on the real @actions/core, for what the runner reads of it.
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  type Deployment,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type Service,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeployError } from "../../src/errors.js";
import { githubHost } from "../../src/host/github.js";
import type { Waited } from "../../src/report/outcomes.js";
import type { WatchResult } from "../../src/rollout/index.js";
import type { RunContext } from "../../src/steps/context.js";
import { shouldRollBack } from "../../src/steps/rollback/index.js";
import { chooseStrategy } from "../../src/steps/strategy.js";
import { asGiven, type WaitInput, waitStep } from "../../src/steps/wait.js";
import { mockAws } from "../support/aws.js";
import { recordingHost } from "../support/host.js";
import { loadScenario, stateOf } from "../support/wait.js";

let host = recordingHost();
/** The log as printed, untrusted lines as their text. */
const printed = () => host.log.map((line) => line.replace(/^\[untrusted\] /, ""));

const TD = (revision: number) => `arn:aws:ecs:us-east-1:879613780019:task-definition/app:${revision}`;
const ROLLBACK = "ecs-svc/7302159864320598231";

/** The crash loop at its third stopped task; after our UpdateService, the previous revision back and running. */
function world(rollback: "healthy" | "slow" = "healthy") {
  const aws = mockAws();
  const crashed = stateOf(loadScenario("crash-loop-no-breaker"), 40_000);
  let rolledBack = false;
  const back: Deployment = {
    id: ROLLBACK,
    status: "PRIMARY",
    taskDefinition: TD(41),
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    failedTasks: 0,
    createdAt: new Date("2026-11-20T10:00:45.000Z"),
    rolloutState: "COMPLETED",
    rolloutStateReason: `ECS deployment ${ROLLBACK} completed.`,
  };
  const starting: Deployment = { ...back, runningCount: 0, pendingCount: 1, rolloutState: "IN_PROGRESS" };
  const backNow = rollback === "slow" ? starting : back;
  const service = (): Service => (rolledBack ? { ...crashed.service, deployments: [backNow] } : crashed.service);
  aws.ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [service()], failures: [] }));
  aws.ecs.on(ListTasksCommand).callsFake((input: { desiredStatus: string }) => ({
    taskArns: rolledBack
      ? []
      : crashed.tasks
          .filter((t) => (t.desiredStatus === "STOPPED") === (input.desiredStatus === "STOPPED"))
          .map((t) => t.taskArn),
  }));
  aws.ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
    tasks: crashed.tasks.filter((t) => input.tasks.includes(t.taskArn ?? "")),
  }));
  aws.ecs.on(UpdateServiceCommand).callsFake(() => {
    rolledBack = true;
    return { service: { ...service(), deployments: [backNow] } };
  });
  return aws;
}

/** The wait as main.ts runs it for a rolling deploy of app:42 over app:41 (or over `previous`). */
function args(
  aws: ReturnType<typeof mockAws>,
  change: { previous?: string; signal?: AbortSignal; host?: RunContext["host"] } = {},
) {
  const config = { cluster: "guide-test", service: "app" } as RunContext["config"];
  const ctx: RunContext = {
    host: change.host ?? host,
    clients: aws.clients as unknown as RunContext["clients"],
    config,
    signal: change.signal ?? new AbortController().signal,
  };
  const input: WaitInput = {
    deployment: {
      deploymentId: "ecs-svc/4980306466373577095",
      taskDefinitionArn: TD(42),
      previous: "previous" in change ? change.previous : TD(41),
    },
    strategy: chooseStrategy(config, undefined),
    policy: { onFailure: "rollback", timeoutMs: 5_000, pollMs: 1, maxFailedTasks: 3, waitUntil: "completed" },
  };
  const outcome: { waited?: Waited } = {};
  /** As main.ts does: the outcome kept, its failure thrown. */
  const run = async () => {
    outcome.waited = await waitStep(ctx, input);
    if (outcome.waited.failure) throw outcome.waited.failure;
    return outcome.waited;
  };
  return { ctx, input, outcome, run };
}

beforeEach(() => {
  host = recordingHost();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("waitStep", () => {
  it("prints why the rollout failed before it starts rolling back, and reports the rollback's timeline", async () => {
    const aws = world();
    const a = args(aws);
    await expect(a.run()).rejects.toThrow(/^container app exited with code 1 — 3 tasks of revision 42 stopped/);
    const output = printed();
    const why = output.indexOf(
      "Rollout failed: container app exited with code 1 — 3 tasks of revision 42 stopped (max-failed-tasks: 3)",
    );
    const rollback = output.indexOf("::group::Roll back");
    expect(why).toBeGreaterThan(-1);
    expect(rollback).toBeGreaterThan(why);
    expect(output.slice(why + 1, rollback)).toContain(
      "3 tasks stopped (EssentialContainerExited): Essential container in task exited",
    );
    expect(aws.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toMatchObject({ taskDefinition: TD(41) });
    const rolledBack = a.outcome.waited?.rollback;
    expect(rolledBack?.text).toBe("rolled back to app:41: the service is healthy on it again");
    expect(rolledBack?.watched?.result.timeline.at(-1)?.text).toMatch(/^succeeded: revision 41 is live: 1\/1 running/);
    expect(rolledBack?.watched?.taskDefinitionArn).toBe(TD(41));
    expect(a.outcome.waited?.watched.result.outcome).toBe("failed");
  });

  it("fails with one line, the root cause and the rollback's result; the details are printed and kept for the summary", async () => {
    const aws = world();
    const a = args(aws);
    const error = (await a.run().catch((e: unknown) => e)) as DeployError;
    expect(error).toBeInstanceOf(DeployError);
    expect(error.message).toBe(
      "container app exited with code 1 — 3 tasks of revision 42 stopped (max-failed-tasks: 3); rolled back to app:41: the service is healthy on it again",
    );
    expect(error.details).toContain("3 tasks stopped (EssentialContainerExited): Essential container in task exited");
    expect(printed()).toContain("3 tasks stopped (EssentialContainerExited): Essential container in task exited");
  });

  it("prints every line of the wait so that the runner reads none of it as a command", async () => {
    const aws = world();
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        containerDefinitions: [
          {
            name: "app",
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app" },
            },
          },
        ],
      },
    });
    aws.logs.on(GetLogEventsCommand).resolves({
      events: [{ message: "::set-output name=result::succeeded" }, { message: "  ::error title=x::forged" }],
    });
    // The runner's host, on the real @actions/core: what reaches stdout is what the runner reads.
    const output: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      output.push(
        ...String(chunk)
          .split(/\r?\n/)
          .filter((line) => line !== ""),
      );
      return true;
    });
    await expect(args(aws, { host: githubHost() }).run()).rejects.toThrow(DeployError);
    vi.restoreAllMocks();
    const forged = output.findIndex((l) => l.includes("::set-output name=result::succeeded"));
    const stop = output.slice(0, forged).findLastIndex((l) => l.startsWith("::stop-commands::"));
    expect(stop).toBeGreaterThan(-1);
    const token = output[stop]?.slice("::stop-commands::".length);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const resume = output.indexOf(`::${token}::`);
    expect(resume).toBeGreaterThan(output.findIndex((l) => l.includes("::error title=x::forged")));
  });

  it("a cancel during our UpdateService of the rollback: aborted in flight, and the result is cancelled", async () => {
    const aws = world();
    const controller = new AbortController();
    aws.ecs.on(UpdateServiceCommand).callsFake(() => {
      controller.abort();
      return new Promise(() => {});
    });
    const a = args(aws, { signal: controller.signal });
    const started = performance.now();
    const error = (await a.run().catch((e: unknown) => e)) as DeployError;
    expect(error.message).toMatch(/; rollback to app:41 cancelled/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.result).toBe("cancelled");
    const call = aws.ecs.commandCalls(UpdateServiceCommand)[0]?.args as unknown[] | undefined;
    const options = call?.[1] as { abortSignal?: AbortSignal } | undefined;
    expect(options?.abortSignal?.aborted).toBe(true);
  });

  it("a cancel while the rollback is watched: cancelled, not failed", async () => {
    const aws = world("slow");
    const controller = new AbortController();
    host.onLine = (line) => {
      if (line.startsWith("Rolling back")) setTimeout(() => controller.abort(), 5);
    };
    const a = args(aws, { signal: controller.signal });
    a.input.policy.pollMs = 60_000;
    const error = (await a.run().catch((e: unknown) => e)) as DeployError;
    expect(error.message).toMatch(/; rollback to app:41 cancelled: ECS goes on with it$/);
    expect(error.result).toBe("cancelled");
    expect(a.outcome.waited?.rollback?.text).toBe("rollback to app:41 cancelled: ECS goes on with it");
  });

  it("does not roll back once the run is cancelled, even with the verdict already in", async () => {
    const aws = world();
    const controller = new AbortController();
    host.onLine = (line) => {
      if (/\] failed: /.test(line)) controller.abort();
    };
    await expect(args(aws, { signal: controller.signal }).run()).rejects.toThrow(/exited with code 1/);
    expect(aws.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(printed()).not.toContain("::group::Roll back");
  });

  it("does not roll back onto our own revision (a forced new deployment of a reused revision)", async () => {
    const aws = world();
    await expect(args(aws, { previous: TD(42) }).run()).rejects.toThrow(/exited with code 1/);
    expect(aws.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});

describe("shouldRollBack", () => {
  const failed = (change: Partial<WatchResult>): WatchResult => ({
    outcome: "failed",
    message: "",
    details: [],
    timeline: [],
    startedAt: 0,
    story: { tasks: [] },
    polls: 1,
    awsCalls: 1,
    ...change,
  });
  const rollback = { onFailure: "rollback" as const };

  it("not while ECS is rolling back already (breaker tripped, ours still PRIMARY)", () => {
    expect(shouldRollBack(rollback, failed({ cause: "circuit-breaker", rolledBackTo: TD(41) }), TD(41), TD(42))).toBe(
      false,
    );
  });

  it("yes when ECS's own rollback failed", () => {
    expect(shouldRollBack(rollback, failed({ cause: "rollback-failed" }), TD(41), TD(42))).toBe(true);
  });

  it("not when the wait itself broke down (AccessDenied, expired credentials): the rollout may be fine", () => {
    expect(shouldRollBack(rollback, failed({ cause: "wait-error" }), TD(41), TD(42))).toBe(false);
  });

  it("not onto our own revision", () => {
    expect(shouldRollBack(rollback, failed({ cause: "tasks-failed" }), TD(42), TD(42))).toBe(false);
    expect(shouldRollBack(rollback, failed({ cause: "tasks-failed" }), TD(41), TD(42))).toBe(true);
  });
});

describe("the bad image's line names the image as the user gave it (issue 21.6)", () => {
  it("the pinned URI is said as the tag passed, the digest beside it once", () => {
    const given = "879613780019.dkr.ecr.us-east-1.amazonaws.com/app:r254";
    const digest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const pinned = `879613780019.dkr.ecr.us-east-1.amazonaws.com/app@${digest}`;
    const reason = `CannotPullContainerError: failed to resolve ref ${pinned}: ${pinned}: not found`;
    expect(asGiven(reason, [{ container: "app", uri: given, digest, pinned }])).toBe(
      `CannotPullContainerError: failed to resolve ref ${given} (pinned to ${digest}): ${given}: not found`,
    );
    // Not pinned (pin-images: false, or not ECR): nothing to say.
    expect(asGiven(reason, [{ container: "app", uri: given, pinned: given }])).toBe(reason);
  });
});
