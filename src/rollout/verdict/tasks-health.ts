// Pure: a service without a load balancer (a worker) is judged on its tasks alone. No target group proves its tasks
// healthy, so where the task definition gives an essential container a health check, that check is the proof: each
// of our running tasks counts once every such container reads HEALTHY, and success needs the full count of them.
import type { ServiceView, Snapshot, TaskView, WatchContext } from "./model.js";
import { isRunning } from "./names.js";
import { targetGroupArns } from "./targets.js";

/** True behind a load balancer (targets prove it), without container health checks, or at `desired` healthy tasks. */
export function tasksProven(snapshot: Snapshot, ctx: Pick<WatchContext, "healthChecked">, desired: number): boolean {
  const checked = ctx.healthChecked ?? [];
  if (!judgedOnTasks(snapshot.service, checked)) return true;
  return healthyTasks(snapshot.tasks, checked) >= desired;
}

/** Running tasks whose health-checked containers all read HEALTHY. */
export function healthyTasks(tasks: readonly TaskView[], checked: readonly string[]): number {
  return tasks.filter(
    (task) =>
      isRunning(task) &&
      checked.every((name) => task.containers?.find((c) => c.name === name)?.healthStatus === "HEALTHY"),
  ).length;
}

/** No target group, and containers whose health check decides. */
export function judgedOnTasks(service: ServiceView | undefined, checked: readonly string[]): boolean {
  return checked.length > 0 && targetGroupArns(service?.loadBalancers).length === 0;
}
