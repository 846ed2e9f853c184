// Pure: where the rollout stands in one line, and what changed between two snapshots, one line per change.
// The log gets a line when something happens, not on every poll: a ten-minute wait stays readable.

import { targetGroupName } from "../../text/names.js";
import { eventLines } from "./causes.js";
import { onWaitClock, statusDate, waitOrigin } from "./ecs-clock.js";
import { recentEvents } from "./explain.js";
import { oldRevision } from "./live.js";
import type { DeploymentView, History, Snapshot, TargetHealthView, TimelineEntry, WatchContext } from "./model.js";
import { failedTasks, findDeployment, isStaged, primaryDeployment, revisionLabel } from "./names.js";
import { stageLines, trafficOf, trafficText } from "./stages.js";
import { groupsHealth } from "./targets.js";
import { taskChanges } from "./task-changes.js";

/** `2/3 running · 1 pending · 1/3 healthy in tg-app · old revision serving` */
export function progressLine(
  snapshot: Snapshot,
  ctx: WatchContext,
  history?: History,
  options: { old?: boolean } = {},
): string {
  const ours = findDeployment(snapshot.service, ctx.deploymentId);
  if (!ours)
    return history && !history.oursSeen ? "deployment not in the service yet" : "deployment no longer in the service";
  // ECS scales a failed or replaced deployment to 0: its counts then say nothing of what was asked.
  const over = ours.status !== "PRIMARY" || ours.rolloutState === "FAILED";
  const asked = ours.desiredCount ?? snapshot.service?.desiredCount ?? 0;
  const desired = over ? Math.max(asked, history?.desiredSeen ?? 0) : asked;
  const parts = [`${ours.runningCount ?? 0}/${desired} running`];
  if (ours.pendingCount) parts.push(`${ours.pendingCount} pending`);
  if (!over) for (const g of groupsHealth(snapshot)) parts.push(`${g.healthy}/${desired} healthy in ${g.name}`);
  const failed = Math.max(ours.failedTasks ?? 0, failedTasks(snapshot.tasks, history?.stoppedTasks ?? []).length);
  if (failed > 0) parts.push(`${failed} failed`);
  const sd = snapshot.serviceDeployment;
  const stage = sd?.lifecycleStage;
  // Staged strategies keep the old revision running until the end: where the traffic is says more than its targets.
  const staged = isStaged(snapshot.service) && stage !== undefined;
  const old = options.old === false ? undefined : staged ? trafficText(trafficOf(sd), ctx) : oldPart(snapshot, ctx);
  const rest = over ? endedPart(snapshot, ctx, ours) : old;
  if (rest) parts.push(rest);
  if (stage) parts.push(`stage ${stage}`);
  return parts.join(" · ");
}

/** `deployment FAILED · revision 41 is PRIMARY`: what became of ours, and what the service runs instead. */
function endedPart(snapshot: Snapshot, ctx: WatchContext, ours: DeploymentView): string {
  const state = ours.rolloutState === "FAILED" ? "deployment FAILED" : `deployment ${ours.status ?? "gone"}`;
  const primary = primaryDeployment(snapshot.service);
  if (!primary || primary.id === ours.id) return state;
  return `${state} · ${revisionLabel(primary.taskDefinition, ctx.taskDefinitionArn)} is PRIMARY`;
}

/** How the old revision stands, said only as far as its targets (or tasks) show it. */
function oldPart(snapshot: Snapshot, ctx: WatchContext): string | undefined {
  switch (oldRevision(snapshot, ctx)) {
    case "serving":
      return "old revision serving";
    case "draining":
      // No countdown here: the line is printed when it changes, and a countdown would change it every look.
      return "old revision draining";
    case "stopping":
      return "old revision stopping";
    default:
      return undefined;
  }
}

function deploymentState(d: DeploymentView): string {
  return [d.status, d.rolloutState].filter(Boolean).join(" ");
}

