// The pure stage logic of blue/green, linear and canary deployments: ECS's order, each stage (and step) printed once,
// the bake time left, what failed and where, and a pause that awaits an answer.
import { describe, expect, it } from "vitest";
import type { ServiceDeploymentView, Snapshot, WatchContext } from "../../../src/rollout/verdict/model.js";
import {
  awaitingPause,
  bakeLeftMs,
  expiryText,
  liveByTraffic,
  rememberStages,
  STAGE_ORDER,
  stageChanges,
  stagedFailure,
  stageIndex,
} from "../../../src/rollout/verdict/stages.js";

const ctx: WatchContext = {
  deploymentId: "ecs-svc/1",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:42",
  maxFailedTasks: 3,
};

function sd(
  stage: string,
  prod: number,
  test: number,
  more: Partial<ServiceDeploymentView> = {},
): ServiceDeploymentView {
  return {
    serviceDeploymentArn: "arn:aws:ecs:us-east-1:123456789012:service-deployment/c/app/abc",
    status: "IN_PROGRESS",
    lifecycleStage: stage,
    targetServiceRevision: { requestedProductionTrafficWeight: prod, requestedTestTrafficWeight: test },
    deploymentConfiguration: { strategy: "CANARY", bakeTimeInMinutes: 10 },
    ...more,
  };
}
const snap = (at: number, view: ServiceDeploymentView): Snapshot =>
  ({ at, serviceDeployment: view, tasks: [] }) as unknown as Snapshot;

/** The log lines of a run of looks, with the history each look leaves. */
function play(views: [number, ServiceDeploymentView][]): string[] {
  let history: ReturnType<typeof rememberStages>;
  let prev: Snapshot | undefined;
  const lines: string[] = [];
  for (const [at, view] of views) {
    const next = snap(at, view);
    history = rememberStages(history, next);
    lines.push(...stageChanges(prev, next, ctx, history));
    prev = next;
  }
  return lines;
}

