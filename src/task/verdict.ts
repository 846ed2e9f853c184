// Pure: what a pre-deploy task's state says. Success only when the container that runs the command exited 0; any
// other end is said with its reason, in words a developer acts on. A sidecar that exits non-zero is reported, and
// fails the run only when it was essential and its exit stopped the task under the command.
import type { Container, Failure, Task } from "@aws-sdk/client-ecs";

export type FailureCause =
  | "exited"
  | "never-started"
  | "sidecar"
  | "stopped"
  | "refused"
  | "timeout"
  | "cancelled"
  | "error";

export type TaskVerdict =
  | { kind: "pending" }
  | { kind: "succeeded"; exitCode: 0; notes: string[] }
  | { kind: "failed"; cause: FailureCause; reason: string; exitCode?: number | undefined; notes: string[] };

export interface Judge {
  /** the container that runs the command */
  target: string;
  /** the task definition's essential containers: when one exits, ECS stops the task */
  essential: ReadonlySet<string>;
}

/** Exit codes of a container stopped by a signal (128 + SIGKILL, 128 + SIGTERM): ECS stopping it, not it failing. */
const SIGNALLED = new Set([137, 143]);
/** Stop codes of a task ECS or someone stopped from outside (StopTask, the scheduler, Spot, host retirement). */
const STOPPED_FROM_OUTSIDE = new Set([
  "UserInitiated",
  "ServiceSchedulerInitiated",
  "SpotInterruption",
  "TerminationNotice",
  "InfrastructureHealth",
]);

/**
 * Decided once the command's container has exited (the rest of the task may still be stopping: its exit code is
 * what counts), or once the task is STOPPED; pending before.
 */
export function judgeTask(task: Task, judge: Judge): TaskVerdict {
  const containers = task.containers ?? [];
  const target = containers.find((c) => c.name === judge.target);
  const exited = target?.exitCode !== undefined && (target.lastStatus === "STOPPED" || task.lastStatus === "STOPPED");
  if (!exited && task.lastStatus !== "STOPPED") return { kind: "pending" };
  const notes = sidecarNotes(containers, judge);
  const code = exited ? target?.exitCode : undefined;
  if (code === 0) return { kind: "succeeded", exitCode: 0, notes };
  const failed = (cause: FailureCause, reason: string) => ({
    kind: "failed" as const,
    cause,
    reason,
    exitCode: code,
    notes,
  });
  const killed = code === undefined || SIGNALLED.has(code);
  if (killed && STOPPED_FROM_OUTSIDE.has(task.stopCode ?? "")) {
    return failed("stopped", `was stopped before its command finished: ${stopText(task)}`);
  }
  if (code !== undefined && !killed) return failed("exited", `exited with code ${code}${reasonText(target)}`);
  const culprit = containers.find(
    (c) =>
      c.name !== judge.target &&
      judge.essential.has(c.name ?? "") &&
      c.exitCode !== undefined &&
      !SIGNALLED.has(c.exitCode),
  );
  if (culprit) {
    const was = code === undefined ? "" : ` (${judge.target} was stopped with code ${code})`;
    return failed(
      "sidecar",
      `was stopped by its essential container ${culprit.name}, which exited with code ${culprit.exitCode}${reasonText(culprit)} before the command finished${was}`,
    );
  }
  if (code !== undefined) return failed("exited", `exited with code ${code}${reasonText(target)}`);
  if (task.stopCode === "TaskFailedToStart" || !task.startedAt) {
    return failed("never-started", `never started: ${startFailure(task, target)}`);
  }
  return failed("stopped", `was stopped before its command finished: ${stopText(task)}`);
}

/** ECS's reason for a task that never started: the task's stopped reason, else its container's. */
function startFailure(task: Task, target: Container | undefined): string {
  const reasons = [task.stoppedReason, target?.reason].filter((r): r is string => Boolean(r));
  const reason = reasons.find((r) => /Error|error:/.test(r)) ?? reasons[0] ?? "ECS gave no reason";
  return `${reason} (${task.stopCode ?? "no stop code"})`;
}

function stopText(task: Task): string {
  return `${task.stoppedReason || "ECS gave no reason"}${task.stopCode ? ` (${task.stopCode})` : ""}`;
}

function reasonText(container: Container | undefined): string {
  return container?.reason ? ` (${container.reason})` : "";
}

/** A line for each other container that exited non-zero before the verdict: reported, never the verdict. */
function sidecarNotes(containers: readonly Container[], judge: Judge): string[] {
  return containers
    .filter((c) => c.name !== judge.target && c.exitCode !== undefined && c.exitCode !== 0)
    .map((c) => {
      const kind = judge.essential.has(c.name ?? "") ? "essential container" : "sidecar";
      return `${kind} ${c.name} exited with code ${c.exitCode}${reasonText(c)}`;
    });
}

/** RunTask answered with failures and no task: no capacity, a missing attribute… with ECS's reason and detail. */
export function refusal(failures: readonly Failure[]): { cause: "refused"; reason: string } {
  const reasons = failures.map((f) => [f.reason, f.detail].filter(Boolean).join(": ") || "no reason given");
  const reason = reasons.length > 0 ? reasons.join("; ") : "it started no task and gave no reason";
  return { cause: "refused", reason: `was refused by RunTask: ${reason}` };
}

/** The task's command container stopped, and the task is meant to run on (its container is not essential). */
export function stopsOnItsOwn(task: Task, judge: Judge): boolean {
  return judge.essential.has(judge.target) || task.desiredStatus === "STOPPED" || task.lastStatus === "STOPPED";
}
