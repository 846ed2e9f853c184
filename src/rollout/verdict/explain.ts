// Pure: the root cause of a failing rollout in words a developer acts on, and the detail lines under it.
// Reasons are quoted as AWS writes them (they are what people search for), with ARNs cut to names; only ELB health
// checks (health.ts) and container exits are reworded, because AWS's own text names neither the request, the codes
// nor the container.

import { lastSegment, shortenArns, shortTaskId, targetGroupName, taskLabel } from "../../text/names.js";
import { eventKey, taskIds, troubleEvent, type UnhealthyEvent, unhealthyEvent, unhealthyEvents } from "./events.js";
import { healthCheckLine } from "./health.js";
import type { ContainerView, EventView, History, Snapshot, TargetHealthView, TaskView, WatchContext } from "./model.js";
import { failedTasks, findDeployment, isRunning, taskIp } from "./names.js";
import { targetGroupArns, unhealthyTargets } from "./targets.js";

export interface RootCause {
  text: string;
  /** the cause is ELB health checks (a task stopped for them, or targets unhealthy) */
  healthChecks: boolean;
}

const MAX_LINES = 5;
const SHUTDOWN_EXIT_CODES = new Set([137, 143]);

/**
 * The container that made the task stop. ECS kills the other containers when an essential one exits (137/143), so
 * prefer one that AWS gave a reason (OutOfMemoryError), then one with any other non-zero code.
 */
export function exitedContainer(task: TaskView): ContainerView | undefined {
  const exited = (task.containers ?? []).filter((c) => c.exitCode !== undefined && c.exitCode !== 0);
  return exited.find((c) => c.reason) ?? exited.find((c) => !SHUTDOWN_EXIT_CODES.has(c.exitCode ?? 0)) ?? exited[0];
}

/** One of the service's target groups, from an ARN or a name as ECS wrote it in a stop reason or an event. */
function ourGroup(snapshot: Snapshot, ref: string): string | undefined {
  const arns = targetGroupArns(snapshot.service?.loadBalancers);
  if (arns.includes(ref)) return ref;
  return arns.find((arn) => (snapshot.targetGroups[arn]?.name ?? targetGroupName(arn)) === ref);
}

/** The container port the service registers in a target group: the target's port, and so the traffic port. */
function trafficPort(snapshot: Snapshot, targetGroupArn: string): number | undefined {
  const lb = snapshot.service?.loadBalancers?.find(
    (l) => l.targetGroupArn === targetGroupArn || l.advancedConfiguration?.alternateTargetGroupArn === targetGroupArn,
  );
  return lb?.containerPort;
}

function targetCause(snapshot: Snapshot, targetGroupArn: string, target: TargetHealthView): RootCause {
  const health = target.TargetHealth;
  const port = target.Target?.Port ?? trafficPort(snapshot, targetGroupArn);
  const failure = { reason: health?.Reason, description: health?.Description };
  const line = healthCheckLine(targetGroupArn, snapshot.targetGroups[targetGroupArn], failure, port);
  if (line) return { text: line, healthChecks: true };
  const where = `${target.Target?.Id}:${target.Target?.Port} in ${targetGroupName(targetGroupArn)}`;
  const why = [health?.Reason, health?.Description].filter(Boolean).join(": ");
  return { text: `target ${where} is unhealthy${why ? `: ${why}` : ""}`, healthChecks: true };
}

function eventCause(snapshot: Snapshot, event: UnhealthyEvent): RootCause {
  const arn = ourGroup(snapshot, event.targetGroup) ?? event.targetGroup;
  const port = event.port ?? trafficPort(snapshot, arn);
  const group = snapshot.targetGroups[arn];
  const line = healthCheckLine(arn, group, { description: event.reason }, port);
  const name = group?.name ?? targetGroupName(arn);
  return { text: line ?? `health checks failed in ${name}: ${event.reason}`, healthChecks: true };
}

