// Pure: the root cause of a failing rollout in words a developer acts on, and the detail lines under it.
// Reasons are quoted as AWS writes them (they are what people search for); only ELB's health check codes and
// container exit codes are reworded, because AWS's own text for those names neither the path nor the container.

import { lastSegment, targetGroupName, taskLabel } from "../../text/names.js";
import type { ContainerView, History, Snapshot, TargetHealthView, TaskView, WatchContext } from "./model.js";
import { failedTasks, findDeployment, taskIp } from "./names.js";
import { unhealthyTargets } from "./targets.js";

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

function healthCheckText(snapshot: Snapshot, targetGroupArn: string, target: TargetHealthView): string {
  const path = snapshot.targetGroups[targetGroupArn]?.healthCheckPath;
  const on = path ? ` on ${path}` : "";
  const health = target.TargetHealth;
  switch (health?.Reason) {
    case "Target.ResponseCodeMismatch": {
      const codes = /\[[^\]]*\]/.exec(health.Description ?? "")?.[0];
      return codes
        ? `health checks failed with codes ${codes}${on}`
        : `health checks failed${on}: ${health.Description}`;
    }
    case "Target.Timeout":
      return `health checks timed out${on}`;
    case "Target.FailedHealthChecks":
      return `health checks failed${on}`;
    default: {
      const where = `${target.Target?.Id}:${target.Target?.Port} in ${targetGroupName(targetGroupArn)}`;
      const why = [health?.Reason, health?.Description].filter(Boolean).join(": ");
      return `target ${where} is unhealthy${why ? `: ${why}` : ""}`;
    }
  }
}

/**
 * What ELB last said about this task's own target, now or in an earlier poll. When no poll saw it (a task can
 * register, fail and stop between two polls), what ELB says of another task of ours in the very target group ECS
 * names in the stop reason: same revision, same checks, same codes. Never a target of another deployment or group.
 */
function rememberedTarget(snapshot: Snapshot, history: History, task: TaskView) {
  const seen = [...history.unhealthyTargets, ...unhealthyTargets(snapshot)].reverse();
  const ip = taskIp(task);
  const own = ip === undefined ? undefined : seen.find((u) => u.target.Target?.Id === ip);
  if (own) return own;
  const group = /\(target-group (arn:[^)\s]+)\)/.exec(task.stoppedReason ?? "")?.[1];
  return group ? seen.find((u) => u.targetGroupArn === group) : undefined;
}

function exitText(container: ContainerView): string {
  const base = `container ${container.name} exited with code ${container.exitCode}`;
  return container.reason ? `${base}: ${container.reason}` : base;
}

const AWS_ERROR = /^\w+(Error|Exception):/;

function taskCause(snapshot: Snapshot, history: History, task: TaskView): RootCause {
  const reason = task.stoppedReason ?? "";
  if (reason.includes("ELB health checks")) {
    const seen = rememberedTarget(snapshot, history, task);
    const text = seen ? healthCheckText(snapshot, seen.targetGroupArn, seen.target) : reason;
    return { text, healthChecks: true };
  }
  const exited = exitedContainer(task);
  if (exited && (task.stopCode === "EssentialContainerExited" || reason.startsWith("Essential container"))) {
    return { text: exitText(exited), healthChecks: false };
  }
  if (AWS_ERROR.test(reason)) return { text: reason, healthChecks: false };
  const errored = task.containers?.find((c) => c.reason && AWS_ERROR.test(c.reason));
  if (errored?.reason) return { text: errored.reason, healthChecks: false };
  const sick = task.containers?.find((c) => c.healthStatus === "UNHEALTHY");
  if (sick && reason.includes("container health checks")) {
    return { text: `container ${sick.name} failed its container health check`, healthChecks: false };
  }
  return { text: reason || `${taskLabel(task)} stopped`, healthChecks: false };
}

/** Service events since our deployment started, newest first. */
export function recentEvents(snapshot: Snapshot, ctx: WatchContext) {
  const since = findDeployment(snapshot.service, ctx.deploymentId)?.createdAt?.getTime() ?? 0;
  return (snapshot.service?.events ?? []).filter((e) => (e.createdAt?.getTime() ?? 0) >= since);
}

