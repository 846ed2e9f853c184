// When the wait looks sooner than the poll interval: near the end, but not through a bake time, which ends on ECS's
// clock minutes away (a foreseen moment instead).
import { describe, expect, it } from "vitest";
import type { ServiceDeploymentView, Snapshot, WatchContext } from "../../../src/rollout/verdict/model.js";
import { endIsNear, expectedMoments } from "../../../src/rollout/verdict/pace.js";
import { rememberStages } from "../../../src/rollout/verdict/stages.js";

const ctx: WatchContext = {
  deploymentId: "ecs-svc/1",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:42",
  maxFailedTasks: 3,
};

/** Ours PRIMARY at its full count, the only deployment left, in a staged deployment at `stage`. */
function snapshot(at: number, stage: string): Snapshot {
  const serviceDeployment: ServiceDeploymentView = {
    serviceDeploymentArn: "arn:aws:ecs:us-east-1:123456789012:service-deployment/c/app/abc",
    status: "IN_PROGRESS",
    lifecycleStage: stage,
    targetServiceRevision: { requestedProductionTrafficWeight: 100, requestedTestTrafficWeight: 100 },
    deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 10 },
  };
  const service = {
    deployments: [{ id: "ecs-svc/1", status: "PRIMARY", desiredCount: 2, runningCount: 2, failedTasks: 0 }],
    events: [],
  };
  return { at, service, serviceDeployment, tasks: [], targetHealth: {}, targetGroups: {} } as unknown as Snapshot;
}

describe("pace", () => {
  it("keeps to the poll interval through a bake time, and foresees its end", () => {
    const baking = snapshot(60_000, "BAKE_TIME");
    const stages = rememberStages(undefined, baking);
    expect(endIsNear(baking, ctx, { stages } as never)).toBe(false);
    expect(expectedMoments(baking, ctx, { stages } as never).length).toBeGreaterThan(0);
  });

  it("looks quickly once ECS cleans up, the end being near", () => {
    const cleaning = snapshot(660_000, "CLEAN_UP");
    expect(endIsNear(cleaning, ctx, { stages: rememberStages(undefined, cleaning) } as never)).toBe(true);
  });

  it("a staged service: not near before CLEAN_UP, though all production traffic moved (the bake still ahead)", () => {
    const staged = (stage: string) => {
      const s = snapshot(40_000, stage);
      return { ...s, service: { ...s.service, deploymentConfiguration: { strategy: "BLUE_GREEN" } } } as Snapshot;
    };
    for (const stage of ["PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME"]) {
      expect(endIsNear(staged(stage), ctx, { stages: undefined } as never), stage).toBe(false);
    }
    expect(endIsNear(staged("CLEAN_UP"), ctx, { stages: undefined } as never)).toBe(true);
  });

  it("for wait-until live, the bake time does not hold the end back", () => {
    const baking = snapshot(60_000, "BAKE_TIME");
    const live = { ...ctx, waitUntil: "live" as const };
    expect(endIsNear(baking, live, { stages: rememberStages(undefined, baking) } as never)).toBe(
      endIsNear(snapshot(60_000, "CLEAN_UP"), live, { stages: undefined } as never),
    );
  });
});
