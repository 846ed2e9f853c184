// A worker (no load balancer) whose container has a health check: the wait reads its tasks on every look until they
// are healthy, and succeeds at the first look that shows them so, not on ECS's word alone.
import { DescribeTasksCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { fakeClock, mockAws, serveScenario, watchOptions } from "../support/aws.js";
import type { Poll, Scenario } from "../support/scenario.js";

const TD = "arn:aws:ecs:us-east-1:879613780019:task-definition/worker:7";
const OURS = "ecs-svc/7000000000000000007";
const task = (n: number, health: "HEALTHY" | "UNKNOWN") => ({
  taskArn: `arn:aws:ecs:us-east-1:879613780019:task/guide-test/${n}a${"0".repeat(30)}`,
  taskDefinitionArn: TD,
  startedBy: OURS,
  lastStatus: "RUNNING",
  desiredStatus: "RUNNING",
  startedAt: new Date(2026, 0, 1),
  containers: [{ name: "worker", lastStatus: "RUNNING", healthStatus: health }],
});

/** ECS counts both tasks running from 10 s and says COMPLETED at 15 s; their health check passes at 30 s. */
function poll(at: number): Poll {
  const health = at >= 30_000 ? ("HEALTHY" as const) : ("UNKNOWN" as const);
  const done = at >= 15_000;
  return {
    at,
    describeServices: {
      services: [
        {
          serviceName: "app",
          status: "ACTIVE",
          desiredCount: 2,
          taskDefinition: TD,
          loadBalancers: [],
          deployments: [
            {
              id: OURS,
              status: "PRIMARY",
              taskDefinition: TD,
              desiredCount: 2,
              runningCount: at >= 10_000 ? 2 : 0,
              pendingCount: at >= 10_000 ? 0 : 2,
              rolloutState: done ? "COMPLETED" : "IN_PROGRESS",
            },
          ],
          events: [],
        },
      ],
    },
    describeTasks: { tasks: at >= 10_000 ? [task(1, health), task(2, health)] : [] },
  };
}

const scenario: Scenario = {
  description: "a worker with a container health check",
  context: { deploymentId: OURS, taskDefinitionArn: TD, maxFailedTasks: 3 },
  polls: [0, 5_000, 10_000, 15_000, 20_000, 25_000, 30_000].map(poll),
};

describe("a worker's wait", () => {
  it("waits for the container health check, reading the tasks each look, and succeeds on the look that shows it", async () => {
    const clock = fakeClock();
    const aws = mockAws();
    serveScenario(aws, scenario, clock);
    const log: string[] = [];
    const result = await watchRollout({ ...watchOptions(aws, scenario, clock, log), healthChecked: ["worker"] });

    expect(result.outcome).toBe("succeeded");
    // Not at 15 s, when ECS said COMPLETED, but at 30 s, the first look after the health check passed.
    expect(result.timeline.at(-1)?.at).toBe(30_000);
    // From 15 s on, every regular look read the tasks (20, 25, 30 s): within a poll interval of their turning healthy.
    expect(aws.ecs.commandCalls(DescribeTasksCommand).length).toBeGreaterThanOrEqual(5);
  });

  it("without a health check, succeeds on ECS's word and the count, at 15 s", async () => {
    const clock = fakeClock();
    const aws = mockAws();
    serveScenario(aws, scenario, clock);
    const result = await watchRollout(watchOptions(aws, scenario, clock));

    expect(result.outcome).toBe("succeeded");
    expect(result.timeline.at(-1)?.at).toBe(15_000);
  });
});
