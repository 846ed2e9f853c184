// Pure: each cause told once. A bad image or a crash loop stops every task the same way, and ECS repeats a complaint
// (a failing health check, a task it cannot place) for each task and every few minutes: the first time a cause is
// seen it is printed whole; later tasks and events that say the same are counted, not reprinted, so the log stays
// short enough for the cause to stand out.
import { shortTaskId, taskLabel } from "../../text/names.js";
import { eventKey, troubleEvent } from "./events.js";
import { exitedContainer } from "./explain.js";
import type { EventView, TaskView } from "./model.js";

/** Labels listed after a count, at most: a wave of 20 tasks is a count, not a roll call. */
const MAX_LABELS = 4;

/** What makes two stopped tasks alike: their stop code, ECS's reason and the exit that made them stop. */
export function stopKey(task: TaskView): string {
  const exited = exitedContainer(task);
  return [task.stopCode, task.stoppedReason, exited ? `${exited.name}:${exited.exitCode}` : ""].join("\n");
}

/** `task 3f2a9c10… STOPPED: CannotPullContainerError: … (container web exited with code 1)`. */
export function stopLine(task: TaskView): string {
  const exited = exitedContainer(task);
  const exit = exited ? ` (container ${exited.name} exited with code ${exited.exitCode})` : "";
  return `${taskLabel(task)} STOPPED: ${task.stoppedReason}${exit}`;
}

/** `task a…, task b…` or, past a few, `task a…, task b…, task c…, task d… and 3 more`. */
export function labels(tasks: readonly { taskArn?: string | undefined }[]): string {
  const shown = tasks.slice(0, MAX_LABELS).map(taskLabel).join(", ");
  return tasks.length > MAX_LABELS ? `${shown} and ${tasks.length - MAX_LABELS} more` : shown;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * The lines for tasks seen stopped in this look (`stopped`), knowing those seen stopped before (`before`): a cause
 * printed whole once, then `… and 1 more task stopped the same way: task b…`, and in later looks `2 more tasks
 * stopped the same way as task a…: task c…, task d… (4 in all)`.
 */
export function stopLines(before: readonly TaskView[], stopped: readonly TaskView[]): string[] {
  const earlier = groupBy(
    before.filter((t) => t.stoppedReason),
    stopKey,
  );
  return [...groupBy(stopped, stopKey)].flatMap(([key, alike]) => {
    const seen = earlier.get(key) ?? [];
    const [first, ...rest] = alike as [TaskView, ...TaskView[]];
    if (seen.length === 0) {
      const more =
        rest.length === 0
          ? []
          : [`… and ${plural(rest.length, "more task", "more tasks")} stopped the same way: ${labels(rest)}`];
      return [stopLine(first), ...more];
    }
    const all = seen.length + alike.length;
    const as = taskLabel(seen[0] as TaskView);
    return [
      `${plural(alike.length, "more task", "more tasks")} stopped the same way as ${as}: ${labels(alike)} (${all} in all)`,
    ];
  });
}

/**
 * New events (oldest first) as lines: a complaint ECS made before (the same words of another task, or again) is
 * counted, `ECS said the same of task c…, task d… (4 times in all)`, one line for a look's repeats of one complaint;
 * every other event is printed as ECS wrote it.
 */
export function eventLines(
  before: readonly EventView[],
  fresh: readonly EventView[],
  all: readonly EventView[],
): string[] {
  const said = new Set(before.filter(troubleEvent).map(eventKey));
  const repeats = new Map<string, string[]>();
  const lines: (string | { key: string })[] = [];
  for (const event of fresh) {
    const key = eventKey(event);
    if (!troubleEvent(event) || !said.has(key)) {
      said.add(key);
      lines.push(event.message ?? "");
      continue;
    }
    if (!repeats.has(key)) lines.push({ key });
    const task = /\(task ([0-9a-zA-Z-]+)\)/.exec(event.message ?? "")?.[1];
    repeats.set(key, [...(repeats.get(key) ?? []), ...(task ? [`task ${shortTaskId(task)}`] : [])]);
  }
  return lines.map((line) => {
    if (typeof line === "string") return line;
    const tasks = [...new Set(repeats.get(line.key))];
    const times = all.filter((e) => eventKey(e) === line.key).length;
    const of = tasks.length > 0 ? ` of ${tasks.join(", ")}` : " again";
    return `ECS said the same${of} (${plural(times, "time", "times")} in all)`;
  });
}