const TROUBLE = /unable|failed|error|insufficient|not authorized|cannot|denied/i;
/** ECS's own verdict events ("deployment failed", "rolling back"): the verdict says that, they are no cause. */
const VERDICT_EVENT = /\) deployment failed|rolling back to/;

export function rootCause(snapshot: Snapshot, ctx: WatchContext, history: History): RootCause | undefined {
  const [newest] = failedTasks(snapshot.tasks, history.stoppedTasks);
  if (newest) return taskCause(snapshot, history, newest);
  const [unhealthy] = unhealthyTargets(snapshot);
  if (unhealthy)
    return { text: healthCheckText(snapshot, unhealthy.targetGroupArn, unhealthy.target), healthChecks: true };
  const trouble = recentEvents(snapshot, ctx).find(
    (e) => TROUBLE.test(e.message ?? "") && !VERDICT_EVENT.test(e.message ?? ""),
  );
  if (trouble?.message) return { text: trouble.message, healthChecks: false };
  return undefined;
}

function containerLines(task: TaskView): string[] {
  const lines: string[] = [];
  for (const c of task.containers ?? []) {
    const reason = c.reason && c.reason !== task.stoppedReason ? c.reason : undefined;
    if (!reason && !c.exitCode) continue;
    const exit = c.exitCode === undefined ? "" : `exit code ${c.exitCode}`;
    lines.push(`  container ${c.name}: ${[exit, reason].filter(Boolean).join(" — ")}`);
  }
  return lines;
}

/** Stopped tasks, alike ones folded together: a crash loop is one story told N times. */
function stoppedLines(tasks: TaskView[]): string[] {
  const groups = new Map<string, TaskView[]>();
  for (const task of tasks) {
    const key = [task.stopCode, task.stoppedReason, ...containerLines(task)].join("\n");
    groups.set(key, [...(groups.get(key) ?? []), task]);
  }
  return [...groups.values()].slice(0, MAX_LINES).flatMap((alike) => {
    const [first] = alike as [TaskView];
    const code = first.stopCode ? ` (${first.stopCode})` : "";
    const who = alike.length === 1 ? taskLabel(first) : `${alike.length} tasks`;
    const lines = [`${who} stopped${code}: ${first.stoppedReason}`, ...containerLines(first)];
    if (alike.length > 1) lines.push(`  ${alike.map(taskLabel).join(", ")}`);
    return lines;
  });
}

function targetLine(targetGroupArn: string, t: TargetHealthView): string {
  const h = t.TargetHealth;
  const why = [h?.Reason, h?.Description].filter(Boolean).join(": ");
  const where = `${t.Target?.Id}:${t.Target?.Port} in ${targetGroupName(targetGroupArn)}`;
  return `target ${where} ${h?.State}${why ? ` (${why})` : ""}`;
}

function eventLine(event: { createdAt?: Date | undefined; message?: string | undefined }): string {
  const time = event.createdAt ? `${event.createdAt.toISOString().slice(11, 19)}Z ` : "";
  return `event ${time}${event.message}`;
}

/** The lines printed under the first one: stopped tasks, unhealthy targets, recent events, ECS's own reasons. */
export function detailLines(snapshot: Snapshot, ctx: WatchContext, history: History): string[] {
  const lines = stoppedLines(failedTasks(snapshot.tasks, history.stoppedTasks));
  const targets = unhealthyTargets(snapshot);
  const shown = targets.length > 0 ? targets : history.unhealthyTargets.slice(-MAX_LINES);
  lines.push(...shown.slice(0, MAX_LINES).map((u) => targetLine(u.targetGroupArn, u.target)));
  const events = recentEvents(snapshot, ctx).slice(0, MAX_LINES).reverse();
  lines.push(...events.map(eventLine));
  const ours = findDeployment(snapshot.service, ctx.deploymentId);
  if (ours?.rolloutState === "FAILED" && ours.rolloutStateReason) lines.push(`ECS: ${ours.rolloutStateReason}`);
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
