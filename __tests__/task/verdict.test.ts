// The pre-deploy task's verdict from the task ECS shows: success only on the command container's exit code 0, and
// each other end said with its reason (ECS's shapes as DescribeTasks returns them).
import type { Container, Task } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { judgeTask, refusal, stopsOnItsOwn } from "../../src/task/verdict.js";

const judge = { target: "app", essential: new Set(["app", "proxy"]) };
const started = new Date("2026-12-01T10:00:00Z");

function task(fields: Partial<Task>, containers: Container[]): Task {
  return { taskArn: "arn:aws:ecs:us-east-1:123456789012:task/c/3f2a9c1e", startedAt: started, ...fields, containers };
}

const stopped = (fields: Partial<Task>, containers: Container[]) =>
  task({ lastStatus: "STOPPED", desiredStatus: "STOPPED", ...fields }, containers);

describe("judgeTask", () => {
  it("is pending while the command's container runs", () => {
    const running = task({ lastStatus: "RUNNING" }, [{ name: "app", lastStatus: "RUNNING" }]);
    expect(judgeTask(running, judge)).toEqual({ kind: "pending" });
    const provisioning = task({ lastStatus: "PROVISIONING", startedAt: undefined }, [{ name: "app" }]);
    expect(judgeTask(provisioning, judge)).toEqual({ kind: "pending" });
  });

  it("succeeds on exit code 0, as soon as the container stopped (the task may still be stopping)", () => {
    const stopping = task({ lastStatus: "STOPPING" }, [{ name: "app", lastStatus: "STOPPED", exitCode: 0 }]);
    expect(judgeTask(stopping, judge)).toEqual({ kind: "succeeded", exitCode: 0, notes: [] });
  });

  it("fails on another exit code, with the container's reason", () => {
    const out = stopped({ stopCode: "EssentialContainerExited" }, [
      { name: "app", exitCode: 1, lastStatus: "STOPPED" },
    ]);
    expect(judgeTask(out, judge)).toMatchObject({ kind: "failed", cause: "exited", exitCode: 1 });
    expect(judgeTask(out, judge)).toHaveProperty("reason", "exited with code 1");
    const oom = stopped({ stopCode: "EssentialContainerExited" }, [
      { name: "app", exitCode: 137, reason: "OutOfMemoryError: Container killed due to memory usage" },
    ]);
    expect(judgeTask(oom, judge)).toMatchObject({
      cause: "exited",
      reason: "exited with code 137 (OutOfMemoryError: Container killed due to memory usage)",
    });
  });

  it("says a task that never started, with ECS's error, and no exit code", () => {
    const pull = stopped(
      {
        startedAt: undefined,
        stopCode: "TaskFailedToStart",
        stoppedReason:
          "CannotPullContainerError: pull image manifest has been retried 5 time(s): registry.example/app:r9 not found",
      },
      [{ name: "app", lastStatus: "STOPPED" }],
    );
    const verdict = judgeTask(pull, judge);
    expect(verdict).toMatchObject({ kind: "failed", cause: "never-started", exitCode: undefined });
    expect(verdict).toHaveProperty(
      "reason",
      "never started: CannotPullContainerError: pull image manifest has been retried 5 time(s): registry.example/app:r9 not found (TaskFailedToStart)",
    );
  });

  it("prefers the container's error to a vague task reason for a task that never started", () => {
    const secrets = stopped(
      { startedAt: undefined, stopCode: "TaskFailedToStart", stoppedReason: "Task failed to start" },
      [{ name: "app", reason: "ResourceInitializationError: unable to pull secrets or registry auth" }],
    );
    expect(judgeTask(secrets, judge)).toHaveProperty(
      "reason",
      "never started: ResourceInitializationError: unable to pull secrets or registry auth (TaskFailedToStart)",
    );
  });

  it("blames an essential sidecar that exited and stopped the task under the command", () => {
    const out = stopped({ stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" }, [
      { name: "app", exitCode: 143, lastStatus: "STOPPED" },
      { name: "proxy", exitCode: 2, lastStatus: "STOPPED", reason: "config invalid" },
    ]);
    const verdict = judgeTask(out, judge);
    expect(verdict).toMatchObject({ kind: "failed", cause: "sidecar", exitCode: 143 });
    expect(verdict).toHaveProperty(
      "reason",
      "was stopped by its essential container proxy, which exited with code 2 (config invalid) before the command finished (app was stopped with code 143)",
    );
    expect(verdict).toHaveProperty("notes", ["essential container proxy exited with code 2 (config invalid)"]);
  });

  it("reports a sidecar that exits non-zero without failing the run", () => {
    const out = stopped({ stopCode: "EssentialContainerExited" }, [
      { name: "app", exitCode: 0 },
      { name: "log-router", exitCode: 1 },
    ]);
    expect(judgeTask(out, judge)).toEqual({
      kind: "succeeded",
      exitCode: 0,
      notes: ["sidecar log-router exited with code 1"],
    });
  });

  it("says a task stopped from outside (StopTask, Spot) as stopped, not as the command's failure", () => {
    const out = stopped({ stopCode: "UserInitiated", stoppedReason: "the deploy was cancelled" }, [
      { name: "app", exitCode: 143 },
    ]);
    expect(judgeTask(out, judge)).toMatchObject({
      cause: "stopped",
      reason: "was stopped before its command finished: the deploy was cancelled (UserInitiated)",
    });
    const spot = stopped({ stopCode: "SpotInterruption", stoppedReason: "Your Spot Task was interrupted." }, [
      { name: "app" },
    ]);
    expect(judgeTask(spot, judge)).toMatchObject({ cause: "stopped" });
  });
});

describe("refusal", () => {
  it("quotes RunTask's failures with their detail", () => {
    expect(refusal([{ reason: "RESOURCE:ENI" }, { reason: "ATTRIBUTE", detail: "ecs.capability.efs" }])).toEqual({
      cause: "refused",
      reason: "was refused by RunTask: RESOURCE:ENI; ATTRIBUTE: ecs.capability.efs",
    });
    expect(refusal([])).toHaveProperty("reason", "was refused by RunTask: it started no task and gave no reason");
  });
});

describe("stopsOnItsOwn", () => {
  it("is false only for a command container that is not essential, in a task meant to run on", () => {
    const running = task({ lastStatus: "RUNNING", desiredStatus: "RUNNING" }, []);
    expect(stopsOnItsOwn(running, judge)).toBe(true);
    expect(stopsOnItsOwn(running, { target: "job", essential: new Set(["app"]) })).toBe(false);
    const stopping = task({ lastStatus: "RUNNING", desiredStatus: "STOPPED" }, []);
    expect(stopsOnItsOwn(stopping, { target: "job", essential: new Set(["app"]) })).toBe(true);
  });
});
