// Pure: when ECS is likely to move next, so that the poller looks then (schedule.ts) instead of a poll interval
// later. Two things are foreseeable. ECS fails the tasks of one revision the same way each time (the same pull
// error after the same retries, the same crash after the same start, the same health checks): once a task of ours
// has failed, its siblings are expected to fail after the same lifetime. And the old revision's drain lasts the
// target group's deregistration delay, after which ECS stops it and calls the deployment COMPLETED.
import { drainEndsAt, isLive, oldRevision } from "./live.js";
import type { DeploymentView, History, ServiceView, Snapshot, WatchContext } from "./model.js";
import { failedTasks, findDeployment, isStaged, primaryDeployment, stopTime, taskIp } from "./names.js";
import { bakeEndsAt } from "./stages.js";
import { groupsHealth, targetGroupArns, targetsProven } from "./targets.js";

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * When our live tasks should fail, in ms since the wait began, if they go the way our failed ones went: each one's
 * creation plus the median lifetime of ours that failed. ECS's clock is mapped onto the wait's by our deployment's
 * creation, which is the UpdateService that started the wait.
 */
export function expectedStops(snapshot: Snapshot, ctx: WatchContext, history: History): number[] {
  const created = findDeployment(snapshot.service, ctx.deploymentId)?.createdAt?.getTime();
  if (created === undefined) return [];
  const failed = failedTasks(snapshot.tasks, history.stoppedTasks).filter((t) => t.createdAt);
  const lifetime = median(failed.map((t) => stopTime(t) - (t.createdAt?.getTime() ?? 0)).filter((ms) => ms > 0));
  if (lifetime === undefined) return [];
  const live = snapshot.tasks.filter((t) => t.lastStatus !== "STOPPED" && t.desiredStatus !== "STOPPED" && t.createdAt);
  return live.map((t) => (t.createdAt?.getTime() ?? 0) + lifetime - created);
}

/**
 * When our running tasks' targets should turn healthy, for `wait-until: live` (ms since the wait began): ECS
 * registers a task's target as it starts, and ELB calls it healthy after HealthyThresholdCount passing checks, one
 * each HealthCheckIntervalSeconds. The slowest group counts; tasks whose targets are all healthy count no more.
 */
export function expectedHealthy(
  snapshot: Snapshot,
  ctx: Pick<WatchContext, "deploymentId" | "taskDefinitionArn" | "waitUntil" | "healthChecked">,
): number[] {
  if (ctx.waitUntil !== "live") return [];
  const created = findDeployment(snapshot.service, ctx.deploymentId)?.createdAt?.getTime();
  const groups = Object.values(snapshot.targetGroups);
  const passMs = Math.max(
    0,
    ...groups.map((g) => (g.healthCheckIntervalSeconds ?? 0) * (g.healthyThresholdCount ?? 0) * 1000),
  );
  if (created === undefined || passMs === 0 || targetsProven(snapshot, ctx, ourDesired(snapshot, ctx))) return [];
  const ours = snapshot.tasks.filter(
    (t) => t.taskDefinitionArn === ctx.taskDefinitionArn && t.lastStatus === "RUNNING" && t.startedAt,
  );
  return ours.map((t) => (t.startedAt?.getTime() ?? 0) + passMs - created);
}

function ourDesired(snapshot: Snapshot, ctx: Pick<WatchContext, "deploymentId">): number {
  return findDeployment(snapshot.service, ctx.deploymentId)?.desiredCount ?? 0;
}

/**
 * Foreseeable moments (ms since the wait began): expected stops, our targets turning healthy when `live` is awaited,
 * the drain's end when completion is, and the end of a staged deployment's bake time.
 */
