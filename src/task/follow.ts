// I/O: one pre-deploy task, from RunTask to its verdict. It looks at the task every poll interval (DescribeTasks),
// prints its container's log lines as they reach CloudWatch Logs (GetLogEvents from a forward token), and stops it
// (StopTask) when it runs past its timeout or the run is cancelled. Clock and sleep are injected, so the schedule
// and the timeout are tested without real time.
import type { RunTaskCommandInput, Task } from "@aws-sdk/client-ecs";
import { describeTaskByArn, runTask, stopTask } from "../aws/ecs-tasks.js";
import { AwsError, awsCall, describeAwsError } from "../aws/errors.js";
import type { LogStream } from "../plan/task-definition/awslogs.js";
import { abortableSleep } from "../rollout/abort.js";
import { CallCounter, call, Throttled } from "../rollout/calls.js";
import { callOptions, type Io, type WatchClients } from "../rollout/io.js";
import { LogTail } from "../rollout/log-tail.js";
import { poll } from "../rollout/poll.js";
import { clock, formatDuration, taskLabel } from "../text/names.js";
import { type FailureCause, type Judge, judgeTask, refusal, stopsOnItsOwn } from "./verdict.js";

/** Lines kept for the verdict's details and the job summary. */
export const LAST_LINES = 20;
/** The last lines of a failed command often reach CloudWatch a second or two after it exits: one more look. */
export const LATE_LINES_MS = 2000;
/** StopTask must answer quickly on cancel: the runner kills the step seconds after its SIGINT. */
const STOP_TIMEOUT_MS = 10_000;
/** RunTask answers within a second; its SDK retries (same clientToken, so no second task) fit in this. */
const RUN_TASK_LIMIT_MS = 30_000;

export interface FollowOptions {
  clients: Pick<WatchClients, "ecs" | "logs" | "logsFor">;
  request: RunTaskCommandInput & { cluster: string };
  judge: Judge;
  /** where the command's container logs, for a task ARN; undefined when it does not log to CloudWatch */
  logStream: (taskArn: string) => LogStream | undefined;
  timeoutMs: number;
  pollMs: number;
  /** the container's log lines, redacted, as they arrive: the app's text, to print as untrusted */
  lines: (lines: string[]) => void;
  /** a line about the task (its state, ECS's reasons): quotes AWS, to print as untrusted */
  note: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export interface FollowResult {
  outcome: "succeeded" | "failed" | "cancelled";
  cause?: FailureCause;
  /** why, after the task's name: `exited with code 1` */
  reason: string;
  exitCode?: number | undefined;
  taskArn?: string;
  /** sidecars, StopTask, logs that could not be read */
  notes: string[];
  lastLines: string[];
  durationMs: number;
  awsCalls: number;
}

type End = Omit<FollowResult, "lastLines" | "durationMs" | "awsCalls" | "taskArn" | "notes">;

class Follow {
  private readonly now: () => number;
  private readonly start: number;
  private readonly counter = new CallCounter();
  private readonly io: Io;
  private readonly kept: string[] = [];
  private readonly notes: string[] = [];
  private taskArn: string | undefined;
  private tail: LogTail | undefined;
  private lastStatus: string | undefined;
  private started = false;
  private throttled = false;

  constructor(private readonly o: FollowOptions) {
    this.now = o.now ?? Date.now;
    this.start = this.now();
    this.io = { clients: o.clients as WatchClients, counter: this.counter, signal: o.signal };
  }

  async run(): Promise<FollowResult> {
    return this.result(await this.follow());
  }

  private async follow(): Promise<End> {
    const started = await this.runTask();
    if ("outcome" in started) return started;
    const deadline = this.start + this.o.timeoutMs;
    // Looks on the poll interval's grid from the start, not an interval after each look.
    let look = 0;
    const untilNext = () => Math.max(0, Math.min(this.start + ++look * this.o.pollMs, deadline) - this.now());
    const looked = await poll({
      first: untilNext(),
      read: () => this.look(started),
      done: (end) => end !== undefined,
      every: untilNext,
      deadline,
      now: this.now,
      sleep: this.o.sleep,
      signal: this.o.signal,
    });
    if (looked.end === "cancelled") return this.cancelled();
    return looked.value ?? this.timedOut();
  }

  /** RunTask, not cancellable: it answers within a second, and a task started must be known to be stopped. */
  private async runTask(): Promise<Task | End> {
    try {
      this.counter.calls++;
      // Its own time limit keeps the run's cancel away from it: a cancel must not lose a task ECS started.
      const options = { abortSignal: AbortSignal.timeout(RUN_TASK_LIMIT_MS) };
      const out = await awsCall("RunTask", () => runTask(this.o.clients.ecs, this.o.request, options));
      if (!out.task?.taskArn) {
        const verdict = refusal(out.failures);
        return { outcome: "failed", cause: "refused", reason: verdict.reason };
      }
      this.taskArn = out.task.taskArn;
      const stream = this.o.logStream(out.task.taskArn);
      this.tail = stream && new LogTail(this.io, stream);
      this.o.note(`${taskLabel(out.task)} started (RunTask); looking at it every ${formatDuration(this.o.pollMs)}`);
      if (!stream) this.say(`${this.o.judge.target} does not log to CloudWatch Logs (awslogs with a stream prefix)`);
      this.observe(out.task);
      return out.task;
    } catch (error) {
      return { outcome: "failed", cause: "error", reason: `could not be started: ${(error as Error).message}` };
    }
  }

