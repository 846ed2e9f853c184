// Pure: is our deployment done, failed, or still going? Decided from one snapshot (plus what earlier polls saw),
// so every rule is testable with fixture files. "Stable" is never enough: ECS is stable after a rollback too,
// so success is judged on OUR deployment and OUR tasks only.
import { detailLines, type RootCause, rootCause } from "./explain.js";
import type { DeploymentView, FailureCause, History, Snapshot, Verdict, WatchContext } from "./model.js";
import { emptyHistory } from "./model.js";
import {
  failedTasks,
  familyRevision,
  findDeployment,
  formatDuration,
  primaryDeployment,
  revisionLabel,
  taskIp,
} from "./names.js";
import { progressLine } from "./progress.js";
import { targetsHealthy } from "./targets.js";

type Failed = Extract<Verdict, { kind: "failed" }>;

interface Facts {
  snapshot: Snapshot;
  ctx: WatchContext;
  history: History;
  ours: DeploymentView | undefined;
  primary: DeploymentView | undefined;
  stage: string | undefined;
}

function fail(f: Facts, cause: FailureCause, message: string, rolledBackTo?: string): Failed {
  const verdict: Failed = { kind: "failed", cause, message, details: detailLines(f.snapshot, f.ctx, f.history) };
  if (rolledBackTo) verdict.rolledBackTo = rolledBackTo;
  if (f.stage) verdict.lifecycleStage = f.stage;
  return verdict;
}

function withCause(root: RootCause | undefined, tail: string): string {
  return root ? `${root.text} — ${tail}` : tail;
}

const label = (f: Facts, arn: string | undefined) => revisionLabel(arn, f.ctx.taskDefinitionArn);

/** A deployment other than ours is PRIMARY: the one ECS (or someone) moved the service to. */
function newPrimary(f: Facts): DeploymentView | undefined {
  return f.primary && f.primary.id !== f.ctx.deploymentId ? f.primary : undefined;
}

function serviceGone(f: Facts): Failed | undefined {
  const status = f.snapshot.service?.status;
  if (f.snapshot.service && (status === undefined || status === "ACTIVE")) return undefined;
  const state = status ? `is ${status}` : "was not found";
  return fail(f, "service-missing", `service ${state}: it was deleted while the deployment was rolling out`);
}

/** Our deployment's rolloutState FAILED: the circuit breaker (or a CloudWatch alarm) gave up on it. */
function breakerTripped(f: Facts): Failed | undefined {
  if (f.ours?.rolloutState !== "FAILED") return undefined;
  const alarm =
    /alarm/i.test(f.ours.rolloutStateReason ?? "") || f.snapshot.serviceDeployment?.alarms?.status === "TRIGGERED";
  const who = alarm ? "deployment alarm" : "deployment circuit breaker";
  const back = newPrimary(f);
  const tail = back ? `${who} rolled back to ${label(f, back.taskDefinition)}` : `${who} stopped the deployment`;
  const root = rootCause(f.snapshot, f.ctx, f.history);
  const message = root || back ? withCause(root, tail) : `${tail}: ${f.ours.rolloutStateReason}`;
  return fail(f, alarm ? "alarm" : "circuit-breaker", message, back?.taskDefinition);
}

/** DescribeServiceDeployments (blue/green, linear, canary) says it is rolling back or was stopped. */
function serviceDeploymentEnded(f: Facts): Failed | undefined {
  const sd = f.snapshot.serviceDeployment;
  const status = sd?.status ?? "";
  const during = f.stage ? ` during ${f.stage}` : "";
  if (status.startsWith("ROLLBACK")) {
    const breaker = sd?.deploymentCircuitBreaker?.status === "TRIGGERED";
    const alarm = !breaker && sd?.alarms?.status === "TRIGGERED";
    const cause: FailureCause = breaker ? "circuit-breaker" : alarm ? "alarm" : "rolled-back";
    const who = breaker ? "deployment circuit breaker" : alarm ? "deployment alarm" : "service deployment";
    const to = newPrimary(f)?.taskDefinition ?? f.ctx.previousTaskDefinitionArn;
    const tail = `${who} rolled back${to ? ` to ${label(f, to)}` : ""}${during}`;
    const root = rootCause(f.snapshot, f.ctx, f.history);
    const reason = sd?.statusReason ? `: ${sd.statusReason}` : "";
    return fail(f, cause, root ? withCause(root, tail) : `${tail}${reason}`, to);
  }
  if (status === "STOPPED" || status === "STOP_REQUESTED") {
    return fail(
      f,
      "stopped",
      `service deployment was stopped${during}${sd?.statusReason ? `: ${sd.statusReason}` : ""}`,
    );
  }
  return undefined;
}

/** Is `arn` an older revision of our family (used when the action did not say what ran before)? */
function olderRevision(arn: string | undefined, ours: string): boolean {
  const [family, revision] = familyRevision(arn).split(":");
  const [ourFamily, ourRevision] = familyRevision(ours).split(":");
  return family === ourFamily && Number(revision) < Number(ourRevision);
}

