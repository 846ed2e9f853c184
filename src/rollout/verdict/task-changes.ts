// Pure: our tasks' states as they change, one line per state a task entered, each at the time ECS says it did.
// A look reads the tasks a few times while they start (the cadence is the poller's), so a task often goes from
// PROVISIONING to RUNNING between two reads; ECS dates what happened in between (pullStartedAt: the task was
// PENDING, pulling its image; startedAt: RUNNING), and those dates fill what would otherwise be a silence of half
// a minute in the log. Stopped tasks are told by their cause, once (causes.ts).
import { taskLabel } from "../../text/names.js";
import { stopLines } from "./causes.js";
import { onWaitClock, waitOrigin } from "./ecs-clock.js";
import type { Snapshot, TaskView, TimelineEntry, WatchContext } from "./model.js";

/** The states a starting task goes through, in ECS's order (ACTIVATING only where a read shows it). */
const STARTING = ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"];

/** When ECS says a task entered `state`, where it dates it. */
function enteredAt(task: TaskView, state: string): Date | undefined {
  if (state === "PENDING") return task.pullStartedAt;
  if (state === "RUNNING") return task.startedAt;
  return undefined;
}

/**
 * The states a task entered since it was last read (`from`, undefined: never read) up to `to`: the one read, and
 * before it those ECS dates (PENDING by its image pull), in order.
 */
function entered(task: TaskView, from: string | undefined, to: string): string[] {
  const [a, b] = [STARTING.indexOf(from ?? ""), STARTING.indexOf(to)];
  const between = STARTING.slice(a + 1, b).filter((s) => enteredAt(task, s) !== undefined);
  return [...between, to];
}

export function taskChanges(prev: Snapshot | undefined, next: Snapshot, ctx: WatchContext): TimelineEntry[] {
  const before = new Map((prev?.tasks ?? []).map((t) => [t.taskArn, t]));
  const origin = waitOrigin(next, ctx);
  const lines: TimelineEntry[] = [];
  const stopped: TaskView[] = [];
  for (const task of next.tasks) {
    const old = before.get(task.taskArn);
    // A task is reported stopped once, when ECS first gives the reason; its later states add nothing.
    if (task.stoppedReason) {
      if (!old?.stoppedReason) stopped.push(task);
      continue;
    }
    const state = task.lastStatus ?? "";
    if (old?.lastStatus === state || !STARTING.includes(state)) continue;
    let from = old?.lastStatus;
    for (const s of entered(task, from, state)) {
      const at = onWaitClock(enteredAt(task, s), origin, 0, next.at);
      lines.push({ at, text: from ? `${taskLabel(task)} ${from} → ${s}` : `${taskLabel(task)} ${s}` });
      from = s;
    }
  }
  const stops = stopLines(prev?.tasks ?? [], stopped).map((text) => ({ at: next.at, text }));
  return [...stops, ...lines];
}