function deploymentChanges(prev: Snapshot | undefined, next: Snapshot, ctx: WatchContext): string[] {
  const before = new Map((prev?.service?.deployments ?? []).map((d) => [d.id, d]));
  const lines: string[] = [];
  for (const d of next.service?.deployments ?? []) {
    const name = `deployment ${d.id} (${revisionLabel(d.taskDefinition, ctx.taskDefinitionArn)})`;
    const old = before.get(d.id);
    before.delete(d.id);
    if (!old) lines.push(`${name}: ${deploymentState(d)}`);
    else if (deploymentState(old) !== deploymentState(d)) {
      lines.push(`${name}: ${deploymentState(old)} → ${deploymentState(d)}`);
    }
  }
  for (const d of before.values()) lines.push(`deployment ${d.id} is gone from the service`);
  return lines;
}

/** The service deployment's status and stages, each at the time ECS says it changed (the look's, where it does not). */
function serviceDeploymentChanges(
  prev: Snapshot | undefined,
  next: Snapshot,
  ctx: WatchContext,
  history: History | undefined,
): TimelineEntry[] {
  const [a, b] = [prev?.serviceDeployment, next.serviceDeployment];
  if (!b) return [];
  const origin = waitOrigin(next, ctx);
  const on = (date: Date | undefined) => onWaitClock(date, origin, 0, next.at);
  const lines: TimelineEntry[] = [];
  if (a?.status !== b.status)
    lines.push({ at: on(statusDate(b)), text: `service deployment ${a?.status ? `${a.status} → ` : ""}${b.status}` });
  const stages = stageLines(prev, next, ctx, history?.stages);
  return [...lines, ...stages.map((l) => ({ at: l.dated ? on(b.updatedAt) : next.at, text: l.text }))];
}

function eventChanges(prev: Snapshot | undefined, next: Snapshot, ctx: WatchContext): string[] {
  // The first poll shows only events since our deployment began; later ones, every event not seen before.
  const before = prev?.service?.events ?? [];
  const seen = new Set(before.map((e) => e.id));
  const fresh = (prev ? (next.service?.events ?? []) : recentEvents(next, ctx)).filter((e) => !seen.has(e.id));
  return eventLines(before, fresh.reverse(), next.service?.events ?? []);
}

function targetState(t: TargetHealthView): string {
  const h = t.TargetHealth;
  const why = h?.State === "unhealthy" ? [h.Reason, h.Description].filter(Boolean).join(": ") : "";
  return `${h?.State ?? "unknown"}${why ? ` (${why})` : ""}`;
}

function targetChanges(prev: Snapshot | undefined, next: Snapshot): string[] {
  const lines: string[] = [];
  for (const [arn, targets] of Object.entries(next.targetHealth)) {
    const name = next.targetGroups[arn]?.name ?? targetGroupName(arn);
    const key = (t: TargetHealthView) => `${t.Target?.Id}:${t.Target?.Port}`;
    const before = new Map((prev?.targetHealth[arn] ?? []).map((t) => [key(t), t]));
    for (const t of targets) {
      const old = before.get(key(t));
      before.delete(key(t));
      if (old && targetState(old) === targetState(t)) continue;
      const change = old ? `${old.TargetHealth?.State} → ${targetState(t)}` : targetState(t);
      lines.push(`${key(t)} in ${name} ${change}`);
    }
    for (const k of before.keys()) lines.push(`${k} left ${name}`);
  }
  return lines;
}

/**
 * One line per change from `prev` to `next` (everything is new on the first poll). `history` is the one that
 * includes `next` (remember): it knows when the bake time began and which step a traffic shift is at.
 */
export function changes(prev: Snapshot | undefined, next: Snapshot, ctx: WatchContext, history?: History): string[] {
  return changesAt(prev, next, ctx, history).map((l) => l.text);
}

/**
 * The same lines, each at the time it happened: where ECS dates it (a stage, the service deployment's status) on
 * its clock, else when the look saw it; in time order, a stage before what the look saw after it.
 */
export function changesAt(
  prev: Snapshot | undefined,
  next: Snapshot,
  ctx: WatchContext,
  history?: History,
): TimelineEntry[] {
  const seen = (text: string) => ({ at: next.at, text });
  const staged = serviceDeploymentChanges(prev, next, ctx, history);
  const events = eventChanges(prev, next, ctx).map(seen);
  const rest = [...events, ...taskChanges(prev, next, ctx), ...targetChanges(prev, next).map(seen)];
  // Stable: lines at one time keep their order (deployments, the service deployment, events, tasks, targets).
  return [...deploymentChanges(prev, next, ctx).map(seen), ...staged, ...rest].sort((x, y) => x.at - y.at);
}
