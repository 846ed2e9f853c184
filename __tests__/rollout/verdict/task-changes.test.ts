// Our tasks' states as they change (issue 21.6): each state a task entered told once, at the time ECS dates it,
// though the reads that show it come seconds apart (the read cadence is the poller's; this prints what it read).
import { describe, expect, it } from "vitest";
import type { Snapshot, TaskView, WatchContext } from "../../../src/rollout/verdict/model.js";
import { changesAt } from "../../../src/rollout/verdict/progress.js";
import { taskChanges } from "../../../src/rollout/verdict/task-changes.js";

const T0 = Date.parse("2026-12-07T10:00:00Z");
const ctx: WatchContext = {
  deploymentId: "ecs-svc/1",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:42",
  maxFailedTasks: 3,
  startedAt: T0,
};
const at = (s: number) => new Date(T0 + s * 1000);
const task = (lastStatus: string, more: Partial<TaskView> = {}): TaskView => ({
  taskArn: "arn:aws:ecs:us-east-1:123456789012:task/c/3f2a9c105e7d5e7d5e7d5e7d5e7d5e7d",
  startedBy: "ecs-svc/1",
  lastStatus,
  desiredStatus: "RUNNING",
  createdAt: at(3),
  ...more,
});
const snap = (s: number, tasks: TaskView[]): Snapshot =>
  ({ at: s * 1000, tasks, targetHealth: {}, targetGroups: {} }) as unknown as Snapshot;

describe("task states as they change", () => {
  it("a task read PROVISIONING, then RUNNING: PENDING told too, when ECS says its image pull began", () => {
    const first = snap(5, [task("PROVISIONING")]);
    const later = snap(45, [task("RUNNING", { pullStartedAt: at(15), startedAt: at(44) })]);
    expect(taskChanges(undefined, first, ctx)).toEqual([{ at: 5000, text: "task 3f2a9c10… PROVISIONING" }]);
    expect(taskChanges(first, later, ctx)).toEqual([
      { at: 15_000, text: "task 3f2a9c10… PROVISIONING → PENDING" },
      { at: 44_000, text: "task 3f2a9c10… PENDING → RUNNING" },
    ]);
    // Each state once: a look that reads the same state says nothing.
    expect(changesAt(later, snap(50, later.tasks), ctx)).toEqual([]);
  });

  it("a state ECS does not date is told as read (ACTIVATING), and one ECS did not reach is not invented", () => {
    const pending = snap(20, [task("PENDING", { pullStartedAt: at(15) })]);
    expect(taskChanges(snap(5, [task("PROVISIONING")]), pending, ctx)).toEqual([
      { at: 15_000, text: "task 3f2a9c10… PROVISIONING → PENDING" },
    ]);
    const activating = snap(40, [task("ACTIVATING", { pullStartedAt: at(15) })]);
    expect(taskChanges(pending, activating, ctx)).toEqual([
      { at: 40_000, text: "task 3f2a9c10… PENDING → ACTIVATING" },
    ]);
    // Never read before, RUNNING without a pull date: RUNNING alone, at ECS's startedAt.
    expect(taskChanges(undefined, snap(45, [task("RUNNING", { startedAt: at(44) })]), ctx)).toEqual([
      { at: 44_000, text: "task 3f2a9c10… RUNNING" },
    ]);
  });
});
