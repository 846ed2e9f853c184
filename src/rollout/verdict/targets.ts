// Pure: how our running tasks stand in the service's target groups. A target is ours when its id is the private
// IPv4 of one of our tasks' ENIs and its port is the load balancer's container port (awsvpc registers IP:port).

import { targetGroupName } from "../../text/names.js";
import type { LoadBalancerView, Snapshot, TargetHealthView, TaskView, WatchContext } from "./model.js";
import { findDeployment, isRunning, taskIp } from "./names.js";

export interface GroupHealth {
  /** the target group our tasks are registered in (for blue/green: whichever of the pair holds them) */
  targetGroupArn: string;
  name: string;
  /** our running tasks healthy in it */
  healthy: number;
  /** our running tasks */
  expected: number;
  /** our targets not healthy, with ELB's reason */
  notHealthy: { task: TaskView; target: TargetHealthView | undefined }[];
}

/** Target groups to ask DescribeTargetHealth about: each load balancer's group, and its blue/green alternate. */
export function targetGroupArns(loadBalancers: LoadBalancerView[] | undefined): string[] {
  const arns = (loadBalancers ?? []).flatMap((lb) => [
    lb.targetGroupArn,
    lb.advancedConfiguration?.alternateTargetGroupArn,
  ]);
  return [...new Set(arns.filter((arn): arn is string => Boolean(arn)))];
}

export function ourRunningTasks(snapshot: Snapshot): TaskView[] {
  return snapshot.tasks.filter(isRunning);
}

function findTarget(
  targets: TargetHealthView[] | undefined,
  ip: string | undefined,
  port: number | undefined,
): TargetHealthView | undefined {
  if (!ip) return undefined;
  return targets?.find((t) => t.Target?.Id === ip && (port === undefined || t.Target.Port === port));
}

function groupHealth(snapshot: Snapshot, lb: LoadBalancerView): GroupHealth | undefined {
  const groups = targetGroupArns([lb]);
  if (groups.length === 0) return undefined;
  const tasks = ourRunningTasks(snapshot);
  const lookup = (task: TaskView, arn: string) =>
    findTarget(snapshot.targetHealth[arn], taskIp(task), lb.containerPort);
  // Blue/green registers the new revision in one group of the pair: judge our tasks where they are.
  const holding = groups.find((arn) => tasks.some((task) => lookup(task, arn))) ?? groups[0] ?? "";
  const states = tasks.map((task) => ({ task, target: lookup(task, holding) }));
  const notHealthy = states.filter((s) => s.target?.TargetHealth?.State !== "healthy");
  return {
    targetGroupArn: holding,
    name: snapshot.targetGroups[holding]?.name ?? targetGroupName(holding),
    healthy: states.length - notHealthy.length,
    expected: tasks.length,
    notHealthy,
  };
}

export function groupsHealth(snapshot: Snapshot): GroupHealth[] {
  const groups = (snapshot.service?.loadBalancers ?? []).map((lb) => groupHealth(snapshot, lb));
  return groups.filter((g): g is GroupHealth => g !== undefined);
}

/**
 * True when the service has no load balancer, or every running task of our deployment is healthy in every target
 * group and we see as many of them as ECS counts running. Never true on partial knowledge: a task we have not
 * described yet, or a target still `initial`, keeps the rollout pending.
 */
export function targetsHealthy(snapshot: Snapshot, ctx: Pick<WatchContext, "deploymentId">): boolean {
  const groups = groupsHealth(snapshot);
  if (groups.length === 0) return true;
  const running = findDeployment(snapshot.service, ctx.deploymentId)?.runningCount ?? 0;
  if (ourRunningTasks(snapshot).length < running) return false;
  return groups.every((g) => g.notHealthy.length === 0);
}

/**
 * Success behind load balancers: targetsHealthy, and at least `desired` of our tasks healthy in every target
 * group. Without the count, zero running tasks would be "all healthy".
 */
export function targetsProven(snapshot: Snapshot, ctx: Pick<WatchContext, "deploymentId">, desired: number): boolean {
  const groups = groupsHealth(snapshot);
  if (groups.length === 0) return true;
  return targetsHealthy(snapshot, ctx) && groups.every((g) => g.healthy >= desired);
}

/** Targets of ours that ELB reports unhealthy now, with the group they are in. */
export function unhealthyTargets(snapshot: Snapshot): { targetGroupArn: string; target: TargetHealthView }[] {
  return groupsHealth(snapshot).flatMap((g) =>
    g.notHealthy
      .filter((s) => s.target?.TargetHealth?.State === "unhealthy")
      .map((s) => ({ targetGroupArn: g.targetGroupArn, target: s.target as TargetHealthView })),
  );
}
