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
import { serviceDeployment } from "../../support/service-deployment.js";

const ctx: WatchContext = {
  deploymentId: "ecs-svc/1",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:42",
  maxFailedTasks: 3,
};

const sd = serviceDeployment;
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
    // The stages ECS went through between two looks are told too (issue 21.1): apart from them, the same lines.
    expect(lines.filter((l) => l.startsWith("passed"))).toEqual([
      "passed POST_SCALE_UP between two looks",
      "passed POST_TEST_TRAFFIC_SHIFT between two looks",
      "passed POST_PRODUCTION_TRAFFIC_SHIFT between two looks",
    ]);
    expect(lines.filter((l) => !l.startsWith("passed"))).toEqual([
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

  // ECS's documented stage order, looked at every 5 s, with stages shorter than a look (issue 21.1).
  it("a stage that began and ended between two looks is still told once, in ECS's order", () => {
    const lines = play([
      [0, sd("SCALE_UP", 0, 0)],
      [5_000, sd("POST_TEST_TRAFFIC_SHIFT", 0, 100)],
      [10_000, sd("PRODUCTION_TRAFFIC_SHIFT", 10, 100)],
      [15_000, sd("BAKE_TIME", 100, 100)],
      [20_000, sd("CLEAN_UP", 100, 100, { status: "SUCCESSFUL" })],
    ]);
    expect(lines).toEqual([
      "stage SCALE_UP: production 0% · test 0% on revision 42",
      "passed POST_SCALE_UP between two looks",
      "passed TEST_TRAFFIC_SHIFT between two looks",
      "stage POST_TEST_TRAFFIC_SHIFT: production 0% · test 100% on revision 42",
      "stage PRODUCTION_TRAFFIC_SHIFT: production 10% · test 100% on revision 42",
      "passed POST_PRODUCTION_TRAFFIC_SHIFT between two looks",
      "stage BAKE_TIME: production 100% · test 100% on revision 42; 10m of bake time left, the old revision ready to take the traffic back",
      "stage CLEAN_UP: production 100% · test 100% on revision 42",
    ]);
    const told = lines.map((l) => /^(?:stage|passed) ([A-Z_]+)/.exec(l)?.[1]);
    expect(new Set(told).size).toBe(told.length);
    // A rollback re-runs the shifts backwards: those are not stages passed going forward.
    expect(
      play([
        [0, sd("BAKE_TIME", 100, 100)],
        [5_000, sd("PRODUCTION_TRAFFIC_SHIFT", 0, 0, { status: "ROLLBACK_IN_PROGRESS" })],
      ]),
    ).not.toContainEqual(expect.stringMatching(/^passed/));
  });

  it("an alarm firing mid-shift between two looks is placed where ECS was, not at the last stage a look saw", () => {
    const alarms = { status: "TRIGGERED", triggeredAlarmNames: ["web-5xx"] };
    const looks: [number, ServiceDeploymentView][] = [
      [0, sd("POST_SCALE_UP", 0, 0)],
      // Between the looks: test traffic shifted, production moved to 10 %, the alarm fired, ECS began to roll back.
      [5_000, sd("PRODUCTION_TRAFFIC_SHIFT", 10, 100, { status: "ROLLBACK_REQUESTED", alarms })],
      [10_000, sd("PRODUCTION_TRAFFIC_SHIFT", 0, 0, { status: "ROLLBACK_IN_PROGRESS", alarms })],
    ];
    let history: ReturnType<typeof rememberStages>;
    for (const [at, view] of looks) history = rememberStages(history, snap(at, view));
    const rolledBack = sd("CLEAN_UP", 0, 0, { status: "ROLLBACK_SUCCESSFUL", alarms });
    expect(stagedFailure(rolledBack, history)).toEqual({
      cause: "alarm",
      who: "alarm web-5xx fired",
      at: { stage: "PRODUCTION_TRAFFIC_SHIFT", production: 10, test: 100 },
    });
    // Judged on the look that first shows the turn, before it is remembered: the same answer.
    const forwardOnly = rememberStages(undefined, snap(0, sd("POST_SCALE_UP", 0, 0)));
    expect(stagedFailure(looks[1]?.[1], forwardOnly)?.at).toEqual({
      stage: "PRODUCTION_TRAFFIC_SHIFT",
      production: 10,
      test: 100,
    });
    // First seen already rolling back, the weights moving back: the stage ECS was at, the highest weights seen.
    let later: ReturnType<typeof rememberStages>;
    later = rememberStages(undefined, snap(0, sd("TEST_TRAFFIC_SHIFT", 0, 100)));
    later = rememberStages(
      later,
      snap(5_000, sd("PRODUCTION_TRAFFIC_SHIFT", 0, 40, { status: "ROLLBACK_IN_PROGRESS" })),
    );
    expect(stagedFailure(rolledBack, later)?.at).toEqual({
      stage: "PRODUCTION_TRAFFIC_SHIFT",
      production: 0,
      test: 100,
    });
    // The breaker too: its line names where ECS was.
    const breaker = { status: "TRIGGERED" };
    let tripped: ReturnType<typeof rememberStages>;
    tripped = rememberStages(undefined, snap(0, sd("SCALE_UP", 0, 0)));
    tripped = rememberStages(
      tripped,
      snap(5_000, sd("TEST_TRAFFIC_SHIFT", 0, 50, { status: "ROLLBACK_REQUESTED", deploymentCircuitBreaker: breaker })),
    );
    expect(
      stagedFailure(
        sd("CLEAN_UP", 0, 0, { status: "ROLLBACK_SUCCESSFUL", deploymentCircuitBreaker: breaker }),
        tripped,
      ),
    ).toMatchObject({
      cause: "circuit-breaker",
      at: { stage: "TEST_TRAFFIC_SHIFT", production: 0, test: 50 },
    });
  });
});
