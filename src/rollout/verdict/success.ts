// Pure: is our deployment done, and proven? No single signal is trusted on its own: a service deployment SUCCESSFUL
// may be another deployment's, rolloutState COMPLETED shows during a blue/green bake time (and with targets still
// `initial`), and a status says nothing about tasks. So success needs ECS's word AND our full count running AND,
// behind load balancers, that many of our tasks healthy in every target group (without one, that many of our tasks
// healthy by their containers' health checks, where the task definition has any).

import { formatDuration, targetGroupName } from "../../text/names.js";
import { drainLeft, isLive, oldRevision } from "./live.js";
import type { DeploymentView, History, ServiceDeploymentView, Snapshot, Verdict, WatchContext } from "./model.js";
import { earlySuccess, findDeployment, isStaged, revisionLabel } from "./names.js";
import { progressLine } from "./progress.js";
import { bakeLeftMs, liveByTraffic } from "./stages.js";
import { targetGroupArns, targetsProven } from "./targets.js";
import { tasksProven } from "./tasks-health.js";

function onlyDeployment(snapshot: Snapshot, ours: DeploymentView): boolean {
  const deployments = snapshot.service?.deployments ?? [];
  return deployments.length === 1 && deployments[0] === ours;
}

/** ECS says our deployment is done. */
function ecsSaysDone(snapshot: Snapshot, ours: DeploymentView, sd: ServiceDeploymentView | undefined): boolean {
  const state = ours.rolloutState;
  if (state !== undefined && state !== "COMPLETED") return false;
  const only = onlyDeployment(snapshot, ours);
  if (sd?.status) return sd.status === "SUCCESSFUL" && (state === "COMPLETED" || only);
  // Staged strategies without service deployment data: COMPLETED shows from the bake time on, while ECS may still
  // roll back; once the old deployment is gone from the service, there is nothing left to roll back to.
  if (isStaged(snapshot.service)) return state === "COMPLETED" && only;
  // Old deployment controllers have no rolloutState: done when ours is the only deployment, nothing pending.
  return state === "COMPLETED" || (only && (ours.pendingCount ?? 0) === 0);
}

function atFullCount(ours: DeploymentView): ours is DeploymentView & { desiredCount: number } {
  return typeof ours.desiredCount === "number" && ours.runningCount === ours.desiredCount;
}

function message(snapshot: Snapshot, ctx: WatchContext, history: History, desired: number, live: boolean): string {
  const label = revisionLabel(ctx.taskDefinitionArn, ctx.taskDefinitionArn);
  // Desired count 0 is a deliberate state (a parked environment, a worker scaled on a schedule): failing would fail
  // every deploy to it and roll back a revision that did nothing wrong. So it succeeds, but never as "live": not one
  // task of this revision has run, and the message says so.
  if (desired === 0) return `${label}: no task was started (desired count 0): the revision is registered but unproven`;
  if (live)
    return `${label} is live: ${progressLine(snapshot, ctx, history, { old: false })}${drainClause(snapshot, ctx, history)}`;
  return `${label} is live: ${progressLine(snapshot, ctx, history)}`;
}

/** `; ECS goes on draining the old revision from web-tg for up to 4m58s (its deregistration delay), then stops it`. */
function drainClause(snapshot: Snapshot, ctx: WatchContext, history: History): string {
  if (oldRevision(snapshot, ctx) === "gone") return "";
  const left = drainLeft(snapshot, history, ctx);
  const groups = targetGroupArns(snapshot.service?.loadBalancers).map(
    (arn) => snapshot.targetGroups[arn]?.name ?? targetGroupName(arn),
  );
  const from = groups.length > 0 ? ` from ${groups.join(", ")}` : "";
  const length = left
    ? `for up to ${left} (its deregistration delay)`
    : "for its deregistration delay (300 s by default)";
  return `; ECS goes on draining the old revision${from} ${length}, then stops it`;
}

/** `revision 42 is live: 100% of production traffic on it (stage BAKE_TIME); the bake time runs 14m more …`. */
function trafficLiveMessage(snapshot: Snapshot, ctx: WatchContext, history: History): string {
  const label = revisionLabel(ctx.taskDefinitionArn, ctx.taskDefinitionArn);
  const sd = snapshot.serviceDeployment;
  const left = bakeLeftMs(snapshot, history.stages);
  const bake = left === undefined ? "" : `; the bake time runs ${formatDuration(left)} more`;
  const done =
    sd?.status === "SUCCESSFUL" ? "" : `${bake}, and until ECS completes the deployment it can still roll it back`;
  return `${label} is live: 100% of production traffic on it (stage ${sd?.lifecycleStage})${done}`;
}