export function expectedMoments(snapshot: Snapshot, ctx: WatchContext, history: History): number[] {
  const moments = [...expectedStops(snapshot, ctx, history), ...expectedHealthy(snapshot, ctx)];
  const drained = ctx.waitUntil === "live" ? undefined : drainEndsAt(snapshot, history, ctx);
  if (drained !== undefined) moments.push(drained);
  // A staged deployment's bake time ends on ECS's clock: CLEAN_UP, then SUCCESSFUL, follow it.
  const baked = bakeEndsAt(snapshot, history.stages);
  if (baked !== undefined) moments.push(baked);
  return moments;
}

function fullAndHealthy(snapshot: Snapshot, ctx: WatchContext, ours: DeploymentView | undefined): boolean {
  const desired = ours?.desiredCount ?? 0;
  return (
    ours?.status === "PRIMARY" && desired > 0 && ours.runningCount === desired && targetsProven(snapshot, ctx, desired)
  );
}

/**
 * The end is near: every task of ours runs and is healthy, and only the old revision's going is awaited. For
 * `live`, while its targets still serve (ECS deregisters them seconds after ours are healthy); for `completed`,
 * once they drain and the drain's end is close or unknown, or once they stop.
 */
export function endIsNear(snapshot: Snapshot, ctx: WatchContext, history: History): boolean {
  const ours = findDeployment(snapshot.service, ctx.deploymentId);
  if (!fullAndHealthy(snapshot, ctx, ours)) return false;
  // A staged deployment ends with its service deployment, after its bake time and CLEAN_UP: until then the end is
  // not near, whatever the service shows (all production traffic moved, the bake ahead). A bake time ends on ECS's
  // clock, minutes away: its end is a foreseen moment (expectedMoments), and until then the wait stays on the poll
  // interval, one look each (quick looks, which read the service alone, would not even see the stage move).
  const stage = snapshot.serviceDeployment?.lifecycleStage;
  if (ctx.waitUntil !== "live" && isStaged(snapshot.service) && stage !== undefined && stage !== "CLEAN_UP") {
    return false;
  }
  if (ctx.waitUntil !== "live" && stage === "BAKE_TIME") return false;
  if (ctx.waitUntil === "live") return !isLive(snapshot, ctx);
  const old = oldRevision(snapshot, ctx);
  if (old === "serving") return false;
  if (old === "draining") {
    const end = drainEndsAt(snapshot, history, ctx);
    return end === undefined || snapshot.at >= end - 1500;
  }
  return true;
}

/**
 * The state of our deployment moved in a way ECS often follows up on within a second or two (a task failed, the
 * breaker tripped, another deployment took over): worth one quick look.
 */
export function burst(prev: Snapshot | undefined, next: Snapshot, ctx: WatchContext): boolean {
  if (!prev) return false;
  const [a, b] = [prev, next].map((s) => findDeployment(s.service, ctx.deploymentId));
  if ((a?.status ?? "") !== (b?.status ?? "") || (a?.rolloutState ?? "") !== (b?.rolloutState ?? "")) return true;
  if ((b?.failedTasks ?? 0) > (a?.failedTasks ?? 0)) return true;
  return primaryDeployment(prev.service)?.id !== primaryDeployment(next.service)?.id;
}

/**
 * The fewest failed tasks of ours that could end the deployment: max-failed-tasks, or ECS's circuit breaker, which
 * trips at 3 at least with its default bounded threshold (a count or an unbounded percentage may be lower: 1 then).
 */
function fewestFailuresThatEnd(service: ServiceView | undefined, ctx: WatchContext): number {
  const breaker = service?.deploymentConfiguration?.deploymentCircuitBreaker;
  const type = breaker?.thresholdConfiguration?.type ?? "BOUNDED_PERCENT";
  const tripsAt = breaker?.enable !== true ? Number.POSITIVE_INFINITY : type === "BOUNDED_PERCENT" ? 3 : 1;
  return Math.min(ctx.maxFailedTasks, tripsAt);
}

