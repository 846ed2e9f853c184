// Pure: a blue/green, linear or canary deployment as its service deployment shows it, stage by stage, in ECS's
// documented order (stage-order.ts). The traffic weights are the only ones ECS gives, the target and source
// revisions' requested weights; there is no ROLLBACK stage (a rollback shows in the status and re-runs the traffic
// shifts backwards). Where ECS dates a change, its clock places it (ecs-clock.ts).
import { formatDuration, lastSegment } from "../../text/names.js";
import { epochMs, placeLook, stageAtRollback } from "./ecs-clock.js";
import type { HookView, Pause, ServiceDeploymentView, Snapshot, StageAt, StageHistory, WatchContext } from "./model.js";
import { revisionLabel } from "./names.js";
import { goesForward, isRollingBack, STAGE_ORDER, stageIndex, trafficOf } from "./stage-order.js";

export { goesForward, isRollingBack, STAGE_ORDER, stageIndex, trafficOf };

/** Production traffic has moved in full once the deployment is past its production traffic shift. */
const AFTER_SHIFT = stageIndex("POST_PRODUCTION_TRAFFIC_SHIFT");
/**
 * Stages every staged deployment goes through, so one that began and ended between two looks is still told:
 * RECONCILE_SERVICE happens only with more than one active revision, and PRE_PRODUCTION_TRAFFIC_SHIFT is a hook's
 * stage that a service deployment never shows (the SDK's ServiceDeploymentLifecycleStage lacks it).
 */
const ALWAYS = STAGE_ORDER.filter((s) => s !== "RECONCILE_SERVICE" && s !== "PRE_PRODUCTION_TRAFFIC_SHIFT");
/** Stages that repeat once per step of a linear or canary deployment. */
const PER_STEP = new Set(["PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"]);

function percent(weight: number | undefined): string {
  return weight === undefined ? "?" : `${Math.round(weight * 10) / 10}%`;
}

/** `production 5% · test 100% on revision 42`. */
export function trafficText(at: StageAt | undefined, ctx: WatchContext): string {
  const label = revisionLabel(ctx.taskDefinitionArn, ctx.taskDefinitionArn);
  if (!at || (at.production === undefined && at.test === undefined)) return `no traffic figures for ${label} yet`;
  const test = at.test === undefined ? "" : ` · test ${percent(at.test)}`;
  return `production ${percent(at.production)}${test} on ${label}`;
}

/** `app-smoke-test (Lambda)`, `pause ecs-pause-Xk7rT2mP…`. */
export function hookLabel(hook: HookView): string {
  if (hook.targetType === "PAUSE")
    return `pause ${(hook.hookId ?? "").slice(0, 20)}${(hook.hookId ?? "").length > 20 ? "…" : ""}`;
  const name = lastSegment((hook.targetArn ?? "").replace(/:function:/, "/")).split(":")[0];
  return `${name || hook.hookId || "hook"} (Lambda)`;
}

function hooksText(sd: ServiceDeploymentView): string {
  const hooks = sd.lifecycleHookDetails ?? [];
  return hooks.length === 0 ? "" : `; ${hooks.map((h) => `hook ${hookLabel(h)} ${h.status ?? "?"}`).join(", ")}`;
}

/** Which step of a linear or canary shift a production weight is (1 for the first weight seen). */
function stepOf(history: StageHistory | undefined, production: number | undefined): number | undefined {
  if (production === undefined || !history) return undefined;
  const i = history.steps.indexOf(production);
  return i < 0 ? history.steps.length + 1 : i + 1;
}

/** The bake time in ms, where the service deployment (or the service) says it. */
export function bakeMs(sd: ServiceDeploymentView | undefined, snapshot?: Snapshot): number | undefined {
  const minutes =
    sd?.deploymentConfiguration?.bakeTimeInMinutes ?? snapshot?.service?.deploymentConfiguration?.bakeTimeInMinutes;
  return minutes === undefined ? undefined : minutes * 60_000;
}

/** How long the bake time has left at `at` (ms since the wait began), from the first look that saw it. */
export function bakeLeftMs(snapshot: Snapshot, history: StageHistory | undefined): number | undefined {
  const sd = snapshot.serviceDeployment;
  const bake = bakeMs(sd, snapshot);
  if (sd?.lifecycleStage !== "BAKE_TIME" || bake === undefined) return undefined;
  const from = history?.bakeFrom ?? snapshot.at;
  return Math.max(0, from + bake - snapshot.at);
}