/** ECS's `… is unhealthy in (target-group …)` events about our tasks (or naming no task), newest first. */
function ourUnhealthyEvents(snapshot: Snapshot, ctx: WatchContext, history: History): UnhealthyEvent[] {
  const ids = new Set([...snapshot.tasks, ...history.stoppedTasks].map((t) => lastSegment(t.taskArn)));
  return unhealthyEvents(recentEvents(snapshot, ctx)).filter((e) => !e.taskId || ids.has(e.taskId));
}

/**
 * A task ECS stopped for failing ELB health checks, explained by whoever saw the failure: ELB's own answer for its
 * target (now or in an earlier poll), ECS's event about the task, then what ELB or ECS said of another task of ours
 * in the target group the stop reason names (same revision, same checks, same codes). A task can register, fail
 * and be stopped between two polls, so no poll may ever have seen its target unhealthy. Without any of them, the
 * target group still says what it checks.
 */
function elbStopCause(snapshot: Snapshot, ctx: WatchContext, history: History, task: TaskView): RootCause {
  const seen = [...history.unhealthyTargets, ...unhealthyTargets(snapshot)].reverse();
  const ip = taskIp(task);
  const own = ip === undefined ? undefined : seen.find((u) => u.target.Target?.Id === ip);
  if (own) return targetCause(snapshot, own.targetGroupArn, own.target);
  const events = ourUnhealthyEvents(snapshot, ctx, history);
  const about = events.find((e) => e.taskId === lastSegment(task.taskArn));
  if (about) return eventCause(snapshot, about);
  const named = /target-group ([^)\s]+)/.exec(task.stoppedReason ?? "")?.[1];
  const group = named === undefined ? undefined : (ourGroup(snapshot, named) ?? named);
  if (group === undefined) return { text: shortenArns(task.stoppedReason ?? ""), healthChecks: true };
  const sibling = seen.find((u) => u.targetGroupArn === group);
  if (sibling) return targetCause(snapshot, sibling.targetGroupArn, sibling.target);
  const groupEvent = events.find((e) => (ourGroup(snapshot, e.targetGroup) ?? e.targetGroup) === group);
  if (groupEvent) return eventCause(snapshot, groupEvent);
  const line = healthCheckLine(group, snapshot.targetGroups[group], undefined, trafficPort(snapshot, group));
  return { text: line ?? shortenArns(task.stoppedReason ?? ""), healthChecks: true };
}

function exitText(container: ContainerView): string {
  const base = `container ${container.name} exited with code ${container.exitCode}`;
  return container.reason ? `${base}: ${container.reason}` : base;
}

const AWS_ERROR = /^\w+(Error|Exception):/;

/** A container health check (the task definition's healthCheck command), never to be confused with ELB's. */
function containerHealthCause(task: TaskView): RootCause {
  const sick = task.containers?.find((c) => c.healthStatus === "UNHEALTHY");
  const text = sick
    ? `container ${sick.name} failed its container health check`
    : `a container of ${taskLabel(task)} failed its container health check`;
  return { text, healthChecks: false };
}

/**
 * InfrastructureHealth (2026-08): ECS stopped the task because what it ran on went unhealthy, not because of the
 * revision. It still counts (ECS's breaker sees a stopped task), but the words send nobody to their code.
 */
function infrastructureCause(task: TaskView): RootCause {
  const text = `${taskLabel(task)} was stopped by ECS because the infrastructure it ran on went unhealthy (stop code InfrastructureHealth), not because of the revision: deploy again; if it repeats, look for an AWS Health event in this region`;
  return { text, healthChecks: false };
}

function taskCause(snapshot: Snapshot, ctx: WatchContext, history: History, task: TaskView): RootCause {
  if (task.stopCode === "InfrastructureHealth") return infrastructureCause(task);
  const reason = task.stoppedReason ?? "";
  if (reason.includes("ELB health checks")) return elbStopCause(snapshot, ctx, history, task);
  const exited = exitedContainer(task);
  if (exited && (task.stopCode === "EssentialContainerExited" || reason.startsWith("Essential container"))) {
    return { text: exitText(exited), healthChecks: false };
  }
  if (AWS_ERROR.test(reason)) return { text: shortenArns(reason), healthChecks: false };
  const errored = task.containers?.find((c) => c.reason && AWS_ERROR.test(c.reason));
  if (errored?.reason) return { text: shortenArns(errored.reason), healthChecks: false };
  if (reason.includes("container health checks")) return containerHealthCause(task);
  return { text: shortenArns(reason) || `${taskLabel(task)} stopped`, healthChecks: false };
}