/**
 * A rolling deployment's drain, once nothing but ECS's clock can end it soon: ours (and only ours and the old
 * revision) at full count and healthy, the old revision's targets draining with their end foreseen (expectedMoments
 * looks around it), and too few of ours to end the deployment should every one of them fail at once: any failure
 * beyond that needs a new task placed and started first, tens of seconds. The service can then be read every other
 * poll (schedule.ts) without a verdict coming later than one poll after ECS's terminal state.
 */
export function quietDrain(snapshot: Snapshot, ctx: WatchContext, history: History): boolean {
  const service = snapshot.service;
  if (ctx.waitUntil === "live" || isStaged(service) || (service?.deployments?.length ?? 0) > 2) return false;
  const ours = findDeployment(service, ctx.deploymentId);
  if (!fullAndHealthy(snapshot, ctx, ours) || (ours?.pendingCount ?? 0) > 0) return false;
  if (oldRevision(snapshot, ctx) !== "draining" || drainEndsAt(snapshot, history, ctx) === undefined) return false;
  const failed = Math.max(ours?.failedTasks ?? 0, failedTasks(snapshot.tasks, history.stoppedTasks).length);
  return failed + (ours?.runningCount ?? 0) < fewestFailuresThatEnd(service, ctx);
}

/** ms since the wait began of an ECS timestamp: ECS's clock meets the wait's at our deployment's creation. */
function sinceCreated(snapshot: Snapshot, ctx: Pick<WatchContext, "deploymentId">, at: Date | undefined) {
  const created = findDeployment(snapshot.service, ctx.deploymentId)?.createdAt?.getTime();
  return created === undefined || at === undefined ? undefined : at.getTime() - created;
}

/**
 * The last health check at or before `at` (ms since the wait began) that could have moved one of our targets still
 * settling (initial, unhealthy, or not seen yet while its task runs). ELB moves a target only on a check, one each
 * HealthCheckIntervalSeconds ("approximate") from its registration as the task runs, and only after two in a row
 * (its smallest threshold): the first may come at once, so none moves before one interval has passed. -Infinity while
 * none can have moved yet; undefined when none is settling, or a group's interval or a task's start is unknown (a
 * slow clock then).
 */
export function lastHealthCheck(snapshot: Snapshot, ctx: Pick<WatchContext, "deploymentId">, at: number) {
  const moments: number[] = [];
  for (const group of groupsHealth(snapshot)) {
    const settling = group.notHealthy.filter((s) => SETTLING.has(s.target?.TargetHealth?.State ?? "initial"));
    const interval = (snapshot.targetGroups[group.targetGroupArn]?.healthCheckIntervalSeconds ?? 0) * 1000;
    for (const { task } of settling) {
      const started = sinceCreated(snapshot, ctx, task.startedAt);
      if (started === undefined || interval <= 0) return undefined;
      const checks = Math.floor((at - started) / interval);
      moments.push(checks >= 1 ? started + checks * interval : Number.NEGATIVE_INFINITY);
    }
  }
  return moments.length === 0 ? undefined : Math.max(...moments);
}

const SETTLING = new Set(["initial", "unhealthy"]);

/**
 * A task of ours stopped within the last `withinMs` while its target was last read neither draining nor gone: ECS
 * deregisters it as the task stops, and the next read shows it draining.
 */
export function deregistrationUnseen(snapshot: Snapshot, ctx: Pick<WatchContext, "deploymentId">, withinMs: number) {
  const targets = targetGroupArns(snapshot.service?.loadBalancers).flatMap((arn) => snapshot.targetHealth[arn] ?? []);
  return snapshot.tasks.some((task) => {
    if (task.desiredStatus !== "STOPPED" && task.lastStatus !== "STOPPED") return false;
    const stopped = sinceCreated(snapshot, ctx, new Date(stopTime(task)));
    if (stopped === undefined || snapshot.at - stopped > withinMs) return false;
    const ip = taskIp(task);
    const state = targets.find((t) => ip && t.Target?.Id === ip)?.TargetHealth?.State;
    return state !== undefined && !state.includes("draining");
  });
}
