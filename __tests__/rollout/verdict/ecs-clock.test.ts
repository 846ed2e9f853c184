// Staged rollouts on ECS's own clock (issue 21.1): scripted looks every 5 s over ECS's documented stage order, with
// stages shorter than a poll and an alarm firing mid-shift. Where ECS was when it began to roll back comes from
// its timestamps (updatedAt, rollback.startedAt), and each stage line is dated when ECS says it began.
import { describe, expect, it } from "vitest";
import { stageAtRollback } from "../../../src/rollout/verdict/ecs-clock.js";
import type {
  ServiceDeploymentView,
  Snapshot,
  StageHistory,
  WatchContext,
} from "../../../src/rollout/verdict/model.js";
import { emptyHistory, type History } from "../../../src/rollout/verdict/model.js";
import { changesAt } from "../../../src/rollout/verdict/progress.js";
import { rememberStages, stagedFailure } from "../../../src/rollout/verdict/stages.js";
import { decide, remember } from "../../../src/rollout/verdict/verdict.js";
import { serviceDeployment } from "../../support/service-deployment.js";

const T0 = Date.parse("2026-12-07T10:00:00Z");
const ctx: WatchContext = {
  deploymentId: "ecs-svc/1",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:42",
  previousTaskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:41",
  maxFailedTasks: 3,
  startedAt: T0,
};
const ALARM = { status: "TRIGGERED", triggeredAlarmNames: ["web-5xx"] };
const CANARY = {
  strategy: "CANARY",
  bakeTimeInMinutes: 5,
  canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 10 },
};
const LINEAR = {
  strategy: "LINEAR",
  bakeTimeInMinutes: 5,
  linearConfiguration: { stepPercent: 34, stepBakeTimeInMinutes: 1 },
};

/** A look at the service deployment: ECS changed it to this state `changed` s after T0. */
const sd = (stage: string, prod: number, test: number, changed: number, more: Partial<ServiceDeploymentView> = {}) =>
  serviceDeployment(stage, prod, test, {
    deploymentConfiguration: CANARY,
    updatedAt: new Date(T0 + changed * 1000),
    ...more,
  });
const back = (status: string, startedS: number, more: Partial<ServiceDeploymentView> = {}) => ({
  status,
  alarms: ALARM,
  rollback: { reason: "alarm", startedAt: new Date(T0 + startedS * 1000) },
  ...more,
});

const service = {
  serviceArn: "arn:aws:ecs:us-east-1:123456789012:service/c/app",
  status: "ACTIVE",
  deploymentConfiguration: { strategy: "CANARY", alarms: { enable: true, rollback: true } },
  deployments: [{ id: "ecs-svc/1", status: "PRIMARY", taskDefinition: ctx.taskDefinitionArn, desiredCount: 2 }],
};
const snap = (at: number, view: ServiceDeploymentView): Snapshot =>
  ({ at, service, serviceDeployment: view, tasks: [], targetHealth: {}, targetGroups: {} }) as unknown as Snapshot;

/** The looks (every 5 s) through the verdict and the log, as the poller folds them: the lines, and the verdict. */
function play(views: ServiceDeploymentView[]) {
  let history: History = emptyHistory();
  let prev: Snapshot | undefined;
  const lines: { at: number; text: string }[] = [];
  let verdict = decide(snap(0, views[0] as ServiceDeploymentView), ctx, history);
  for (const [i, view] of views.entries()) {
    const next = snap(i * 5000, view);
    verdict = decide(next, ctx, history);
    history = remember(history, next, ctx);
    lines.push(...changesAt(prev, next, ctx, history));
    prev = next;
    if (verdict.kind !== "pending") break;
  }
  return { lines, verdict, history };
}

const stagesTold = (lines: { text: string }[]) =>
  lines
    .filter((l) => !l.text.includes("(rolling back)"))
    .map((l) => /^(?:stage|passed) ([A-Z_]+)/.exec(l.text)?.[1])
    .filter((s): s is string => s !== undefined);