/** Service events since our deployment started, newest first. */
export function recentEvents(snapshot: Snapshot, ctx: WatchContext) {
  const since = findDeployment(snapshot.service, ctx.deploymentId)?.createdAt?.getTime() ?? 0;
  return (snapshot.service?.events ?? []).filter((e) => (e.createdAt?.getTime() ?? 0) >= since);
}

/** ECS's own verdict events ("deployment failed", "rolling back"): the verdict says that, they are no cause. */
const VERDICT_EVENT = /\) deployment failed|rolling back to/;

/** A running task of ours whose container health check fails (ECS will stop it): words for a timeout's cause. */
function sickContainer(snapshot: Snapshot): RootCause | undefined {
  const task = snapshot.tasks.find((t) => isRunning(t) && t.containers?.some((c) => c.healthStatus === "UNHEALTHY"));
  const sick = task?.containers?.find((c) => c.healthStatus === "UNHEALTHY");
  if (!task || !sick) return undefined;
  return {
    text: `container ${sick.name} of ${taskLabel(task)} reports UNHEALTHY: its container health check fails`,
    healthChecks: false,
  };
}

export function rootCause(snapshot: Snapshot, ctx: WatchContext, history: History): RootCause | undefined {
  const [newest] = failedTasks(snapshot.tasks, history.stoppedTasks);
  if (newest) return taskCause(snapshot, ctx, history, newest);
  const [unhealthy] = unhealthyTargets(snapshot);
  if (unhealthy) return targetCause(snapshot, unhealthy.targetGroupArn, unhealthy.target);
  const [event] = ourUnhealthyEvents(snapshot, ctx, history);
  if (event) return eventCause(snapshot, event);
  const sick = sickContainer(snapshot);
  if (sick) return sick;
  const trouble = recentEvents(snapshot, ctx).find(
    (e) => troubleEvent(e) && !VERDICT_EVENT.test(e.message ?? "") && !unhealthyEvent(e),
  );
  if (trouble?.message) return { text: shortenArns(trouble.message), healthChecks: false };
  return undefined;
}

/**
 * Two texts that tell the same cause: one holds the other, or they part only at their tail (ECS's stop reason and
 * the container's reason for a failed pull differ by the image named at the end).
 */
function sameCause(a: string, b: string): boolean {
  if (a.includes(b) || b.includes(a)) return true;
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  return common >= 0.8 * Math.min(a.length, b.length);
}

function containerLines(task: TaskView): string[] {
  const lines: string[] = [];
  for (const c of task.containers ?? []) {
    const reason = c.reason && !sameCause(c.reason, task.stoppedReason ?? "") ? c.reason : undefined;
    if (!reason && !c.exitCode) continue;
    const exit = c.exitCode === undefined ? "" : `exit code ${c.exitCode}`;
    lines.push(`  container ${c.name}: ${[exit, reason].filter(Boolean).join(" — ")}`);
  }
  return lines;
}

/**
 * Stopped tasks, alike ones folded together: a crash loop is one story told N times. A reason the first line
 * (`message`) already quotes is not quoted again.
 */
function stoppedLines(tasks: TaskView[], message: string): string[] {
  const groups = new Map<string, TaskView[]>();
  for (const task of tasks) {
    const key = [task.stopCode, task.stoppedReason, ...containerLines(task)].join("\n");
    groups.set(key, [...(groups.get(key) ?? []), task]);
  }
  return [...groups.values()].slice(0, MAX_LINES).flatMap((alike) => {
    const [first] = alike as [TaskView];
    const code = first.stopCode ? ` (${first.stopCode})` : "";
    const who = alike.length === 1 ? taskLabel(first) : `${alike.length} tasks`;
    const reason = first.stoppedReason ?? "";
    const quoted = reason.length > 0 && message.includes(shortenArns(reason));
    const why = quoted ? " with the error above" : `: ${reason}`;
    const lines = [`${who} stopped${code}${why}`, ...containerLines(first)];
    if (alike.length > 1) lines.push(`  ${alike.map(taskLabel).join(", ")}`);
    return lines;
  });
}

