// Pure: is our deployment done, failed, or still going? Decided from one snapshot (plus what earlier polls saw),
// so every rule is testable with fixture files. "Stable" is never enough: ECS is stable after a rollback too,
// so success is judged on OUR deployment and OUR tasks only.

import { familyRevision, formatDuration, serviceConsoleUrl } from "../../text/names.js";
import { detailLines, type RootCause, rootCause } from "./explain.js";
import { drainStart, isLive } from "./live.js";
import type { DeploymentView, FailureCause, History, Snapshot, Verdict, WatchContext } from "./model.js";
import { emptyHistory } from "./model.js";
import { failedTasks, findDeployment, primaryDeployment, revisionLabel, taskIp } from "./names.js";
import { progressLine } from "./progress.js";
import {
  awaitingPause,
  expiryText,
  liveByTraffic,
  rememberStages,
  stagedFailure,
  trafficOf,
  whereText,
} from "./stages.js";
import { succeeded } from "./success.js";

type Failed = Extract<Verdict, { kind: "failed" }>;

interface Facts {
  snapshot: Snapshot;
  ctx: WatchContext;
  history: History;
  ours: DeploymentView | undefined;
  primary: DeploymentView | undefined;
  stage: string | undefined;
}

/** Failures whose cause is the tasks, targets or events: without one the action can name, ECS's history may. */
const TASK_CAUSES = new Set<FailureCause>(["circuit-breaker", "rolled-back", "tasks-failed", "timeout", "stopped"]);