/** When the bake time should end (ms since the wait began): a moment worth a look. */
export function bakeEndsAt(snapshot: Snapshot, history: StageHistory | undefined): number | undefined {
  const left = bakeLeftMs(snapshot, history);
  return left === undefined ? undefined : snapshot.at + left;
}

/** Stage and step, the key a stage line is printed once for. */
function stageKey(sd: ServiceDeploymentView | undefined): string {
  if (!sd?.lifecycleStage) return "";
  const step = PER_STEP.has(sd.lifecycleStage) ? sd.targetServiceRevision?.requestedProductionTrafficWeight : "";
  return `${sd.lifecycleStage}|${step}|${isRollingBack(sd)}`;
}

/** `stage TEST_TRAFFIC_SHIFT: production 0% · test 100% on revision 42; hook app-smoke-test (Lambda) IN_PROGRESS`. */
export function stageLine(snapshot: Snapshot, ctx: WatchContext, history: StageHistory | undefined): string {
  const sd = snapshot.serviceDeployment as ServiceDeploymentView;
  const stage = sd.lifecycleStage ?? "";
  const traffic = trafficOf(sd);
  const step = PER_STEP.has(stage) && !isRollingBack(sd) ? stepOf(history, traffic?.production) : undefined;
  const name = `stage ${stage}${step !== undefined && step > 1 ? `, step ${step}` : ""}`;
  const back = isRollingBack(sd) ? " (rolling back)" : "";
  const left = bakeLeftMs(snapshot, history);
  const bake =
    left === undefined
      ? ""
      : `; ${formatDuration(left)} of bake time left, the old revision ready to take the traffic back`;
  return `${name}${back}: ${trafficText(traffic, ctx)}${hooksText(sd)}${bake}`;
}

/** A bake time line every tenth of it (at least every minute): how much is left, without a line on every look. */
function bakeTick(prev: Snapshot, next: Snapshot, history: StageHistory | undefined): string | undefined {
  const bake = bakeMs(next.serviceDeployment, next);
  const left = bakeLeftMs(next, history);
  if (bake === undefined || left === undefined || left === 0 || history?.bakeFrom === undefined) return undefined;
  const every = Math.max(60_000, bake / 10);
  const [a, b] = [prev.at - history.bakeFrom, next.at - history.bakeFrom].map((t) => Math.floor(t / every));
  return b !== undefined && a !== undefined && b > a ? `bake time: ${formatDuration(left)} left` : undefined;
}

function hookChanges(prev: ServiceDeploymentView | undefined, next: ServiceDeploymentView): string[] {
  const before = new Map((prev?.lifecycleHookDetails ?? []).map((h) => [h.hookId, h.status]));
  return (next.lifecycleHookDetails ?? [])
    .filter((h) => before.has(h.hookId) && before.get(h.hookId) !== h.status)
    .map((h) => `hook ${hookLabel(h)}: ${before.get(h.hookId)} → ${h.status}`);
}

/** `passed TEST_TRAFFIC_SHIFT between two looks`: the stages ECS went through, going forward, unseen. */
function passedStages(prev: ServiceDeploymentView | undefined, next: ServiceDeploymentView): string[] {
  if (!goesForward(prev) || !(goesForward(next) || next.status === "SUCCESSFUL")) return [];
  const [from, to] = [stageIndex(prev?.lifecycleStage), stageIndex(next.lifecycleStage)];
  if (from < 0 || to <= from + 1) return [];
  return ALWAYS.filter((s) => stageIndex(s) > from && stageIndex(s) < to).map((s) => `passed ${s} between two looks`);
}

/** A line of a staged deployment, and whether ECS dates it (a stage, a hook's status) or only the look does. */
export interface StageLine {
  text: string;
  dated: boolean;
}

/** The log's lines for a staged deployment between two looks: each stage (and step) once, hooks, the bake time. */
export function stageLines(
  prev: Snapshot | undefined,
  next: Snapshot,
  ctx: WatchContext,
  history: StageHistory | undefined,
): StageLine[] {
  const sd = next.serviceDeployment;
  if (!sd?.lifecycleStage) return [];
  const dated = (text: string) => ({ text, dated: true });
  if (stageKey(prev?.serviceDeployment) !== stageKey(sd)) {
    return [...passedStages(prev?.serviceDeployment, sd), stageLine(next, ctx, history)].map(dated);
  }
  const tick = prev ? bakeTick(prev, next, history) : undefined;
  return [...hookChanges(prev?.serviceDeployment, sd).map(dated), ...(tick ? [{ text: tick, dated: false }] : [])];
}