  /** One look: the task, and the log lines since the last look (side by side once the container runs). */
  private async look(known: Task): Promise<End | undefined> {
    try {
      const [task] = await Promise.all([this.describe(known), this.started ? this.readLines() : undefined]);
      const wasStarted = this.started;
      this.observe(task);
      if (this.started && !wasStarted) await this.readLines();
      const verdict = judgeTask(task, this.o.judge);
      if (verdict.kind === "pending") return undefined;
      for (const note of verdict.notes) this.say(note);
      await this.readLines();
      if (verdict.kind === "succeeded") {
        await this.stopTheRest(task, "the pre-deploy command finished");
        return { outcome: "succeeded", reason: "exited with code 0", exitCode: 0 };
      }
      await this.stopTheRest(task, "the pre-deploy command failed");
      await this.lateLines();
      return { outcome: "failed", cause: verdict.cause, reason: verdict.reason, exitCode: verdict.exitCode };
    } catch (error) {
      // A cancel aborts the calls in flight: the loop stops the task.
      if (this.o.signal?.aborted) return undefined;
      if (error instanceof Throttled) return this.onThrottled(error);
      const message = error instanceof Error ? error.message : String(error);
      const stop = await this.stop("the deploy could not follow this pre-deploy task");
      return { outcome: "failed", cause: "error", reason: `could not be followed: ${message}; ${stop}` };
    }
  }

  /** The last look's task while ECS does not show it yet: its API is eventually consistent right after RunTask. */
  private async describe(known: Task): Promise<Task> {
    const { cluster } = this.o.request;
    const arn = known.taskArn ?? "";
    const out = await call(this.counter, "DescribeTasks", () =>
      describeTaskByArn(this.o.clients.ecs, cluster, arn, callOptions(this.io)),
    );
    return out.task ?? known;
  }

  private observe(task: Task): void {
    if (task.lastStatus !== this.lastStatus) {
      this.lastStatus = task.lastStatus;
      this.o.note(`[${clock(this.elapsed())}] ${taskLabel(task)} is ${task.lastStatus ?? "not shown yet"}`);
    }
    const running = ["RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"];
    if (task.startedAt || running.includes(task.lastStatus ?? "")) this.started = true;
  }

  private async readLines(): Promise<void> {
    if (!this.tail) return;
    const lines = await this.tail.read();
    for (const note of this.tail.takeNotes()) this.say(note);
    if (lines.length === 0) return;
    this.kept.push(...lines);
    this.kept.splice(0, Math.max(0, this.kept.length - LAST_LINES));
    this.o.lines(lines);
  }

  private async lateLines(): Promise<void> {
    if (!this.tail || this.o.signal?.aborted) return;
    await (this.o.sleep ?? abortableSleep)(LATE_LINES_MS, this.o.signal);
    await this.readLines();
  }

  /** A container that is not essential ran the command: the task's other containers would run on. */
  private async stopTheRest(task: Task, reason: string): Promise<void> {
    if (stopsOnItsOwn(task, this.o.judge)) return;
    this.say(`${this.o.judge.target} is not essential, so the task runs on: ${await this.stop(reason)}`);
  }

  private onThrottled(error: Throttled): undefined {
    if (!this.throttled) this.say(error.note);
    this.throttled = true;
    return undefined;
  }

  private async timedOut(): Promise<End> {
    const limit = formatDuration(this.o.timeoutMs);
    const stop = await this.stop(`the pre-deploy task ran past its timeout of ${limit}`);
    await this.readLines().catch(() => undefined);
    return { outcome: "failed", cause: "timeout", reason: `ran past its timeout of ${limit}: ${stop}` };
  }

  private async cancelled(): Promise<End> {
    const stop = await this.stop("the deploy was cancelled");
    return { outcome: "cancelled", cause: "cancelled", reason: `was cancelled while it ran: ${stop}` };
  }

  /** StopTask with a fresh signal: the run's own may be aborted already (a cancel), and the task must still stop. */
  private async stop(reason: string): Promise<string> {
    if (!this.taskArn) return "no task was started";
    try {
      this.counter.calls++;
      const options = { abortSignal: AbortSignal.timeout(STOP_TIMEOUT_MS) };
      await stopTask(this.o.clients.ecs, this.o.request.cluster, this.taskArn, reason, options);
      return "stopped it (StopTask)";
    } catch (error) {
      const text = error instanceof AwsError ? error.message : describeAwsError("StopTask", error);
      return `could not stop it: ${text}; stop it in the ECS console`;
    }
  }

  private say(line: string): void {
    this.notes.push(line);
    this.o.note(line);
  }

  private elapsed(): number {
    return this.now() - this.start;
  }

  private result(end: End): FollowResult {
    return {
      ...end,
      notes: [...this.notes],
      ...(this.taskArn ? { taskArn: this.taskArn } : {}),
      lastLines: [...this.kept],
      durationMs: this.elapsed(),
      awsCalls: this.counter.calls,
    };
  }
}

export function followPreDeployTask(options: FollowOptions): Promise<FollowResult> {
  return new Follow(options).run();
}
