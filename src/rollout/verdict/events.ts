// Pure: what ECS's service events say, read loosely. No AWS page gives a grammar, and real messages vary: a target
// group is written `(target-group arn:…)` or `target-group NAME`, a task set may follow the service name, a trailing
// dot comes and goes. Each parser takes what it recognises and ignores the rest.
import type { EventView } from "./model.js";

/** `(service web) (task 9d85…) (port 8080) is unhealthy in (target-group …) due to (reason …)`. */
export interface UnhealthyEvent {
  taskId?: string | undefined;
  port?: number | undefined;
  /** an ARN or a name, as ECS wrote it */
  targetGroup: string;
  /** ELB's description: `Health checks failed with these codes: [404]`, `Request timed out`, `Health checks failed` */
  reason: string;
  at?: Date | undefined;
}

const TARGET_GROUP = String.raw`(?:\(target-group ([^)\s]+)\)|target-group ([^\s),.]+))`;
const UNHEALTHY = new RegExp(String.raw`is unhealthy in ${TARGET_GROUP} due to \(reason (.*)\)\.?\s*$`);
const TASK = /\(task ([0-9a-zA-Z-]+)\)/;
const PORT = /\(port (\d+)\)/;
const TARGETS = new RegExp(String.raw`\b(registered|deregistered) (\d+) targets? in ${TARGET_GROUP}`);
const DRAINING = /has begun draining connections on (\d+) tasks?/;
const TASK_IDS = /\(task ([0-9a-zA-Z-]+)\)/g;
const CONTAINER_HEALTH = /\(task ([0-9a-zA-Z-]+)\) failed container health checks/;

export function unhealthyEvent(event: EventView): UnhealthyEvent | undefined {
  const message = event.message ?? "";
  const match = UNHEALTHY.exec(message);
  if (!match) return undefined;
  const port = PORT.exec(message)?.[1];
  return {
    taskId: TASK.exec(message)?.[1],
    port: port === undefined ? undefined : Number(port),
    targetGroup: match[1] ?? match[2] ?? "",
    reason: match[3] ?? "",
    at: event.createdAt,
  };
}

export function unhealthyEvents(events: readonly EventView[] | undefined): UnhealthyEvent[] {
  return (events ?? []).map(unhealthyEvent).filter((e): e is UnhealthyEvent => e !== undefined);
}

/** `registered 2 targets in (target-group …)` / `deregistered 1 targets in target-group web-tg`. */
export function targetsEvent(
  event: EventView,
): { kind: "registered" | "deregistered"; count: number; targetGroup: string } | undefined {
  const match = TARGETS.exec(event.message ?? "");
  if (!match) return undefined;
  return {
    kind: match[1] as "registered" | "deregistered",
    count: Number(match[2]),
    targetGroup: match[3] ?? match[4] ?? "",
  };
}

/** `(service S, taskSet ecs-svc/…) has begun draining connections on 2 tasks.` */
export function drainingEvent(event: EventView): boolean {
  return DRAINING.test(event.message ?? "");
}

/** Events that speak of targets: a reason to ask the load balancer again. */
export function aboutTargets(event: EventView): boolean {
  return unhealthyEvent(event) !== undefined || targetsEvent(event) !== undefined || drainingEvent(event);
}

const TROUBLE = /unable|failed|error|insufficient|not authorized|cannot|denied/i;

/** An event that complains (a task ECS cannot place or start, a failing health check): a cause, not news. */
export function troubleEvent(event: EventView): boolean {
  return TROUBLE.test(event.message ?? "") || unhealthyEvent(event) !== undefined;
}

/** An event's words with the task it names masked: ECS says the same of each task. */
export function eventKey(event: EventView): string {
  return (event.message ?? "").replace(/\(task [0-9a-zA-Z-]+\)/g, "(task)");
}

/** The task ids an event names: `has started 2 tasks: (task a) (task b).`, `(task x) failed container health checks`. */
export function taskIds(event: EventView): string[] {
  return [...(event.message ?? "").matchAll(TASK_IDS)].map((m) => m[1] ?? "").filter(Boolean);
}

/** `(service S) (task T) failed container health checks.`: the task id. */
export function containerHealthTask(event: EventView): string | undefined {
  return CONTAINER_HEALTH.exec(event.message ?? "")?.[1];
}