describe("stages", () => {
  it("keeps ECS's documented order, hard-coded", () => {
    expect(stageIndex("SCALE_UP")).toBeLessThan(stageIndex("TEST_TRAFFIC_SHIFT"));
    expect(stageIndex("PRE_PRODUCTION_TRAFFIC_SHIFT")).toBeLessThan(stageIndex("PRODUCTION_TRAFFIC_SHIFT"));
    expect(STAGE_ORDER.at(-2)).toBe("BAKE_TIME");
    expect(stageIndex("SOMETHING_NEW")).toBe(-1);
  });

  it("prints each stage once, each step of the production shift once, and the bake time left", () => {
    const lines = play([
      [0, sd("SCALE_UP", 0, 0)],
      [5_000, sd("SCALE_UP", 0, 0)],
      [10_000, sd("TEST_TRAFFIC_SHIFT", 0, 100)],
      [15_000, sd("PRODUCTION_TRAFFIC_SHIFT", 5, 100)],
      [20_000, sd("PRODUCTION_TRAFFIC_SHIFT", 5, 100)],
      [25_000, sd("PRODUCTION_TRAFFIC_SHIFT", 100, 100)],
      [30_000, sd("BAKE_TIME", 100, 100)],
      [30_000 + 61_000, sd("BAKE_TIME", 100, 100)],
    ]);
    expect(lines).toEqual([
      "stage SCALE_UP: production 0% · test 0% on revision 42",
      "stage TEST_TRAFFIC_SHIFT: production 0% · test 100% on revision 42",
      "stage PRODUCTION_TRAFFIC_SHIFT: production 5% · test 100% on revision 42",
      "stage PRODUCTION_TRAFFIC_SHIFT, step 2: production 100% · test 100% on revision 42",
      "stage BAKE_TIME: production 100% · test 100% on revision 42; 10m of bake time left, the old revision ready to take the traffic back",
      "bake time: 8m59s left",
    ]);
  });

  it("bake time left counts from the first look that saw it, never below 0", () => {
    const history = rememberStages(undefined, snap(1000, sd("BAKE_TIME", 100, 100)));
    expect(bakeLeftMs(snap(61_000, sd("BAKE_TIME", 100, 100)), history)).toBe(540_000);
    expect(bakeLeftMs(snap(10_000_000, sd("BAKE_TIME", 100, 100)), history)).toBe(0);
  });

  it("an alarm names itself and where it fired; ROLLBACK_SUCCESSFUL is never a success", () => {
    const forward = rememberStages(undefined, snap(0, sd("PRODUCTION_TRAFFIC_SHIFT", 5, 100)));
    const alarms = { status: "TRIGGERED", triggeredAlarmNames: ["web-5xx"] };
    const rolledBack = sd("CLEAN_UP", 0, 0, { status: "ROLLBACK_SUCCESSFUL", alarms });
    expect(stagedFailure(rolledBack, forward)).toEqual({
      cause: "alarm",
      who: "alarm web-5xx fired",
      at: { stage: "PRODUCTION_TRAFFIC_SHIFT", production: 5, test: 100 },
    });
    expect(liveByTraffic(rolledBack)).toBe(false);
    expect(stagedFailure(sd("CLEAN_UP", 0, 0, { status: "ROLLBACK_SUCCESSFUL" }), forward)?.cause).toBe("rolled-back");
    expect(stagedFailure(sd("BAKE_TIME", 100, 100), forward)).toBeUndefined();
  });

  it("a failed hook is remembered with its stage, though the rollback's look may no longer list it", () => {
    const hook = {
      hookId: "h1",
      targetType: "AWS_LAMBDA",
      targetArn: "arn:aws:lambda:us-east-1:1:function:smoke",
      status: "FAILED",
    };
    let history = rememberStages(undefined, snap(0, sd("TEST_TRAFFIC_SHIFT", 0, 100)));
    history = rememberStages(history, snap(1, sd("TEST_TRAFFIC_SHIFT", 0, 100, { lifecycleHookDetails: [hook] })));
    const failure = stagedFailure(sd("CLEAN_UP", 0, 0, { status: "ROLLBACK_IN_PROGRESS" }), history);
    expect(failure).toMatchObject({ cause: "hook-failed", who: "lifecycle hook smoke (Lambda) failed" });
    expect(failure?.at).toEqual({ stage: "TEST_TRAFFIC_SHIFT", production: 0, test: 100 });
  });

  it("a pause that timed out with CONTINUE goes on; with ROLLBACK it fails", () => {
    const pause = (timeoutAction: string) => ({
      hookId: "p1",
      targetType: "PAUSE",
      status: "TIMED_OUT",
      timeoutAction,
    });
    const view = (action: string) =>
      sd("PRE_PRODUCTION_TRAFFIC_SHIFT", 0, 100, { lifecycleHookDetails: [pause(action)] });
    expect(stagedFailure(view("CONTINUE"), undefined)).toBeUndefined();
    expect(stagedFailure(view("ROLLBACK"), undefined)?.cause).toBe("hook-timed-out");
  });

  it("a pause awaiting action is found with its expiry; one of a deployment rolling back is not", () => {
    const hook = {
      hookId: "p1",
      targetType: "PAUSE",
      status: "AWAITING_ACTION",
      expiresAt: new Date("2026-11-20T11:00:00Z"),
      timeoutAction: "ROLLBACK",
    };
    const view = sd("PRE_PRODUCTION_TRAFFIC_SHIFT", 0, 100, { lifecycleHookDetails: [hook] });
    const pause = awaitingPause(view);
    expect(pause).toMatchObject({ hookId: "p1", stage: "PRE_PRODUCTION_TRAFFIC_SHIFT" });
    expect(expiryText(pause ?? { expiresAt: undefined }, Date.parse("2026-11-20T10:01:00Z"))).toBe(
      "it expires at 2026-11-20T11:00:00Z (in 59m), then ECS will ROLLBACK",
    );
    expect(awaitingPause({ ...view, status: "ROLLBACK_IN_PROGRESS" })).toBeUndefined();
  });

  it("live by traffic: all production traffic on ours and the shift over", () => {
    expect(liveByTraffic(sd("PRODUCTION_TRAFFIC_SHIFT", 100, 100))).toBe(false);
    expect(liveByTraffic(sd("BAKE_TIME", 100, 100))).toBe(true);
    expect(liveByTraffic(sd("BAKE_TIME", 100, 100, { status: "ROLLBACK_REQUESTED" }))).toBe(false);
  });
});
