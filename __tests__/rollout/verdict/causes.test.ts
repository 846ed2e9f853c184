// Each cause printed once (issue 21.6): the first task that stops a way, or the first event that complains, is
// printed whole; later ones are counted.
import { describe, expect, it } from "vitest";
import { eventLines, stopLines } from "../../../src/rollout/verdict/causes.js";
import { detailLines } from "../../../src/rollout/verdict/explain.js";
import { type EventView, emptyHistory, type Snapshot, type TaskView } from "../../../src/rollout/verdict/model.js";

const PULL = "CannotPullContainerError: pull image manifest has been retried 5 time(s): web:r254: not found";
const task = (n: number, stoppedReason = PULL): TaskView => ({
  taskArn: `arn:aws:ecs:us-east-1:123456789012:task/c/${n}0000000aaaabbbbccccdddd0000000${n}`,
  lastStatus: "STOPPED",
  desiredStatus: "STOPPED",
  stopCode: "TaskFailedToStart",
  stoppedReason,
});

describe("stopLines", () => {
  it("prints a cause whole the first time, and counts the tasks that stop the same way after it", () => {
    const first = stopLines([], [task(1), task(2)]);
    expect(first).toEqual([
      `task 10000000… STOPPED: ${PULL}`,
      "… and 1 more task stopped the same way: task 20000000…",
    ]);
    const later = stopLines([task(1), task(2)], [task(3), task(4)]);
    expect(later).toEqual([
      "2 more tasks stopped the same way as task 10000000…: task 30000000…, task 40000000… (4 in all)",
    ]);
    expect([...first, ...later].filter((l) => l.includes(PULL))).toHaveLength(1);
  });

  it("a new cause is printed whole, however many tasks stopped before", () => {
    const other = task(3, "Essential container in task exited");
    expect(stopLines([task(1)], [other, task(2)])).toEqual([
      "task 30000000… STOPPED: Essential container in task exited",
      "1 more task stopped the same way as task 10000000…: task 20000000… (2 in all)",
    ]);
  });

  it("a wave of many tasks is a count, not a roll call", () => {
    const wave = [1, 2, 3, 4, 5, 6, 7].map((n) => task(n));
    expect(stopLines([], wave)[1]).toBe(
      "… and 6 more tasks stopped the same way: task 20000000…, task 30000000…, task 40000000…, task 50000000… and 2 more",
    );
  });
});

describe("eventLines", () => {
  const unhealthy = (id: string, task: string): EventView => ({
    id,
    message: `(service web) (task ${task}) (port 80) is unhealthy in (target-group web-tg) due to (reason Health checks failed with these codes: [404]).`,
  });
  it("a complaint ECS repeats of another task is counted; news is printed as ECS wrote it", () => {
    const before = [unhealthy("e1", "aaaa1111")];
    const started: EventView = { id: "e3", message: "(service web) has started 1 tasks: (task cccc3333)." };
    const fresh = [unhealthy("e2", "bbbb2222"), started];
    expect(eventLines(before, fresh, [...before, ...fresh])).toEqual([
      "ECS said the same of task bbbb2222 (2 times in all)",
      "(service web) has started 1 tasks: (task cccc3333).",
    ]);
    // Repeats of one complaint in one look: one line.
    const wave = [unhealthy("e4", "dddd4444"), unhealthy("e5", "eeee5555")];
    expect(eventLines([...before, ...fresh], wave, [...before, ...fresh, ...wave])).toEqual([
      "ECS said the same of task dddd4444, task eeee5555 (4 times in all)",
    ]);
    // Seen for the first time in this look, it is printed whole once.
    expect(eventLines([], before, before)).toEqual([before[0]?.message]);
  });
});

describe("the details under the first line", () => {
  it("quote a complaint ECS made of each task once, and no stop reason the first line holds", () => {
    const complaint = (task: string, s: number): EventView => ({
      id: task,
      createdAt: new Date(Date.UTC(2026, 11, 7, 10, 0, s)),
      message: `(service web) (task ${task}) (port 80) is unhealthy in (target-group web-tg) due to (reason Request timed out).`,
    });
    const snapshot = {
      at: 0,
      service: { events: [complaint("bbbb2222", 9), complaint("aaaa1111", 8)] },
      tasks: [task(1), task(2)],
      targetHealth: {},
      targetGroups: {},
    } as unknown as Snapshot;
    const ctx = {
      deploymentId: "ecs-svc/1",
      taskDefinitionArn: "arn:aws:ecs:us-east-1:1:task-definition/web:2",
      maxFailedTasks: 3,
    };
    expect(detailLines(snapshot, ctx, emptyHistory(), `${PULL} — 2 tasks of revision 2 stopped`)).toEqual([
      "2 tasks stopped (TaskFailedToStart) with the error above",
      "  task 10000000…, task 20000000…",
      "event 10:00:08Z (service web) (task aaaa1111) (port 80) is unhealthy in (target-group web-tg) due to (reason Request timed out).",
      "event 10:00:09Z the same of task bbbb2222",
    ]);
  });
});
