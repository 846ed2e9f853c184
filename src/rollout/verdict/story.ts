// Pure: the rollout as bars for a picture (report/gantt.ts): each task of ours from provisioning to running to
// healthy, or to its stop and why; the old revision serving, then draining; the moment ours went live. Times are ms
// since the wait began. ECS's own timestamps are used where it gives them (a task can start and stop between two
// looks), counted from our deployment's creation; what only a look can see (a target turning healthy) is dated by
// the look.
import { lastSegment, shortenArns, shortTaskId } from "../../text/names.js";
import { onWaitClock, waitOrigin } from "./ecs-clock.js";
import { exitedContainer } from "./explain.js";
import { oldRevision } from "./live.js";
import type { History, Snapshot, TaskView, WatchContext } from "./model.js";
import { findDeployment, isFailedTask, revisionLabel, taskIp } from "./names.js";
import { groupsHealth } from "./targets.js";

export interface TaskStory {
  /** short task id */
  id: string;
  /** `revision 42` */
  revision: string;
  createdAt: number;
  runningAt?: number | undefined;
  healthyAt?: number | undefined;
  stoppedAt?: number | undefined;
  /** why it stopped, short (AWS's words, ARNs cut to names) */
  why?: string | undefined;
  /** stopped as a failure (not scale-in) */
  failed?: boolean | undefined;
}

export interface RolloutStory {
  tasks: TaskStory[];
  /** the old revision began to drain */
  drainFrom?: number | undefined;
  /** the old revision was gone (drained and stopped) */
  oldGoneAt?: number | undefined;
  liveAt?: number | undefined;
  /** blue/green, linear, canary: each stage (and step) as first seen, with its traffic, for the chart */
  stages?: StageMark[] | undefined;
}

export interface StageMark {
  /** ms since the wait began */
  at: number;
  stage: string;
  production?: number | undefined;
  test?: number | undefined;
  /** seen while ECS rolled back */
  back: boolean;
}

/** The stage marks with this look's stage added when it (or its traffic, or its direction) changed. */
function markStage(marks: StageMark[] | undefined, snapshot: Snapshot, ctx: WatchContext): StageMark[] | undefined {
  const sd = snapshot.serviceDeployment;
  if (!sd?.lifecycleStage) return marks;
  const target = sd.targetServiceRevision;
  const last = marks?.at(-1);
  const mark: StageMark = {
    // When ECS says it changed to this stage, not when a look saw it.
    at: onWaitClock(sd.updatedAt, waitOrigin(snapshot, ctx), last?.at ?? 0, snapshot.at),
    stage: sd.lifecycleStage,
    production: target?.requestedProductionTrafficWeight,
    test: target?.requestedTestTrafficWeight,
    back: (sd.status ?? "").startsWith("ROLLBACK"),
  };
  const same = last && (["stage", "production", "test", "back"] as const).every((k) => last[k] === mark[k]);
  return same ? marks : [...(marks ?? []), mark];
}

export const emptyStory = (): RolloutStory => ({ tasks: [] });

function when(date: Date | undefined, origin: number | undefined, seen: number): number {
  if (!date || origin === undefined) return seen;
  const at = date.getTime() - origin;
  return at >= 0 && at <= seen ? at : seen;
}

function whyStopped(task: TaskView): string {
  const exited = exitedContainer(task);
  const exit = exited ? ` (container ${exited.name} exited with code ${exited.exitCode})` : "";
  return shortenArns(`${task.stoppedReason ?? "stopped"}${exit}`);
}

function healthyIps(snapshot: Snapshot): Set<string | undefined> {
  const groups = groupsHealth(snapshot);
  if (groups.length === 0) return new Set();
  const unhealthy = new Set(groups.flatMap((g) => g.notHealthy.map((n) => taskIp(n.task))));
  return new Set(snapshot.tasks.map(taskIp).filter((ip) => ip !== undefined && !unhealthy.has(ip)));
}

function taskStory(
  old: TaskStory | undefined,
  task: TaskView,
  snapshot: Snapshot,
  ctx: WatchContext,
  origin: number | undefined,
  healthy: Set<string | undefined>,
): TaskStory {
  const story: TaskStory = old ?? {
    id: shortTaskId(lastSegment(task.taskArn)),
    revision: revisionLabel(task.taskDefinitionArn ?? ctx.taskDefinitionArn, ctx.taskDefinitionArn),
    createdAt: when(task.createdAt, origin, snapshot.at),
  };
  const stopped = task.lastStatus === "STOPPED" || task.desiredStatus === "STOPPED";
  if (task.lastStatus === "RUNNING" || task.startedAt) story.runningAt ??= when(task.startedAt, origin, snapshot.at);
  const balanced = (snapshot.service?.loadBalancers ?? []).length > 0;
  if (!stopped && task.lastStatus === "RUNNING" && balanced && healthy.has(taskIp(task)))
    story.healthyAt ??= snapshot.at;
  if (stopped && story.stoppedAt === undefined) {
    story.stoppedAt = when(task.stoppingAt ?? task.stoppedAt, origin, snapshot.at);
    story.why = whyStopped(task);
    story.failed = isFailedTask(task);
  }
  return story;
}

/** Folds one snapshot into the story. */
export function tell(story: RolloutStory, snapshot: Snapshot, ctx: WatchContext, history: History): RolloutStory {
  const origin = findDeployment(snapshot.service, ctx.deploymentId)?.createdAt?.getTime();
  const healthy = healthyIps(snapshot);
  const byId = new Map(story.tasks.map((t) => [t.id, t]));
  for (const task of snapshot.tasks) {
    const id = shortTaskId(lastSegment(task.taskArn));
    byId.set(id, taskStory(byId.get(id), task, snapshot, ctx, origin, healthy));
  }
  const gone = history.drainFrom !== undefined && oldRevision(snapshot, ctx) === "gone";
  return {
    tasks: [...byId.values()],
    drainFrom: history.drainFrom,
    oldGoneAt: story.oldGoneAt ?? (gone ? snapshot.at : undefined),
    liveAt: history.liveAt,
    ...(snapshot.serviceDeployment?.lifecycleStage || story.stages
      ? { stages: markStage(story.stages, snapshot, ctx) }
      : {}),
  };
}