function fail(f: Facts, cause: FailureCause, message: string, rolledBackTo?: string): Failed {
  const details = detailLines(f.snapshot, f.ctx, f.history, message);
  const url = serviceConsoleUrl(f.snapshot.service?.serviceArn);
  if (TASK_CAUSES.has(cause) && url && !rootCause(f.snapshot, f.ctx, f.history)) {
    details.push(
      `no cause the action can name: see the deployment in ECS's deployment history (ECS console › Clusters › Services › Deployments): ${url}`,
    );
  }
  const verdict: Failed = { kind: "failed", cause, message, details };
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

/** ECS rolls back on its own when this failed: the service's breaker (or alarms) has rollback on. */
function ecsRollsBack(f: Facts, alarm: boolean): boolean {
  const config = f.snapshot.service?.deploymentConfiguration;
  return (alarm ? config?.alarms?.rollback : config?.deploymentCircuitBreaker?.rollback) === true;
}

/**
 * What ECS does about our FAILED deployment. Right after the breaker trips, ours can still be PRIMARY: with
 * rollback on, ECS is about to roll back, and a rollback of our own on top of it would be a second deployment.
 */
function breakerAction(f: Facts, who: string, alarm: boolean): { tail: string; to?: string | undefined } {
  const back = newPrimary(f);
  if (back) return { tail: `${who} rolled back to ${label(f, back.taskDefinition)}`, to: back.taskDefinition };
  if (!ecsRollsBack(f, alarm)) return { tail: `${who} stopped the deployment` };
  const to = f.ctx.previousTaskDefinitionArn;
  return { tail: `${who} is rolling back to ${to ? label(f, to) : "the previous revision"}`, to };
}

/** Our deployment's rolloutState FAILED: the circuit breaker (or a CloudWatch alarm) gave up on it. */
function breakerTripped(f: Facts): Failed | undefined {
  if (f.ours?.rolloutState !== "FAILED") return undefined;
  const reason = f.ours.rolloutStateReason;
  const alarm = /alarm/i.test(reason ?? "") || f.snapshot.serviceDeployment?.alarms?.status === "TRIGGERED";
  const who = alarm ? "deployment alarm" : "deployment circuit breaker";
  const { tail, to } = breakerAction(f, who, alarm);
  const root = rootCause(f.snapshot, f.ctx, f.history);
  const message = root || to || !reason ? withCause(root, tail) : `${tail}: ${reason}`;
  return fail(f, alarm ? "alarm" : "circuit-breaker", message, to);
}

/** What ECS does about the failure its service deployment shows, after the stage and traffic it happened at. */
function ecsTail(f: Facts, status: string, alarm: boolean): { tail: string; to?: string | undefined } {
  const previous = f.ctx.previousTaskDefinitionArn;
  const back = previous ? label(f, previous) : "the previous revision";
  if (status === "ROLLBACK_SUCCESSFUL")
    return { tail: `; ECS rolled back: production traffic is on ${back} again`, to: previous };
  if (status === "ROLLBACK_REQUESTED" || status === "ROLLBACK_IN_PROGRESS") {
    return { tail: `; ECS is rolling back: production traffic goes back to ${back}`, to: previous };
  }
  if (status === "IN_PROGRESS" && alarm && ecsRollsBack(f, true)) {
    return { tail: `; ECS rolls back: production traffic goes back to ${back}`, to: previous };
  }
  return { tail: "" };
}

/**
 * The service deployment (blue/green, linear, canary; a rolling one without rolloutState too) fails: an alarm, a
 * hook that failed or timed out, the circuit breaker, a stop. The first line says which, at which stage and traffic
 * weight, and what ECS does about it. ROLLBACK_SUCCESSFUL is a failed deploy, never a success.
 */
function serviceDeploymentEnded(f: Facts): Failed | undefined {
  const sd = f.snapshot.serviceDeployment;
  const failure = stagedFailure(sd, f.history.stages);
  if (!sd?.status || !failure) return undefined;
  const where = whereText(failure.at, f.ctx);
  const root = failure.cause === "circuit-breaker" ? rootCause(f.snapshot, f.ctx, f.history) : undefined;
  const reason = sd.statusReason && failure.cause === "rolled-back" ? `: ${sd.statusReason.replace(/\.$/, "")}` : "";
  if (sd.status === "ROLLBACK_FAILED") {
    const to = f.ctx.previousTaskDefinitionArn;
    const tail = `; ECS's rollback to ${to ? label(f, to) : "the previous revision"} failed`;
    return fail(f, "rollback-failed", withCause(root, `${failure.who}${where}${reason}${tail}`));
  }
  const { tail, to } = ecsTail(f, sd.status, failure.cause === "alarm");
  return fail(f, failure.cause, withCause(root, `${failure.who}${where}${reason}${tail}`), to);
}

/** A pause hook awaits an answer: the wait ends here, and says how to go on. */
function paused(f: Facts): Extract<Verdict, { kind: "paused" }> | undefined {
  const pause = awaitingPause(f.snapshot.serviceDeployment);
  if (!pause) return undefined;
  const where = whereText(trafficOf(f.snapshot.serviceDeployment), f.ctx);
  const message = `paused by a pause hook${where}; ${expiryText(pause, f.ctx.startedAt === undefined ? undefined : f.ctx.startedAt + f.snapshot.at)}`;
  const details = [
    `to go on, run this action with \`continue: ${pause.serviceDeploymentArn}\` (the output service-deployment) and \`answer: continue\` or \`answer: rollback\``,
    `or: aws ecs continue-service-deployment --service-deployment-arn ${pause.serviceDeploymentArn} --hook-id ${pause.hookId} --action CONTINUE`,
  ];
  return { kind: "paused", message, details, pause, ...(f.stage ? { lifecycleStage: f.stage } : {}) };
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
  // A new deployment of our own revision (a re-run, force-new-deployment) replaces ours; it rolls nothing back.
  const same = other.taskDefinition === f.ctx.taskDefinitionArn;
  const back =
    !same &&
    (previous ? other.taskDefinition === previous : olderRevision(other.taskDefinition, f.ctx.taskDefinitionArn));
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
  const what = `${label(f, other.taskDefinition)}${same ? ", the same revision" : ""}`;
  return fail(f, "replaced", `replaced by deployment ${other.id} (${what}) before this deployment finished`);
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

/**
 * The failures ECS's circuit breaker trips at, when it rolls back: BOUNDED_PERCENT (the default, 50) of the desired
 * count held within 3 to 200, UNBOUNDED_PERCENT without the bounds, COUNT as it is.
 */
function breakerThreshold(f: Facts): number | undefined {
  const breaker = f.snapshot.service?.deploymentConfiguration?.deploymentCircuitBreaker;
  if (breaker?.enable !== true || breaker.rollback !== true) return undefined;
  const { type = "BOUNDED_PERCENT", value = 50 } = breaker.thresholdConfiguration ?? {};
  const share = Math.ceil((value / 100) * (f.history.desiredSeen || (f.ours?.desiredCount ?? 0)));
  if (type === "COUNT") return value;
  return type === "UNBOUNDED_PERCENT" ? Math.max(1, share) : Math.min(200, Math.max(3, share));
}

function tooManyFailures(f: Facts): Failed | undefined {
  const seen = failedTasks(f.snapshot.tasks, f.history.stoppedTasks).length;
  const failed = Math.max(f.ours?.failedTasks ?? 0, seen);
  if (failed < f.ctx.maxFailedTasks) return undefined;
  const root = rootCause(f.snapshot, f.ctx, f.history);
  const tasks = failed === 1 ? "task" : "tasks";
  const tail = `${failed} ${tasks} of ${label(f, f.ctx.taskDefinitionArn)} stopped (max-failed-tasks: ${f.ctx.maxFailedTasks})`;
  // ECS's breaker counts these too and is about to roll back: a rollback of our own would be a second deployment.
  const threshold = breakerThreshold(f);
  const previous = f.ctx.previousTaskDefinitionArn;
  if (threshold !== undefined && (f.ours?.failedTasks ?? 0) >= threshold) {
    const back = `the deployment circuit breaker is rolling back to ${previous ? label(f, previous) : "the previous revision"}`;
    return fail(f, "circuit-breaker", `${withCause(root, tail)}; ${back}`, previous);
  }
  return fail(f, root?.healthChecks ? "unhealthy-targets" : "tasks-failed", withCause(root, tail));
}

/**
 * ECS reads are eventually consistent: right after UpdateService (which proved our deployment exists), a
 * DescribeServices answer may still show the old deployment PRIMARY and ours absent. That is no rollback until
 * ours was seen once, or stays absent two polls in a row.
 */
function staleView(f: Facts): boolean {
  return !f.ours && !f.history.oursSeen && f.history.oursMissing === 0;
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
    serviceGone(f) ?? (staleView(f) ? undefined : failure(f)) ?? paused(f) ?? succeeded(snapshot, ctx, history, f.ours);
  if (verdict) return verdict;
  return {
    kind: "pending",
    progress: progressLine(snapshot, ctx, history),
    ...(f.stage ? { lifecycleStage: f.stage } : {}),
  };
}

function failure(f: Facts): Failed | undefined {
  return serviceDeploymentEnded(f) ?? breakerTripped(f) ?? superseded(f) ?? notOurRevision(f) ?? tooManyFailures(f);
}

/** The deadline passed: say what is still pending, and the likely cause if one shows. */
export function timedOut(snapshot: Snapshot, ctx: WatchContext, history: History, elapsedMs: number): Failed {
  const f = facts(snapshot, ctx, history);
  const tail = `timed out after ${formatDuration(elapsedMs)} with ${progressLine(snapshot, ctx, history)}`;
  return fail(f, "timeout", withCause(rootCause(snapshot, ctx, history), tail));
}

/**
 * Fold a snapshot into what later polls may need: failed tasks and unhealthy targets, which AWS forgets, whether
 * DescribeServices has shown our deployment yet (see staleView), the count it was asked for, and when our revision
 * went live and the old one began to drain.
 */
export function remember(history: History, snapshot: Snapshot, ctx: WatchContext): History {
  const ips = new Set(snapshot.tasks.map(taskIp).filter(Boolean));
  const fresh = Object.entries(snapshot.targetHealth).flatMap(([targetGroupArn, targets]) =>
    targets
      .filter((t) => t.TargetHealth?.State === "unhealthy" && ips.has(t.Target?.Id))
      .map((target) => ({ targetGroupArn, target })),
  );
  const key = (u: History["unhealthyTargets"][number]) => `${u.targetGroupArn} ${u.target.Target?.Id}`;
  const kept = history.unhealthyTargets.filter((u) => !fresh.some((n) => key(n) === key(u)));
  const ours = findDeployment(snapshot.service, ctx.deploymentId);
  const present = ours !== undefined;
  return {
    stoppedTasks: failedTasks(snapshot.tasks, history.stoppedTasks).slice(0, 100),
    unhealthyTargets: [...kept, ...fresh].slice(-20),
    oursSeen: history.oursSeen || present,
    oursMissing: present ? 0 : history.oursMissing + 1,
    desiredSeen: Math.max(history.desiredSeen, ours?.desiredCount ?? 0),
    liveAt:
      history.liveAt ?? (isLive(snapshot, ctx) || liveByTraffic(snapshot.serviceDeployment) ? snapshot.at : undefined),
    drainFrom: history.drainFrom ?? drainStart(snapshot, ctx),
    stages: rememberStages(history.stages, snapshot),
  };
}