export function stageChanges(
  prev: Snapshot | undefined,
  next: Snapshot,
  ctx: WatchContext,
  history: StageHistory | undefined,
): string[] {
  return stageLines(prev, next, ctx, history).map((l) => l.text);
}

/** Folds a look into what later looks need: the stage before a rollback, the bake time's start, a failed hook. */
export function rememberStages(history: StageHistory | undefined, snapshot: Snapshot): StageHistory | undefined {
  const sd = snapshot.serviceDeployment;
  if (!sd?.lifecycleStage && !history) return undefined;
  const base: StageHistory = history ?? { steps: [] };
  const traffic = trafficOf(sd);
  const forward = goesForward(sd) && traffic ? traffic : base.forward;
  const steps = [...base.steps];
  const weight = traffic?.production;
  if (goesForward(sd) && traffic && PER_STEP.has(traffic.stage) && weight !== undefined && weight > 0) {
    if (!steps.includes(weight)) steps.push(weight);
  }
  const turnedAt = base.turnedAt ?? turned(base.forward, sd);
  const failed = (sd?.lifecycleHookDetails ?? []).find((h) => h.status === "FAILED" || h.status === "TIMED_OUT");
  const bakeFrom = base.bakeFrom ?? (sd?.lifecycleStage === "BAKE_TIME" && goesForward(sd) ? snapshot.at : undefined);
  const placed = placeLook(base.placed, sd);
  const rollbackAt = base.rollbackAt ?? epochMs(sd?.rollback?.startedAt);
  return {
    steps,
    ...(placed ? { placed } : {}),
    ...(rollbackAt !== undefined ? { rollbackAt } : {}),
    ...(forward ? { forward } : {}),
    ...(bakeFrom !== undefined ? { bakeFrom } : {}),
    ...(turnedAt ? { turnedAt } : {}),
    ...(base.failedHook ? { failedHook: base.failedHook, failedAt: base.failedAt } : {}),
    ...(!base.failedHook && failed ? { failedHook: failed, failedAt: forward } : {}),
  };
}

/**
 * Where ECS was when an alarm fired or the breaker tripped, told by the first look that saw the rollback: ECS went
 * further than the last forward look saw when that look's stage is later in ECS's order (a stage shorter than a
 * poll). A rollback re-runs the traffic shifts backwards, so a look still ROLLBACK_REQUESTED holds the weights ECS
 * was at; once ROLLBACK_IN_PROGRESS they move back, and the highest weight seen is the nearest to that moment.
 */
function turned(forward: StageAt | undefined, sd: ServiceDeploymentView | undefined): StageAt | undefined {
  if (!sd || goesForward(sd) || sd.status === "SUCCESSFUL") return undefined;
  const at = trafficOf(sd);
  const index = stageIndex(at?.stage);
  if (!at || index <= stageIndex(forward?.stage) || index >= stageIndex("BAKE_TIME")) return undefined;
  if (sd.status === "ROLLBACK_REQUESTED" || !forward) return at;
  const higher = (a: number | undefined, b: number | undefined) => (a === undefined ? b : Math.max(a, b ?? a));
  return {
    stage: at.stage,
    production: higher(at.production, forward.production),
    test: higher(at.test, forward.test),
  };
}

/** A pause hook that awaits an answer, while the deployment still goes forward. */
export function awaitingPause(sd: ServiceDeploymentView | undefined): Pause | undefined {
  if (!goesForward(sd) || !sd?.serviceDeploymentArn) return undefined;
  const hook = (sd.lifecycleHookDetails ?? []).find((h) => h.targetType === "PAUSE" && h.status === "AWAITING_ACTION");
  if (!hook?.hookId) return undefined;
  return {
    serviceDeploymentArn: sd.serviceDeploymentArn,
    hookId: hook.hookId,
    stage: sd.lifecycleStage,
    expiresAt: hook.expiresAt,
    timeoutAction: hook.timeoutAction,
  };
}