/**
 * Early success: ECS calls our deployment SUCCESSFUL once healthyPercent of the desired count runs healthy on it,
 * before the full count. That word is the verdict (our service deployment's, never the service's previous one), with
 * what it means: ECS no longer rolls back, and it goes on with the rest in the background.
 */
function earlySucceeded(
  snapshot: Snapshot,
  ctx: WatchContext,
  history: History,
  ours: DeploymentView,
): Extract<Verdict, { kind: "succeeded" }> | undefined {
  const early = earlySuccess(snapshot.service);
  const sd = snapshot.serviceDeployment;
  if (!early || sd?.status !== "SUCCESSFUL" || atFullCount(ours)) return undefined;
  const desired = ours.desiredCount ?? 0;
  const percent = early.healthyPercent ?? 100;
  const enough = Math.ceil((desired * percent) / 100);
  if (!targetsProven(snapshot, ctx, enough) || !tasksProven(snapshot, ctx, enough)) return undefined;
  const label = revisionLabel(ctx.taskDefinitionArn, ctx.taskDefinitionArn);
  const cleanup =
    early.sourceServiceRevisionCleanup === "DEFERRED"
      ? "ECS goes on starting the rest of its tasks and stopping the old revision's in the background"
      : "ECS stopped the old revision's tasks and goes on starting the rest of its tasks in the background";
  const message = `${label} is live: ECS called the deployment successful at ${ours.runningCount ?? 0} of ${desired} tasks (early success at ${percent}%, ${progressLine(snapshot, ctx, history, { old: false })}); from now on ECS no longer rolls it back on the circuit breaker or alarms, and ${cleanup}`;
  return { kind: "succeeded", message, details: [] };
}

export function succeeded(
  snapshot: Snapshot,
  ctx: WatchContext,
  history: History,
  ours: DeploymentView | undefined,
): Extract<Verdict, { kind: "succeeded" }> | undefined {
  if (ours?.status !== "PRIMARY") return undefined;
  const early = earlySucceeded(snapshot, ctx, history, ours);
  if (early || !atFullCount(ours)) return early;
  const sd = snapshot.serviceDeployment;
  const proven = targetsProven(snapshot, ctx, ours.desiredCount) && tasksProven(snapshot, ctx, ours.desiredCount);
  // wait-until live: our revision serves every request; the drain that ECS waits out is not waited for. For the
  // staged strategies: all production traffic is on it, and its shift is over (the bake time may still run).
  const byTraffic = ctx.waitUntil === "live" && isStaged(snapshot.service) && liveByTraffic(sd) && proven;
  const live = byTraffic || (ctx.waitUntil === "live" && isLive(snapshot, ctx));
  if (!live && (!ecsSaysDone(snapshot, ours, sd) || !proven)) return undefined;
  const stage = sd?.lifecycleStage;
  const text = byTraffic
    ? trafficLiveMessage(snapshot, ctx, history)
    : message(snapshot, ctx, history, ours.desiredCount, live);
  return { kind: "succeeded", message: text, details: [], ...(stage ? { lifecycleStage: stage } : {}) };
}

/**
 * What ECS itself reports of our deployment, when it reports it done: `COMPLETED` (a rolling deployment's
 * rolloutState) or `SUCCESSFUL` (our service deployment). A timeout never rolls such a deployment back, whatever the
 * wait could not prove: during a blue/green bake time COMPLETED shows early, so staged strategies need SUCCESSFUL.
 */
export function ecsReportsDone(snapshot: Snapshot, ctx: WatchContext): "COMPLETED" | "SUCCESSFUL" | undefined {
  if (snapshot.serviceDeployment?.status === "SUCCESSFUL") return "SUCCESSFUL";
  const ours = findDeployment(snapshot.service, ctx.deploymentId);
  if (!isStaged(snapshot.service) && ours?.rolloutState === "COMPLETED") return "COMPLETED";
  return undefined;
}
