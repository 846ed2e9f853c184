// Change detection: one line per change between consecutive snapshots, nothing when nothing changed.
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../../src/rollout/verdict/model.js";
import { changes, progressLine } from "../../../src/rollout/verdict/progress.js";
import { loadScenario, snapshotsOf } from "../../support/scenario.js";

function lines(name: string): string[][] {
  const scenario = loadScenario(name);
  const snapshots = snapshotsOf(scenario);
  return snapshots.map((snapshot, i) => changes(snapshots[i - 1], snapshot, scenario.context));
}

describe("changes", () => {
  it("first poll: the deployments and targets as they stand, and no event from before our deployment", () => {
    expect(lines("healthy-rolling-alb")[0]).toEqual([
      "deployment ecs-svc/4980306466373577095 (revision 42): PRIMARY IN_PROGRESS",
      "deployment ecs-svc/1485800978477494678 (revision 41): ACTIVE COMPLETED",
      "10.0.2.111:80 in tg-app healthy",
      "10.0.1.112:80 in tg-app healthy",
    ]);
  });

  it("task state changes, new events once each, target health changes", () => {
    const all = lines("healthy-rolling-alb");
    expect(all[2]).toEqual(["task cc5daf26… PROVISIONING → PENDING", "task aa5de87e… PROVISIONING → PENDING"]);
    expect(all[4]).toEqual(["10.0.2.11:80 in tg-app initial → healthy"]);
    expect(all[6]).toEqual([
      "deployment ecs-svc/4980306466373577095 (revision 42): PRIMARY IN_PROGRESS → PRIMARY COMPLETED",
      "deployment ecs-svc/1485800978477494678 is gone from the service",
      "(service app) has stopped 2 running tasks: (task b8660229443480785184f34e647b7e18) (task d7a82925f96aa3fd045a5a848b7e2025).",
      "(service app) (deployment ecs-svc/4980306466373577095) deployment completed.",
    ]);
    expect(all[7]).toEqual(["(service app) has reached a steady state."]);
  });

  it("a stopped task is reported once, with the exit code of the container that made it stop", () => {
    const all = lines("crash-loop-no-breaker");
    expect(all[3]).toEqual([
      "(service app) has started 1 tasks: (task 7096a12729346a1c7d93eb6808e79cda).",
      "task 0745e47b… STOPPED: Essential container in task exited (container app exited with code 1)",
      "task 7096a127… PROVISIONING",
    ]);
    expect(all.flat().filter((l) => l.startsWith("task 0745e47b… STOPPED"))).toHaveLength(1);
  });

  it("unhealthy targets carry ELB's reason; nothing is printed for a poll where nothing changed", () => {
    const all = lines("failing-health-checks");
    expect(all[3]).toEqual([]);
    expect(all[4]).toContain(
      "10.0.2.31:80 in tg-app initial → unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [404])",
    );
    expect(all[8]).toContain("10.0.2.31:80 left tg-app");
  });

  it("service deployment status and lifecycle stage changes", () => {
    const all = lines("blue-green-success");
    expect(all[0]).toContain("stage PRE_SCALE_UP: production 0% · test 0% on revision 42");
    expect(all[4]).toEqual(["stage TEST_TRAFFIC_SHIFT: production 0% · test 100% on revision 42"]);
    expect(all[6]).toEqual(["stage PRODUCTION_TRAFFIC_SHIFT: production 100% · test 100% on revision 42"]);
    expect(all[10]?.[0]).toBe("service deployment IN_PROGRESS → SUCCESSFUL");
  });
});

describe("progressLine", () => {
  const scenario = loadScenario("failing-health-checks");
  const snapshots = snapshotsOf(scenario);

  it("counts running, pending, healthy per target group, failed tasks, and the old revision", () => {
    expect(progressLine(snapshots[1] as Snapshot, scenario.context)).toBe(
      "0/2 running · 2 pending · 0/2 healthy in tg-app · old revision serving",
    );
    // The old revision's targets never left `healthy`: a failing rollout never drains it.
    expect(progressLine(snapshots[6] as Snapshot, scenario.context)).toBe(
      "2/2 running · 0/2 healthy in tg-app · 2 failed · old revision serving",
    );
  });

  it("says so when our deployment is gone", () => {
    const gone = { ...(snapshots[0] as Snapshot), service: { deployments: [] } };
    expect(progressLine(gone, scenario.context)).toBe("deployment no longer in the service");
  });
});