/** Another deployment became PRIMARY before ours finished: rolled back to the old revision, or replaced. */
function superseded(f: Facts): Failed | undefined {
  const other = newPrimary(f);
  if (!other || f.ours?.status === "PRIMARY") return undefined;
  const previous = f.ctx.previousTaskDefinitionArn;
  const back = previous
    ? other.taskDefinition === previous
    : olderRevision(other.taskDefinition, f.ctx.taskDefinitionArn);
  const root = rootCause(f.snapshot, f.ctx, f.history);
  if (back) {
    // Our deployment may be gone already; ECS's events still tell whether its circuit breaker did this.
    const failedEvent = `(deployment ${f.ctx.deploymentId}) deployment failed`;
    const breaker = f.snapshot.service?.events?.some((e) => e.message?.includes(failedEvent)) ?? false;
    const tail = breaker
      ? `deployment circuit breaker rolled back to ${label(f, other.taskDefinition)}`
      : `rolled back to ${label(f, other.taskDefinition)} by deployment ${other.id} before this deployment finished`;
    return fail(f, breaker ? "circuit-breaker" : "rolled-back", withCause(root, tail), other.taskDefinition);
  }
  const tail = `replaced by deployment ${other.id} (${label(f, other.taskDefinition)}) before this deployment finished`;
  return fail(f, "replaced", tail);
}

/** Our deployment exists but runs another task definition: the service is not on our revision. */
function notOurRevision(f: Facts): Failed | undefined {
  const td = f.ours?.taskDefinition;
  const ctx = f.ctx;
  if (!f.ours || !td || td === ctx.taskDefinitionArn) return undefined;
  // moto keeps the old task definition on the deployment but moves the service: ours if the service runs it.
  if (f.ours.status === "PRIMARY" && f.snapshot.service?.taskDefinition === ctx.taskDefinitionArn) return undefined;
  const message = `deployment ${f.ours.id} runs ${familyRevision(td)}, not ${familyRevision(ctx.taskDefinitionArn)}`;
  return fail(f, "replaced", message);
}

function tooManyFailures(f: Facts): Failed | undefined {
  const seen = failedTasks(f.snapshot.tasks, f.history.stoppedTasks).length;
  const failed = Math.max(f.ours?.failedTasks ?? 0, seen);
  if (failed < f.ctx.maxFailedTasks) return undefined;
  const root = rootCause(f.snapshot, f.ctx, f.history);
  const tasks = failed === 1 ? "task" : "tasks";
  const tail = `${failed} ${tasks} of ${label(f, f.ctx.taskDefinitionArn)} stopped (max-failed-tasks: ${f.ctx.maxFailedTasks})`;
  return fail(f, root?.healthChecks ? "unhealthy-targets" : "tasks-failed", withCause(root, tail));
}

/** Old deployment controllers have no rolloutState: done when ours is the only deployment and at full count. */
function legacyDone(f: Facts): boolean {
  const ours = f.ours;
  if (ours?.status !== "PRIMARY" || (f.snapshot.service?.deployments?.length ?? 0) !== 1) return false;
  return ours.runningCount === ours.desiredCount && (ours.pendingCount ?? 0) === 0;
}

function succeeded(f: Facts): Verdict | undefined {
  const sd = f.snapshot.serviceDeployment;
  const done = sd?.status
    ? sd.status === "SUCCESSFUL"
    : f.ours?.rolloutState === "COMPLETED" || (f.ours?.rolloutState === undefined && legacyDone(f));
  if (!done || !targetsHealthy(f.snapshot, f.ctx)) return undefined;
  const message = `${label(f, f.ctx.taskDefinitionArn)} is live: ${progressLine(f.snapshot, f.ctx, f.history)}`;
  return { kind: "succeeded", message, details: [], ...(f.stage ? { lifecycleStage: f.stage } : {}) };
}

function facts(snapshot: Snapshot, ctx: WatchContext, history: History): Facts {
  return {
    snapshot,
    ctx,
    history,
    ours: findDeployment(snapshot.service, ctx.deploymentId),
    primary: primaryDeployment(snapshot.service),
    stage: snapshot.serviceDeployment?.lifecycleStage,
  };
}

export function decide(snapshot: Snapshot, ctx: WatchContext, history: History = emptyHistory()): Verdict {
  const f = facts(snapshot, ctx, history);
  const verdict =
    serviceGone(f) ??
    breakerTripped(f) ??
    serviceDeploymentEnded(f) ??
    superseded(f) ??
    notOurRevision(f) ??
    tooManyFailures(f) ??
    succeeded(f);
  if (verdict) return verdict;
  return {
    kind: "pending",
    progress: progressLine(snapshot, ctx, history),
    ...(f.stage ? { lifecycleStage: f.stage } : {}),
  };
}

/** The deadline passed: say what is still pending, and the likely cause if one shows. */
export function timedOut(snapshot: Snapshot, ctx: WatchContext, history: History, elapsedMs: number): Failed {
  const f = facts(snapshot, ctx, history);
  const tail = `timed out after ${formatDuration(elapsedMs)} with ${progressLine(snapshot, ctx, history)}`;
  return fail(f, "timeout", withCause(rootCause(snapshot, ctx, history), tail));
}

/** Fold a snapshot into what later polls may need: failed tasks and unhealthy targets, which AWS forgets. */
export function remember(history: History, snapshot: Snapshot): History {
  const ips = new Set(snapshot.tasks.map(taskIp).filter(Boolean));
  const fresh = Object.entries(snapshot.targetHealth).flatMap(([targetGroupArn, targets]) =>
    targets
      .filter((t) => t.TargetHealth?.State === "unhealthy" && ips.has(t.Target?.Id))
      .map((target) => ({ targetGroupArn, target })),
  );
  const key = (u: History["unhealthyTargets"][number]) => `${u.targetGroupArn} ${u.target.Target?.Id}`;
  const kept = history.unhealthyTargets.filter((u) => !fresh.some((n) => key(n) === key(u)));
  return {
    stoppedTasks: failedTasks(snapshot.tasks, history.stoppedTasks).slice(0, 100),
    unhealthyTargets: [...kept, ...fresh].slice(-20),
  };
}
