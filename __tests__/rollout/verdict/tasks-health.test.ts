// A worker (no load balancer) is judged on its tasks alone: running and, where its containers have a health check,
// healthy. Behind a load balancer the targets decide, as before.
import { describe, expect, it } from "vitest";
import type { LoadBalancerView, Snapshot, TaskView, WatchContext } from "../../../src/rollout/verdict/model.js";
import { emptyHistory } from "../../../src/rollout/verdict/model.js";
import { tasksProven } from "../../../src/rollout/verdict/tasks-health.js";
import { decide } from "../../../src/rollout/verdict/verdict.js";

const TD = "arn:aws:ecs:us-east-1:879613780019:task-definition/worker:7";
const ctx: WatchContext = {
  deploymentId: "ecs-svc/1",
  taskDefinitionArn: TD,
  maxFailedTasks: 3,
  healthChecked: ["worker"],
};

function task(id: string, health: string): TaskView {
  return {
    taskArn: `arn:aws:ecs:us-east-1:879613780019:task/c/${id}`,
    taskDefinitionArn: TD,
    startedBy: "ecs-svc/1",
    lastStatus: "RUNNING",
    desiredStatus: "RUNNING",
    containers: [{ name: "worker", lastStatus: "RUNNING", healthStatus: health }],
  };
}

function snapshot(tasks: TaskView[], loadBalancers: LoadBalancerView[] = []): Snapshot {
  return {
    at: 30_000,
    service: {
      serviceName: "worker",
      status: "ACTIVE",
      desiredCount: 2,
      taskDefinition: TD,
      loadBalancers,
      deployments: [
        {
          id: "ecs-svc/1",
          status: "PRIMARY",
          taskDefinition: TD,
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          rolloutState: "COMPLETED",
        },
      ],
    },
    tasks,
    targetHealth: {},
    targetGroups: {},
  };
}

describe("a worker judged on its tasks", () => {
  it("succeeds only once every running task's health-checked container is HEALTHY", () => {
    const starting = snapshot([task("a", "HEALTHY"), task("b", "UNKNOWN")]);
    expect(tasksProven(starting, ctx, 2)).toBe(false);
    expect(decide(starting, ctx, emptyHistory()).kind).toBe("pending");

    const healthy = snapshot([task("a", "HEALTHY"), task("b", "HEALTHY")]);
    expect(tasksProven(healthy, ctx, 2)).toBe(true);
    expect(decide(healthy, ctx, emptyHistory())).toMatchObject({ kind: "succeeded" });
  });

  it("without a container health check, running tasks are enough (ECS's word and the count)", () => {
    const unchecked = { ...ctx, healthChecked: [] };
    const running = snapshot([task("a", "UNKNOWN"), task("b", "UNKNOWN")]);
    expect(tasksProven(running, unchecked, 2)).toBe(true);
    expect(decide(running, unchecked, emptyHistory())).toMatchObject({ kind: "succeeded" });
  });

  it("leaves a service behind a load balancer to its targets", () => {
    const balanced = snapshot(
      [task("a", "UNKNOWN")],
      [
        {
          targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:879613780019:targetgroup/tg/1",
          containerName: "web",
          containerPort: 80,
        },
      ],
    );
    expect(tasksProven(balanced, ctx, 2)).toBe(true);
  });

  it("does not count a stopping task as healthy", () => {
    const stopping = snapshot([task("a", "HEALTHY"), { ...task("b", "HEALTHY"), desiredStatus: "STOPPED" }]);
    expect(tasksProven(stopping, ctx, 2)).toBe(false);
  });
});