describe("a staged deployment on ECS's clock", () => {
  it("an alarm mid-shift, no look forward at the shift: the first line names PRODUCTION_TRAFFIC_SHIFT and its weights", () => {
    const { lines, verdict } = play([
      sd("SCALE_UP", 0, 0, 0),
      sd("POST_SCALE_UP", 0, 0, 4),
      // TEST_TRAFFIC_SHIFT from 6 s to 8 s: between two looks.
      sd("POST_TEST_TRAFFIC_SHIFT", 0, 100, 8),
      // Production to 10 % at 11 s; the alarm fires; ECS begins to roll back at 13 s and moves the traffic back: the
      // look that sees the rollback comes later, its weights already back at 0.
      sd("PRODUCTION_TRAFFIC_SHIFT", 0, 0, 14, back("ROLLBACK_IN_PROGRESS", 13)),
    ]);
    expect(verdict.kind).toBe("failed");
    if (verdict.kind !== "failed") return;
    expect(verdict.cause).toBe("alarm");
    expect(verdict.message).toMatch(
      /^alarm web-5xx fired at PRODUCTION_TRAFFIC_SHIFT with production 10% · test 100% on revision 42; ECS is rolling back/,
    );
    // Each stage going forward told once, in ECS's order, dated when ECS says it began.
    expect(stagesTold(lines)).toEqual(["SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT"]);
    const at = (start: string) => lines.find((l) => l.text.startsWith(start))?.at;
    expect(at("stage POST_SCALE_UP")).toBe(4000);
    expect(at("passed TEST_TRAFFIC_SHIFT")).toBe(8000);
    expect(at("stage POST_TEST_TRAFFIC_SHIFT")).toBe(8000);
    // The rollback, at the time ECS began it, not the look's 15 s.
    expect(at("service deployment IN_PROGRESS → ROLLBACK_IN_PROGRESS")).toBe(13_000);
    expect(lines.map((l) => l.at)).toEqual([...lines.map((l) => l.at)].sort((a, b) => a - b));
  });

  it("the rollback seen later in another stage: the stage and weights in effect when ECS began it", () => {
    const looks = [
      sd("POST_SCALE_UP", 0, 0, 0),
      sd("PRODUCTION_TRAFFIC_SHIFT", 10, 100, 9),
      // The alarm at 12 s; by the next look ECS moved the test traffic back too.
      sd("TEST_TRAFFIC_SHIFT", 0, 0, 14, back("ROLLBACK_IN_PROGRESS", 12)),
    ];
    const { verdict } = play(looks);
    expect(verdict.kind === "failed" && verdict.message).toMatch(
      /^alarm web-5xx fired at PRODUCTION_TRAFFIC_SHIFT with production 10% · test 100% on revision 42/,
    );
    // A look of the request itself (updatedAt = rollback.startedAt) is the state at that moment.
    let history: StageHistory | undefined;
    for (const [i, v] of looks.slice(0, 2).entries()) history = rememberStages(history, snap(i * 5000, v));
    const requested = sd("PRODUCTION_TRAFFIC_SHIFT", 10, 100, 12, back("ROLLBACK_REQUESTED", 12));
    expect(stageAtRollback(history, requested)).toEqual({
      stage: "PRODUCTION_TRAFFIC_SHIFT",
      production: 10,
      test: 100,
    });
  });

  it("a linear shift's step reached when the alarm fired, counted on ECS's clock from the look that saw a step", () => {
    const linear = (stage: string, prod: number, test: number, changed: number, more = {}) =>
      sd(stage, prod, test, changed, { deploymentConfiguration: LINEAR, ...more });
    const history = rememberStages(undefined, snap(0, linear("PRODUCTION_TRAFFIC_SHIFT", 34, 100, 0)));
    // No look for 75 s (throttled reads): step 2 (68 %) began at 60 s, the alarm turned ECS back at 70 s.
    const rolling = linear("PRODUCTION_TRAFFIC_SHIFT", 0, 0, 72, back("ROLLBACK_IN_PROGRESS", 70));
    expect(stagedFailure(rolling, history)).toMatchObject({
      cause: "alarm",
      at: { stage: "PRODUCTION_TRAFFIC_SHIFT", production: 68, test: 100 },
    });
    // Without ECS's timestamps, the looks alone: the last step a look saw.
    const undated = rememberStages(
      undefined,
      snap(0, { ...linear("PRODUCTION_TRAFFIC_SHIFT", 34, 100, 0), updatedAt: undefined }),
    );
    const noClock = { ...rolling, updatedAt: undefined, rollback: undefined };
    expect(stagedFailure(noClock, undated)?.at).toEqual({
      stage: "PRODUCTION_TRAFFIC_SHIFT",
      production: 34,
      test: 100,
    });
  });

  it("the breaker tripping at the scale-up is placed there, though ECS was seen rolling back at a later look", () => {
    const breaker = { deploymentCircuitBreaker: { status: "TRIGGERED" } };
    const history = rememberStages(undefined, snap(0, sd("SCALE_UP", 0, 0, 0)));
    const rolled = sd("CLEAN_UP", 0, 0, 9, { ...back("ROLLBACK_SUCCESSFUL", 3), alarms: undefined, ...breaker });
    expect(stagedFailure(rolled, history)).toMatchObject({
      cause: "circuit-breaker",
      at: { stage: "SCALE_UP", production: 0, test: 0 },
    });
  });
});