/**
 * Unhealthy targets, those that fail the same way in one group folded together: `target 10.0.2.31:80 in tg-app
 * unhealthy (Target.ResponseCodeMismatch: …)`, then `  the same: 10.0.1.32:80, 10.0.2.33:80`.
 */
type Unhealthy = History["unhealthyTargets"][number];

function targetLines(unhealthy: readonly Unhealthy[]): string[] {
  const groups = new Map<string, Unhealthy[]>();
  for (const u of unhealthy) {
    const h = u.target.TargetHealth;
    const key = [u.targetGroupArn, h?.State, h?.Reason, h?.Description].join("\n");
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  return [...groups.values()].flatMap((alike) => {
    const [{ targetGroupArn, target }, ...rest] = alike as [Unhealthy, ...Unhealthy[]];
    const h = target.TargetHealth;
    const why = [h?.Reason, h?.Description].filter(Boolean).join(": ");
    const where = `${target.Target?.Id}:${target.Target?.Port} in ${targetGroupName(targetGroupArn)}`;
    const first = `target ${where} ${h?.State}${why ? ` (${why})` : ""}`;
    const others = rest.map((u) => `${u.target.Target?.Id}:${u.target.Target?.Port}`);
    return others.length === 0 ? [first] : [first, `  the same: ${others.join(", ")}`];
  });
}

/** Recent events, a complaint ECS repeated of another task said once: `event 10:01:02Z the same of task 3f2a…`. */
function eventLines(events: readonly EventView[]): string[] {
  const said = new Set<string>();
  return events.map((event) => {
    const time = event.createdAt ? `${event.createdAt.toISOString().slice(11, 19)}Z ` : "";
    const key = eventKey(event);
    const again = troubleEvent(event) && said.has(key);
    said.add(key);
    const task = taskIds(event)[0];
    const same = `the same${task ? ` of task ${shortTaskId(task)}` : " again"}`;
    return `event ${time}${again ? same : event.message}`;
  });
}

/**
 * The lines printed under the first one (`message`): stopped tasks, unhealthy targets, recent events, ECS's own
 * reasons, each cause quoted once.
 */
export function detailLines(snapshot: Snapshot, ctx: WatchContext, history: History, message = ""): string[] {
  const lines = stoppedLines(failedTasks(snapshot.tasks, history.stoppedTasks), message);
  const targets = unhealthyTargets(snapshot);
  const shown = targets.length > 0 ? targets : history.unhealthyTargets.slice(-MAX_LINES);
  lines.push(...targetLines(shown.slice(0, MAX_LINES)));
  const events = recentEvents(snapshot, ctx).slice(0, MAX_LINES).reverse();
  lines.push(...eventLines(events));
  const ours = findDeployment(snapshot.service, ctx.deploymentId);
  const reason = ours?.rolloutState === "FAILED" ? ours.rolloutStateReason : undefined;
  // ECS's reason often names ECS already (`ECS deployment circuit breaker: …`): not `ECS: ECS …`.
  if (reason) lines.push(/^ECS\b/.test(reason) ? reason : `ECS: ${reason}`);
  const sd = snapshot.serviceDeployment;
  if (sd?.statusReason)
    lines.push(`ECS service deployment ${lastSegment(sd.serviceDeploymentArn)}: ${sd.statusReason}`);
  return lines;
}

/** The task and container whose last log lines explain the failure: only a container that ran has logs. */
export function failedContainer(snapshot: Snapshot, history: History) {
  const task = failedTasks(snapshot.tasks, history.stoppedTasks).find((t) => exitedContainer(t));
  const container = task && exitedContainer(task);
  return task && container?.name ? { task, containerName: container.name } : undefined;
}