/** `expires at 2026-11-20T11:00:00Z (in 59m), then ECS will ROLLBACK`. */
export function expiryText(pause: Pick<Pause, "expiresAt" | "timeoutAction">, nowMs?: number): string {
  const action = pause.timeoutAction ?? "ROLLBACK";
  if (!pause.expiresAt) return `when it expires, ECS will ${action}`;
  const left = nowMs === undefined ? undefined : pause.expiresAt.getTime() - nowMs;
  const when = left === undefined ? "" : left > 0 ? ` (in ${formatDuration(left)})` : " (already)";
  return `it expires at ${pause.expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z")}${when}, then ECS will ${action}`;
}

/** Production traffic is all on our revision and its shift is over: `wait-until: live` needs no more. */
export function liveByTraffic(sd: ServiceDeploymentView | undefined): boolean {
  if (!sd || !(goesForward(sd) || sd.status === "SUCCESSFUL")) return false;
  return (
    sd.targetServiceRevision?.requestedProductionTrafficWeight === 100 && stageIndex(sd.lifecycleStage) >= AFTER_SHIFT
  );
}

/** What ended (or is ending) the deployment, as ECS's service deployment tells it. */
export interface StagedFailure {
  cause: "alarm" | "hook-failed" | "hook-timed-out" | "circuit-breaker" | "rolled-back" | "stopped";
  /** `alarm web-5xx fired`, `lifecycle hook app-smoke-test (Lambda) failed` */
  who: string;
  /** where it happened: the stage and traffic before the rollback */
  at: StageAt | undefined;
}

function hookWho(hook: HookView): { cause: StagedFailure["cause"]; who: string } {
  if (hook.status === "TIMED_OUT") {
    const expired = hook.expiresAt ? ` at ${hook.expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z")}` : "";
    const who =
      hook.targetType === "PAUSE"
        ? `pause hook ${hook.hookId ?? ""} expired${expired} without an answer (timeout action ${hook.timeoutAction ?? "ROLLBACK"})`
        : `lifecycle hook ${hookLabel(hook)} timed out${expired}`;
    return { cause: "hook-timed-out", who };
  }
  return { cause: "hook-failed", who: `lifecycle hook ${hookLabel(hook)} failed` };
}

/**
 * Why the deployment fails, if it does: an alarm, a hook that failed or timed out (a pause that timed out with
 * CONTINUE goes on), the circuit breaker, or ECS's own reason; undefined while it goes forward untroubled.
 */
export function stagedFailure(
  sd: ServiceDeploymentView | undefined,
  history: StageHistory | undefined,
): StagedFailure | undefined {
  if (!sd?.status) return undefined;
  const ended = !goesForward(sd) && sd.status !== "SUCCESSFUL";
  const hook =
    (sd.lifecycleHookDetails ?? []).find(
      (h) => h.status === "FAILED" || (h.status === "TIMED_OUT" && (h.timeoutAction ?? "ROLLBACK") === "ROLLBACK"),
    ) ?? (ended ? history?.failedHook : undefined);
  const at = (hook && history?.failedAt) ?? history?.forward ?? trafficOf(sd);
  // An alarm or the breaker can fire between two looks: where ECS was when it began to roll back, on its own clock
  // (ecs-clock.ts); without its timestamps, as the first look that shows the turn tells it (the verdict may come on
  // that very look, before it is remembered). A hook fails at its own stage.
  const turnedAt = stageAtRollback(history, sd) ?? history?.turnedAt ?? turned(history?.forward, sd) ?? at;
  if (sd.alarms?.status === "TRIGGERED") {
    const names = sd.alarms.triggeredAlarmNames ?? [];
    const who = names.length > 0 ? `alarm ${names.join(", ")} fired` : "a deployment alarm fired";
    return { cause: "alarm", who, at: turnedAt };
  }
  if (hook && (hook.status !== "TIMED_OUT" || (hook.timeoutAction ?? "ROLLBACK") === "ROLLBACK")) {
    return { ...hookWho(hook), at };
  }
  if (sd.deploymentCircuitBreaker?.status === "TRIGGERED") {
    return { cause: "circuit-breaker", who: "the deployment circuit breaker tripped", at: turnedAt };
  }
  if (!ended) return undefined;
  if (sd.status === "STOPPED" || sd.status === "STOP_REQUESTED")
    return { cause: "stopped", who: "the service deployment was stopped", at };
  return { cause: "rolled-back", who: "the service deployment failed", at };
}

/** `at TEST_TRAFFIC_SHIFT with production 0% · test 100% on revision 42`. */
export function whereText(at: StageAt | undefined, ctx: WatchContext): string {
  if (!at) return "";
  return ` at ${at.stage} with ${trafficText(at, ctx)}`;
}
