// The verdict over real-shaped rollouts: each fixture is what ECS, ELB and the service deployment API answered at
// each poll. Every case checks the outcome, the cause, the exact first line, and that the verdict comes at the
// FIRST snapshot that shows the terminal state (not a poll later).
import { describe, expect, it } from "vitest";
import type { Snapshot, WatchContext } from "../../../src/rollout/verdict/model.js";
import { emptyHistory } from "../../../src/rollout/verdict/model.js";
import { decide, timedOut } from "../../../src/rollout/verdict/verdict.js";
import { loadScenario, replay, snapshotsOf } from "../../support/scenario.js";

const TD = (revision: number) => `arn:aws:ecs:us-east-1:879613780019:task-definition/app:${revision}`;
const PULL_ERROR =
  "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " +
  "879613780019.dkr.ecr.us-east-1.amazonaws.com/app:r254: 879613780019.dkr.ecr.us-east-1.amazonaws.com/app:r254: not found";

describe("decide", () => {
  it("healthy rolling deploy with an ALB: succeeds when COMPLETED and every target of ours is healthy", () => {
    const r = replay(loadScenario("healthy-rolling-alb"));
    expect(r.index).toBe(6);
    expect(r.verdict).toEqual({
      kind: "succeeded",
      message: "revision 42 is live: 2/2 running · 2/2 healthy in tg-app",
      details: [],
    });
    // The old targets are still healthy at 20 s: the old revision serves, it does not drain yet.
    expect(r.verdicts[4]).toEqual({
      kind: "pending",
      progress: "2/2 running · 1/2 healthy in tg-app · old revision serving",
    });
    expect(r.verdicts[5]).toEqual({
      kind: "pending",
      progress: "2/2 running · 2/2 healthy in tg-app · old revision draining",
    });
  });

  it("bad image with circuit breaker: fails on the poll where our deployment turns FAILED, not after the rollback", () => {
    const r = replay(loadScenario("bad-image-breaker-rollback"));
    expect(r.index).toBe(7);
    expect(r.verdict).toMatchObject({
      kind: "failed",
      cause: "circuit-breaker",
      message: `${PULL_ERROR} — deployment circuit breaker rolled back to revision 41`,
      rolledBackTo: TD(41),
    });
    if (r.verdict.kind !== "failed") throw new Error("expected a failure");
    // ECS's reason as ECS words it (no `ECS: ECS …`); the pull error quoted once, in the first line (issue 21.6).
    expect(r.verdict.details).toContain("ECS deployment circuit breaker: tasks failed to start.");
    expect(r.verdict.message).toContain(PULL_ERROR);
    expect(r.verdict.details[0]).toBe("3 tasks stopped (TaskFailedToStart) with the error above");
    expect(r.verdict.details.filter((l) => l.includes(PULL_ERROR))).toEqual([]);
  });

  it("circuit breaker without rollback, and a CloudWatch alarm rollback, say which one stopped the deployment", () => {
    const scenario = loadScenario("bad-image-breaker-rollback");
    const failed = snapshotsOf(scenario)[7] as Snapshot;
    const ours = failed.service?.deployments?.find((d) => d.id === scenario.context.deploymentId);
    const noRollback: Snapshot = {
      ...failed,
      service: {
        ...failed.service,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
        deployments: [{ ...ours, status: "PRIMARY" }],
      },
    };
    expect(decide(noRollback, scenario.context)).toMatchObject({
      cause: "circuit-breaker",
      message: `${PULL_ERROR} — deployment circuit breaker stopped the deployment`,
    });
    const alarmed: Snapshot = {
      ...failed,
      tasks: [],
      service: {
        ...failed.service,
        deployments: failed.service?.deployments?.map((d) =>
          d === ours ? { ...d, rolloutStateReason: "ECS deployment rolled back: alarm app-5xx is in ALARM state." } : d,
        ),
      },
    };
    expect(decide(alarmed, scenario.context)).toMatchObject({
      cause: "alarm",
      message: "deployment alarm rolled back to revision 41",
      rolledBackTo: TD(41),
    });
  });

  it("bad image without breaker: fails at the 3rd stopped task instead of waiting for the timeout", () => {
    const r = replay(loadScenario("bad-image-no-breaker"));
    expect(r.index).toBe(7);
    expect(r.verdict).toMatchObject({
      kind: "failed",
      cause: "tasks-failed",
      message: `${PULL_ERROR} — 3 tasks of revision 42 stopped (max-failed-tasks: 3)`,
    });
  });

  it("crash loop without breaker: counts stopped tasks itself, since ECS's failedTasks stays 0 for tasks that ran", () => {
    const scenario = loadScenario("crash-loop-no-breaker");
    const r = replay(scenario);
    expect(snapshotsOf(scenario)[7]?.service?.deployments?.[0]?.failedTasks).toBe(0);
    expect(r.index).toBe(7);
    expect(r.verdict).toMatchObject({
      kind: "failed",
      cause: "tasks-failed",
      message: "container app exited with code 1 — 3 tasks of revision 42 stopped (max-failed-tasks: 3)",
    });
    if (r.verdict.kind !== "failed") throw new Error("expected a failure");
    expect(r.verdict.details.slice(0, 3)).toEqual([
      "3 tasks stopped (EssentialContainerExited): Essential container in task exited",
      "  container xray-daemon: exit code 143",
      "  container app: exit code 1",
    ]);
  });

  it("a lower max-failed-tasks fails earlier on the same crash loop", () => {
    const scenario = loadScenario("crash-loop-no-breaker");
    const r = replay(scenario, { ...scenario.context, maxFailedTasks: 1 });
    expect(r.index).toBe(3);
    expect(r.verdict).toMatchObject({
      message: "container app exited with code 1 — 1 task of revision 42 stopped (max-failed-tasks: 1)",
    });
  });

  it("failing health checks: the target group, request, port, codes and matcher, remembered from before the task stopped", () => {
    const r = replay(loadScenario("failing-health-checks"));
    expect(r.index).toBe(9);
    expect(r.verdict).toMatchObject({
      kind: "failed",
      cause: "unhealthy-targets",
      message:
        "health checks failed in tg-app: GET /_health on port 80 answered 404 (healthy is 200) — 4 tasks of revision 42 stopped (max-failed-tasks: 3)",
    });
    if (r.verdict.kind !== "failed") throw new Error("expected a failure");
    // Target 10.0.2.33 is named, unhealthy with ELB's reason: the reason quoted once for the targets that fail alike
    // (issue 21.6).
    const targets = r.verdict.details.filter((l) => l.includes("10.0.2.33:80") || l.startsWith("target "));
    expect(targets).toEqual([
      "target 10.0.2.31:80 in tg-app unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [404])",
      "  the same: 10.0.1.32:80, 10.0.2.33:80, 10.0.1.34:80",
    ]);
  });

  it("failing health checks without the target group's path: says the codes and omits the path", () => {
    const scenario = loadScenario("failing-health-checks");
    const { describeTargetGroups: _, ...withoutPath } = scenario;
    const r = replay(withoutPath);
    expect(r.verdict).toMatchObject({
      message:
        "health checks failed in tg-app: the health check on port 80 answered 404 — 4 tasks of revision 42 stopped (max-failed-tasks: 3)",
    });
  });

  it("replaced by a concurrent deploy: names the newer deployment and its revision", () => {
    const r = replay(loadScenario("replaced-by-concurrent-deploy"));
    expect(r.index).toBe(2);
    expect(r.verdict).toEqual({
      kind: "failed",
      cause: "replaced",
      message: "replaced by deployment ecs-svc/5551337420196871034 (revision 43) before this deployment finished",
      details: expect.any(Array),
    });
  });

  it("rolled back by someone: PRIMARY is the previous revision", () => {
    const r = replay(loadScenario("rolled-back-by-someone"));
    expect(r.index).toBe(3);
    expect(r.verdict).toMatchObject({
      kind: "failed",
      cause: "rolled-back",
      message: "rolled back to revision 41 by deployment ecs-svc/6662448531207982145 before this deployment finished",
      rolledBackTo: TD(41),
    });
  });

  it("rolled back by someone, previous revision unknown: an older revision of our family still reads as a rollback", () => {
    const scenario = loadScenario("rolled-back-by-someone");
    const { previousTaskDefinitionArn: _, ...context } = scenario.context;
    expect(replay(scenario, context).verdict).toMatchObject({ cause: "rolled-back" });
  });

  it("blue/green: stays pending through every lifecycle stage, even when rolloutState says COMPLETED during bake time", () => {
    const r = replay(loadScenario("blue-green-success"));
    expect(r.index).toBe(10);
    expect(r.verdict).toEqual({
      kind: "succeeded",
      message:
        "revision 42 is live: 2/2 running · 2/2 healthy in tg-app-green · production 100% · test 100% on revision 42 · stage CLEAN_UP",
      details: [],
      lifecycleStage: "CLEAN_UP",
    });
    expect(r.verdicts.slice(0, 10).map((v) => v.kind === "pending" && v.lifecycleStage)).toEqual([
      "PRE_SCALE_UP",
      "SCALE_UP",
      "SCALE_UP",
      "POST_SCALE_UP",
      "TEST_TRAFFIC_SHIFT",
      "POST_TEST_TRAFFIC_SHIFT",
      "PRODUCTION_TRAFFIC_SHIFT",
      "BAKE_TIME",
      "BAKE_TIME",
      "CLEAN_UP",
    ]);
  });

  it("blue/green: a failed lifecycle hook fails at ROLLBACK_IN_PROGRESS with the stage and ECS's reason", () => {
    const r = replay(loadScenario("blue-green-hook-rollback"));
    expect(r.index).toBe(6);
    expect(r.verdict).toMatchObject({
      kind: "failed",
      cause: "rolled-back",
      message:
        "the service deployment failed at POST_TEST_TRAFFIC_SHIFT with production 0% · test 100% on revision 42: " +
        "Service deployment rolled back because the lifecycle hook app-smoke-test returned FAILED; " +
        "ECS is rolling back: production traffic goes back to revision 41",
      rolledBackTo: TD(41),
      lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
    });
  });

  it("COMPLETED while targets are still initial: no false success until every target of ours is healthy", () => {
    const r = replay(loadScenario("completed-targets-initial"));
    expect(r.verdicts.slice(1, 3).map((v) => v.kind)).toEqual(["pending", "pending"]);
    expect(r.index).toBe(3);
    expect(r.verdict.kind).toBe("succeeded");
  });

  it("steady service on another task definition is never a success (ours absent two polls in a row: no stale view)", () => {
    const r = replay(loadScenario("steady-on-another-revision"));
    expect(r.verdicts[0]?.kind).toBe("pending");
    expect(r.index).toBe(1);
    expect(r.verdict).toMatchObject({
      kind: "failed",
      cause: "circuit-breaker",
      message: "deployment circuit breaker rolled back to revision 41",
      rolledBackTo: TD(41),
    });
  });

  it("steady service on another task definition, without ECS's failure events: rolled back, still no success", () => {
    const [snapshot] = snapshotsOf(loadScenario("steady-on-another-revision")) as [Snapshot];
    const quiet: Snapshot = { ...snapshot, service: { ...snapshot.service, events: [] } };
    const ctx = loadScenario("steady-on-another-revision").context;
    const missedOnce = { ...emptyHistory(), oursMissing: 1 };
    expect(decide(quiet, ctx, missedOnce)).toMatchObject({ kind: "failed", cause: "rolled-back" });
  });

  it("our deployment id on another revision (the service is steady on it): not ours, never success", () => {
    const [snapshot] = snapshotsOf(loadScenario("steady-on-another-revision")) as [Snapshot];
    const ctx: WatchContext = { ...loadScenario("steady-on-another-revision").context };
    ctx.deploymentId = "ecs-svc/6662448531207982145";
    expect(decide(snapshot, ctx)).toMatchObject({
      kind: "failed",
      cause: "replaced",
      message: "deployment ecs-svc/6662448531207982145 runs app:41, not app:42",
    });
  });

  it("never places a task: pending on every poll; at the deadline, the timeout names the cause and what is pending", () => {
    const r = replay(loadScenario("no-capacity-timeout"));
    expect(r.index).toBe(-1);
    const last = snapshotsOf(loadScenario("no-capacity-timeout")).at(-1) as Snapshot;
    const verdict = timedOut(last, loadScenario("no-capacity-timeout").context, r.history, 600_000);
    expect(verdict).toMatchObject({
      kind: "failed",
      cause: "timeout",
      message:
        "(service app) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again " +
        "later or in a different availability zone. For more information, see the Troubleshooting section of the " +
        "Amazon ECS Developer Guide. — timed out after 10m with 0/2 running · old revision serving",
    });
  });

  it("old deployment controller without rolloutState: done when ours is the only deployment, at full count", () => {
    const [first] = snapshotsOf(loadScenario("completed-targets-initial")) as [Snapshot];
    const ctx = loadScenario("completed-targets-initial").context;
    const legacy = (running: number, others: boolean): Snapshot => ({
      ...first,
      service: {
        ...first.service,
        loadBalancers: [],
        deployments: [
          { id: ctx.deploymentId, status: "PRIMARY", taskDefinition: TD(42), desiredCount: 2, runningCount: running },
          ...(others ? [{ id: "ecs-svc/1", status: "ACTIVE", taskDefinition: TD(41), runningCount: 2 }] : []),
        ],
      },
    });
    expect(decide(legacy(2, true), ctx).kind).toBe("pending");
    expect(decide(legacy(1, false), ctx).kind).toBe("pending");
    expect(decide(legacy(2, false), ctx).kind).toBe("succeeded");
  });

  it("service deleted mid-rollout fails instead of waiting", () => {
    const [first] = snapshotsOf(loadScenario("healthy-rolling-alb")) as [Snapshot];
    const ctx = loadScenario("healthy-rolling-alb").context;
    expect(decide({ ...first, service: undefined }, ctx, emptyHistory())).toMatchObject({
      cause: "service-missing",
      message: "service was not found: it was deleted while the deployment was rolling out",
    });
  });
});
