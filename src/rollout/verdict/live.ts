// Pure: when our revision serves every request, and how the old one stands. Behind a load balancer that is read from
// the targets: ours all healthy, and no target of another revision healthy any more (ECS deregistered them, so
// they drain, and ECS calls the deployment COMPLETED only after the target group's deregistration delay, 300 s
// by default). Old targets stay healthy until ours are: ECS stops the old tasks only once enough new ones count.
import { formatDuration } from "../../text/names.js";
import { drainingEvent, targetsEvent } from "./events.js";
import type { DeploymentView, History, Snapshot, TargetHealthView, WatchContext } from "./model.js";
import { findDeployment, isStaged, taskIp } from "./names.js";
import { targetGroupArns, targetsProven } from "./targets.js";

export type OldRevision = "serving" | "draining" | "stopping" | "gone";

/** Targets in our target groups that belong to none of our tasks: the old revision's. */
export function otherTargets(snapshot: Snapshot): { targetGroupArn: string; target: TargetHealthView }[] {
  const ours = new Set(snapshot.tasks.map(taskIp).filter(Boolean));
  return targetGroupArns(snapshot.service?.loadBalancers).flatMap((arn) =>
    (snapshot.targetHealth[arn] ?? [])
      .filter((t) => !ours.has(t.Target?.Id))
      .map((target) => ({ targetGroupArn: arn, target })),
  );
}

function othersRunning(snapshot: Snapshot, ctx: Pick<WatchContext, "deploymentId">): number {
  const others = snapshot.service?.deployments?.filter((d) => d.id !== ctx.deploymentId) ?? [];
  return others.reduce((sum, d) => sum + (d.runningCount ?? 0), 0);
}

/**
 * How the other revisions stand: `serving` while any of their targets is healthy (or, without a load balancer or
 * before targets were read, while they run), `draining` once their targets drain, `stopping` while their tasks still
 * run with no target left, `gone` when nothing of them runs or ECS dropped their deployments.
 */
export function oldRevision(snapshot: Snapshot, ctx: Pick<WatchContext, "deploymentId">): OldRevision {
  // Gone from the service: ECS is done with it, whatever draining targets ELB still lists.
  if (!snapshot.service?.deployments?.some((d) => d.id !== ctx.deploymentId)) return "gone";
  const running = othersRunning(snapshot, ctx);
  const balanced = targetGroupArns(snapshot.service?.loadBalancers).length > 0;
  const read = Object.keys(snapshot.targetHealth).length > 0;
  if (!balanced || !read) return running > 0 ? "serving" : "gone";
  const states = otherTargets(snapshot).map((o) => o.target.TargetHealth?.State);
  if (states.some((s) => s === "healthy")) return "serving";
  if (states.some((s) => s === "draining" || s === "unhealthy.draining")) return "draining";
  return running > 0 ? "stopping" : "gone";
}

function atFullCount(ours: DeploymentView | undefined): ours is DeploymentView & { desiredCount: number } {
  return typeof ours?.desiredCount === "number" && ours.desiredCount > 0 && ours.runningCount === ours.desiredCount;
}

/**
 * Our revision serves every request: ours is PRIMARY with its full count running, healthy in every target group,
 * and no other revision's target is healthy (without a load balancer: no other revision's task runs). Never for
 * blue/green, linear and canary deployments: traffic moves by their lifecycle stages, and ECS may roll back until
 * the bake time is over.
 */
export function isLive(snapshot: Snapshot, ctx: WatchContext): boolean {
  const ours = findDeployment(snapshot.service, ctx.deploymentId);
  if (ours?.status !== "PRIMARY" || !atFullCount(ours) || isStaged(snapshot.service)) return false;
  if (ours.rolloutState === "FAILED" || !targetsProven(snapshot, ctx, ours.desiredCount)) return false;
  const old = oldRevision(snapshot, ctx);
  return old !== "serving";
}

/** The longest deregistration delay of our target groups, in ms, where DescribeTargetGroupAttributes answered. */
export function deregistrationDelayMs(snapshot: Snapshot): number | undefined {
  const delays = targetGroupArns(snapshot.service?.loadBalancers)
    .map((arn) => snapshot.targetGroups[arn]?.deregistrationDelaySeconds)
    .filter((d): d is number => d !== undefined);
  return delays.length === 0 ? undefined : Math.max(...delays) * 1000;
}

/**
 * When the old revision began to drain, in ms since the wait began: ECS's `has begun draining` (or `deregistered`)
 * event time, counted from our deployment's creation (the UpdateService that began the wait), or else this look's.
 */
export function drainStart(snapshot: Snapshot, ctx: WatchContext): number | undefined {
  if (oldRevision(snapshot, ctx) !== "draining") return undefined;
  const created = findDeployment(snapshot.service, ctx.deploymentId)?.createdAt?.getTime();
  const since = (snapshot.service?.events ?? []).filter((e) => (e.createdAt?.getTime() ?? 0) >= (created ?? 0));
  const event = since.find((e) => drainingEvent(e) || targetsEvent(e)?.kind === "deregistered");
  const at = created === undefined ? undefined : (event?.createdAt?.getTime() ?? Number.NaN) - created;
  return at !== undefined && at >= 0 && at <= snapshot.at ? at : snapshot.at;
}

/** When the old revision's drain should be over (ms since the wait began), where its start and length are known. */
export function drainEndsAt(snapshot: Snapshot, history: History, ctx?: WatchContext): number | undefined {
  const delay = deregistrationDelayMs(snapshot);
  const from = history.drainFrom ?? (ctx ? drainStart(snapshot, ctx) : undefined);
  return from === undefined || delay === undefined ? undefined : from + delay;
}

/** How long the drain has left (`4m50s`), where its start and the deregistration delay are known. */
export function drainLeft(snapshot: Snapshot, history: History, ctx: WatchContext): string | undefined {
  const end = drainEndsAt(snapshot, history, ctx);
  return end === undefined ? undefined : formatDuration(Math.max(0, end - snapshot.at));
}
