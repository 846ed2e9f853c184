// Scripted rollouts of ECS's 2026 behaviours, polled every 15 s with ECS's timings (a Fargate task runs ~40 s after
// it is placed; the breaker or early success answers on the poll after): early success reached before the full
// count, a breaker whose COUNT threshold is 2, a task stopped for InfrastructureHealth, and a failure with no cause
// the action can name. Each asserts the verdict, its words, and the poll it comes at.
import type {
  DeploymentRolloutState,
  DescribeServicesResponse,
  Service,
  ServiceDeploymentStatus,
  Task,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { replay, type Scenario } from "../../support/scenario.js";

const ACCOUNT = "879613780019";
const TD = (revision: number) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/app:${revision}`;
const OURS = "ecs-svc/4980306466373577095";
const OLD = "ecs-svc/1485800978477494678";
const SERVICE_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/guide-test/app`;
const T0 = Date.parse("2026-11-20T10:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000);

interface Step {
  at: number;
  running: number;
  failed?: number;
  state?: DeploymentRolloutState;
  reason?: string;
  oldRunning?: number;
  tasks?: Task[];
  sd?: ServiceDeploymentStatus;
  events?: string[];
}

function service(config: Service["deploymentConfiguration"], desired: number, step: Step): Service {
  return {
    serviceArn: SERVICE_ARN,
    serviceName: "app",
    status: "ACTIVE",
    desiredCount: desired,
    taskDefinition: TD(42),
    loadBalancers: [],
    deploymentConfiguration: config,
    deployments: [
      {
        id: OURS,
        status: "PRIMARY",
        taskDefinition: TD(42),
        desiredCount: desired,
        runningCount: step.running,
        pendingCount: 0,
        failedTasks: step.failed ?? 0,
        createdAt: at(-1),
        updatedAt: at(step.at),
        rolloutState: step.state ?? "IN_PROGRESS",
        rolloutStateReason: step.reason ?? `ECS deployment ${OURS} in progress.`,
      },
      ...(step.oldRunning === 0
        ? []
        : [
            {
              id: OLD,
              status: "ACTIVE",
              taskDefinition: TD(41),
              desiredCount: step.oldRunning ?? desired,
              runningCount: step.oldRunning ?? desired,
              pendingCount: 0,
              failedTasks: 0,
              createdAt: at(-86400),
              rolloutState: "COMPLETED" as const,
            },
          ]),
    ],
    events: (step.events ?? []).map((message, i) => ({ id: `e${step.at}-${i}`, createdAt: at(step.at - 1), message })),
  };
}

function scenario(config: Service["deploymentConfiguration"], desired: number, steps: Step[], max = 3): Scenario {
  return {
    description: "scripted",
    context: { deploymentId: OURS, taskDefinitionArn: TD(42), previousTaskDefinitionArn: TD(41), maxFailedTasks: max },
    polls: steps.map((step) => ({
      at: step.at * 1000,
      describeServices: { services: [service(config, desired, step)], failures: [] } as DescribeServicesResponse,
      describeTasks: { tasks: step.tasks ?? [] },
      ...(step.sd
        ? {
            describeServiceDeployments: {
              serviceDeployments: [
                {
                  serviceDeploymentArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/guide-test/app/Xq1`,
                  targetServiceRevision: {
                    arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service-revision/guide-test/app/4980306466373577095`,
                  },
                  status: step.sd,
                },
              ],
            },
          }
        : {}),
    })),
  };
}

function task(id: string, stopped: number | undefined, extra: Partial<Task> = {}): Task {
  return {
    taskArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/guide-test/${id}`,
    taskDefinitionArn: TD(42),
    startedBy: OURS,
    lastStatus: stopped === undefined ? "RUNNING" : "STOPPED",
    desiredStatus: stopped === undefined ? "RUNNING" : "STOPPED",
    createdAt: at(1),
    ...(stopped === undefined ? { startedAt: at(40) } : { stoppingAt: at(stopped), stoppedAt: at(stopped) }),
    ...extra,
  };
}

/** Tasks of ours that stopped with this code and reason, their container with this exit code. */
const stopped = (stopCode: Task["stopCode"], stoppedReason: string, exitCode: number) => (id: string, s: number) =>
  task(id, s, { stopCode, stoppedReason, containers: [{ name: "app", exitCode, lastStatus: "STOPPED" }] });

describe("ECS 2026 rollouts", () => {
  it("early success: the verdict on the poll ECS says SUCCESSFUL, at 2 of 4 tasks, with what ECS no longer does", () => {
    const config = {
      minimumHealthyPercent: 50,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      earlySuccessCriteria: { enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: "DEFERRED" as const },
    };
    const running = [task("a1", undefined), task("a2", undefined)];
    const r = replay(
      scenario(config, 4, [
        { at: 0, running: 0, sd: "PENDING" },
        { at: 15, running: 0, sd: "IN_PROGRESS" },
        { at: 30, running: 0 },
        { at: 45, running: 2, tasks: running },
        { at: 60, running: 2, tasks: running, sd: "SUCCESSFUL", state: "COMPLETED" },
        { at: 75, running: 4, tasks: running, sd: "SUCCESSFUL", state: "COMPLETED", oldRunning: 0 },
      ]),
    );
    expect(r.index).toBe(4);
    expect(r.verdict.kind).toBe("succeeded");
    if (r.verdict.kind !== "succeeded") throw new Error("expected success");
    expect(r.verdict.message).toMatch(
      /^revision 42 is live: ECS called the deployment successful at 2 of 4 tasks \(early success at 50%, .*\); from now on ECS no longer rolls it back on the circuit breaker or alarms, and ECS goes on starting the rest of its tasks and stopping the old revision's in the background$/,
    );
  });

  it("early success is never taken from a service deployment still IN_PROGRESS, nor without the criteria", () => {
    const config = { minimumHealthyPercent: 50, maximumPercent: 200 };
    const running = [task("a1", undefined), task("a2", undefined)];
    const r = replay(
      scenario(config, 4, [
        { at: 0, running: 0, sd: "IN_PROGRESS" },
        { at: 45, running: 2, tasks: running, sd: "SUCCESSFUL" },
      ]),
    );
    expect(r.index).toBe(-1);
  });

  it("a breaker with a COUNT threshold of 2 trips on the second failed task, before max-failed-tasks (3)", () => {
    const config = {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: {
        enable: true,
        rollback: true,
        thresholdConfiguration: { type: "COUNT" as const, value: 2 },
      },
    };
    const crash = stopped("EssentialContainerExited", "Essential container in task exited", 1);
    const r = replay(
      scenario(config, 4, [
        { at: 0, running: 0 },
        { at: 15, running: 0 },
        { at: 45, running: 0, failed: 1, tasks: [crash("b1", 44)] },
        {
          at: 60,
          running: 0,
          failed: 2,
          tasks: [crash("b1", 44), crash("b2", 58)],
          state: "FAILED",
          reason: "ECS deployment circuit breaker: tasks failed to start.",
        },
      ]),
    );
    expect(r.index).toBe(3);
    expect(r.verdict).toMatchObject({
      kind: "failed",
      cause: "circuit-breaker",
      message: expect.stringMatching(/^container app exited with code 1 — /),
    });
  });

  it("an InfrastructureHealth stop is told as ECS's infrastructure, not the revision", () => {
    const config = {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    };
    const infra = stopped(
      "InfrastructureHealth",
      "Task stopped because the underlying infrastructure became unhealthy",
      137,
    );
    const r = replay(
      scenario(config, 2, [
        { at: 0, running: 0 },
        { at: 45, running: 1, failed: 1, tasks: [infra("c1", 44)] },
        { at: 60, running: 1, failed: 2, tasks: [infra("c1", 44), infra("c2", 59)] },
        { at: 75, running: 1, failed: 3, tasks: [infra("c1", 44), infra("c2", 59), infra("c3", 74)] },
      ]),
    );
    expect(r.index).toBe(3);
    if (r.verdict.kind !== "failed") throw new Error("expected a failure");
    expect(r.verdict.message).toMatch(
      /^task c3\S* was stopped by ECS because the infrastructure it ran on went unhealthy \(stop code InfrastructureHealth\), not because of the revision: deploy again; if it repeats, look for an AWS Health event in this region — 3 tasks of revision 42 stopped/,
    );
  });

  it("a failure with no cause the action can name ends on ECS's deployment history for the service", () => {
    const config = {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: false },
    };
    const r = replay(
      scenario(config, 2, [
        { at: 0, running: 0 },
        { at: 30, running: 0, state: "FAILED", reason: "ECS deployment circuit breaker: tasks failed to start." },
      ]),
    );
    expect(r.index).toBe(1);
    if (r.verdict.kind !== "failed") throw new Error("expected a failure");
    expect(r.verdict.details.at(-1)).toBe(
      "no cause the action can name: see the deployment in ECS's deployment history (ECS console › Clusters › Services › Deployments): https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/guide-test/services/app/deployments?region=us-east-1",
    );
  });
});
