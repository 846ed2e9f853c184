// Pure: a staged deployment on ECS's own clock. A look sees a stage up to a poll after it began, or never (a stage
// shorter than a poll); ECS dates each change of the service deployment (updatedAt: a stage, a weight, a status)
// and the moment it began to roll back (rollback.startedAt). Placed on that clock, the looks tell which stage and
// weights were in effect when an alarm or the breaker turned ECS back, and each stage line is printed at the time
// ECS says it began, not when a look happened to see it.
//
// The alarm's own state change is CloudWatch's (DescribeAlarmHistory): a client of its own, in a bundle near its
// budget, for a time that rollback.startedAt already gives within ECS's alarm evaluation. Not read.
import type { PlacedStage, ServiceDeploymentView, Snapshot, StageAt, StageHistory, WatchContext } from "./model.js";
import { findDeployment } from "./names.js";
import { goesForward, isRollingBack, stageIndex, trafficOf } from "./stage-order.js";

const BAKE_TIME = stageIndex("BAKE_TIME");
const TEST_SHIFT = stageIndex("TEST_TRAFFIC_SHIFT");
/** States kept: a deployment changes state once per stage and step, far fewer. */
const MAX_PLACED = 50;

/** Epoch ms of an ECS timestamp (the SDK gives a Date; a fixture may hold text). */
export function epochMs(date: Date | string | undefined): number | undefined {
  if (date === undefined) return undefined;
  const ms = new Date(date).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The wait's 0 as epoch ms: the runner's clock when the wait began, or (an injected clock) our deployment's creation
 * on ECS's, which UpdateService returned just before the wait began.
 */
export function waitOrigin(snapshot: Snapshot, ctx: WatchContext): number | undefined {
  return ctx.startedAt ?? epochMs(findDeployment(snapshot.service, ctx.deploymentId)?.createdAt);
}

/** When ECS says the status a look shows began: the rollback's start, the end, or its last change. */
export function statusDate(sd: ServiceDeploymentView): Date | undefined {
  if (isRollingBack(sd)) return sd.rollback?.startedAt ?? sd.updatedAt;
  if (goesForward(sd)) return sd.updatedAt;
  return sd.finishedAt ?? sd.stoppedAt ?? sd.updatedAt;
}

/**
 * An ECS time as ms since the wait began (`origin`, epoch ms), no earlier than `floor` and no later than the look
 * that saw it (`seen`): ECS and the runner keep different clocks. A log line may go before the previous look's:
 * that look may not have read what ECS had changed by then (a quick look reads the service alone).
 */
export function onWaitClock(date: Date | undefined, origin: number | undefined, floor: number, seen: number): number {
  const at = epochMs(date);
  if (at === undefined || origin === undefined) return seen;
  return Math.min(seen, Math.max(floor, at - origin));
}

function sameState(a: PlacedStage, b: StageAt, forward: boolean): boolean {
  return a.stage === b.stage && a.production === b.production && a.test === b.test && a.forward === forward;
}

/** The looks' states with this one's added when it differs, each from the time ECS says it changed to it. */
export function placeLook(
  placed: PlacedStage[] | undefined,
  sd: ServiceDeploymentView | undefined,
): PlacedStage[] | undefined {
  const traffic = trafficOf(sd);
  const since = epochMs(sd?.updatedAt);
  if (!traffic || since === undefined) return placed;
  const forward = goesForward(sd) || sd?.status === "SUCCESSFUL";
  const list = placed ?? [];
  const last = list.at(-1);
  if (last && sameState(last, traffic, forward)) return list;
  // Past the rollback's first look, later states are ECS moving the traffic back: nothing to place.
  if (last && !last.forward && list.some((p) => p.forward)) return list;
  const held = sd?.status === "ROLLBACK_REQUESTED";
  return [...list, { ...traffic, since, forward, ...(held ? { held } : {}) }].slice(-MAX_PLACED);
}

const stageOnly = (at: StageAt): StageAt => ({ stage: at.stage, production: at.production, test: at.test });

/**
 * The production weight a linear or canary shift had reached `elapsed` ms after a look saw `from`: ECS moves a step,
 * bakes it (stepBakeTime, canaryBakeTime), then moves the next: the steps whose bake had ended by then.
 */
function stepsOn(from: StageAt, elapsed: number, sd: ServiceDeploymentView | undefined): number | undefined {
  const config = sd?.deploymentConfiguration;
  const production = from.production;
  if (production === undefined || production >= 100) return production;
  if (config?.strategy === "CANARY") {
    const bake = (config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 0) * 60_000;
    return bake > 0 && elapsed >= bake ? 100 : production;
  }
  if (config?.strategy === "LINEAR") {
    const bake = (config.linearConfiguration?.stepBakeTimeInMinutes ?? 0) * 60_000;
    const step = config.linearConfiguration?.stepPercent ?? 0;
    const steps = bake > 0 ? Math.floor(elapsed / bake) : 0;
    return steps > 0 ? Math.min(100, production + steps * step) : production;
  }
  return production;
}

/**
 * A stage no look saw going forward, only while ECS moved back through it: its weights as ECS's documented order
 * sets them on entering it. Test traffic is all on the new revision from the test traffic shift on; production
 * moves at the production traffic shift, in full (blue/green), or by its first step (canary, linear).
 */
function unseen(stage: string, sd: ServiceDeploymentView | undefined): StageAt {
  const index = stageIndex(stage);
  const config = sd?.deploymentConfiguration;
  const test = index > TEST_SHIFT ? 100 : undefined;
  if (stage !== "PRODUCTION_TRAFFIC_SHIFT") return { stage, production: index > TEST_SHIFT ? undefined : 0, test };
  const first =
    config?.strategy === "CANARY"
      ? config.canaryConfiguration?.canaryPercent
      : config?.strategy === "LINEAR"
        ? config.linearConfiguration?.stepPercent
        : 100;
  return { stage, production: first, test };
}

/**
 * Where ECS was when it began to roll back (rollback.startedAt), from the looks placed on its clock: the last state
 * it had changed to by then going forward, its shift steps counted on to that moment; or, when the first look of
 * the rollback shows ECS at a later stage than any look saw going forward, that stage (its weights, if ECS had not
 * moved them back yet). Undefined without ECS's timestamps: the looks alone decide then (stages.ts).
 */
export function stageAtRollback(
  history: StageHistory | undefined,
  sd: ServiceDeploymentView | undefined,
): StageAt | undefined {
  const rollback = epochMs(sd?.rollback?.startedAt) ?? history?.rollbackAt;
  if (rollback === undefined) return undefined;
  const placed = placeLook(history?.placed, sd) ?? [];
  const last = placed.filter((p) => p.forward && p.since <= rollback).at(-1);
  const back = placed.find((p) => !p.forward);
  const later = back && stageIndex(back.stage) > stageIndex(last?.stage) && stageIndex(back.stage) < BAKE_TIME;
  if (back && later) return back.held ? stageOnly(back) : unseen(back.stage, sd);
  if (last === undefined) return undefined;
  if (last.stage !== "PRODUCTION_TRAFFIC_SHIFT") return stageOnly(last);
  return { ...stageOnly(last), production: stepsOn(last, rollback - last.since, sd) };
}
