// I/O glue: poll now, then every pollMs, until the verdict is in, the deadline passes or the run is cancelled.
// Clock and sleep are injected, so the schedule, backoff and timeout are tested (and benchmarked) without real time.
import { AwsError } from "../aws/errors.js";
import { clock, formatDuration } from "../text/names.js";
import { CallCounter, Throttled } from "./calls.js";
import type { WatchClients } from "./io.js";
import { LogReader } from "./logs.js";
import { SnapshotSource } from "./snapshot.js";
import { failedContainer } from "./verdict/explain.js";
import type { FailureCause, History, Snapshot, TimelineEntry, Verdict, WatchContext } from "./verdict/model.js";
import { emptyHistory } from "./verdict/model.js";
import { changes, progressLine } from "./verdict/progress.js";
import { decide, remember, timedOut } from "./verdict/verdict.js";

export interface WatchOptions {
  clients: WatchClients;
  cluster: string;
  service: string;
  /** our deployment: the PRIMARY deployment id from the UpdateService response ("ecs-svc/123…") */
  deploymentId: string;
  /** our revision */
  taskDefinitionArn: string;
  /** what the service ran before (for "rolled back to revision N") */
  previousTaskDefinitionArn?: string;
  timeoutMs: number;
  pollMs: number;
  maxFailedTasks: number;
  /** one line per change, not per poll */
  log: (line: string) => void;
  /** injected clock (ms) */
  now?: () => number;
  /** injected sleep; must return early when the signal aborts */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export interface WatchResult {
  outcome: "succeeded" | "failed" | "timed-out" | "cancelled";
  /** first line: for failures the root cause, in words a developer acts on */
  message: string;
  details: string[];
  cause?: FailureCause;
  /** task definition ARN ECS rolled back to, if it did */
  rolledBackTo?: string;
  timeline: TimelineEntry[];
  polls: number;
  awsCalls: number;
  /** for BLUE_GREEN / LINEAR / CANARY service deployments */
  lifecycleStage?: string;
}

/** Throttled polls back off up to this; the first poll that gets through resets to pollMs. */
export const MAX_BACKOFF_MS = 60_000;

const ABORTED = Symbol("aborted");
const THROTTLED = Symbol("throttled");

/** Sleeps `ms`, or less if the signal aborts: cancellation must not wait out a poll interval. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Settles with `work`, or with ABORTED as soon as the signal fires (the call in flight is left to fail). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

class Watch {
  private readonly now: () => number;
  private readonly start: number;
  private readonly counter = new CallCounter();
  private readonly source: SnapshotSource;
  private readonly logs: LogReader;
  private readonly ctx: WatchContext;
  private readonly timeline: TimelineEntry[] = [];
  private history: History = emptyHistory();
  private last: Snapshot | undefined;
  private progress = "no answer from ECS yet";
  private stage: string | undefined;
  private polls = 0;

  constructor(private readonly o: WatchOptions) {
    this.now = o.now ?? Date.now;
    this.start = this.now();
    const io = { clients: o.clients, counter: this.counter, signal: o.signal };
    this.source = new SnapshotSource(io, o);
    this.logs = new LogReader(io, o.taskDefinitionArn);
    this.ctx = {
      deploymentId: o.deploymentId,
      taskDefinitionArn: o.taskDefinitionArn,
      previousTaskDefinitionArn: o.previousTaskDefinitionArn,
      maxFailedTasks: o.maxFailedTasks,
    };
  }

  private elapsed(): number {
    return this.now() - this.start;
  }

  async run(): Promise<WatchResult> {
    const sleep = this.o.sleep ?? abortableSleep;
    const deadline = this.start + this.o.timeoutMs;
    let interval = this.o.pollMs;
    for (;;) {
      if (this.o.signal?.aborted) return this.cancelled();
      const verdict = await this.pollOnce();
      if (verdict === ABORTED) return this.cancelled();
      if (verdict === THROTTLED) {
        interval = Math.max(this.o.pollMs, Math.min(interval * 2, MAX_BACKOFF_MS));
        this.note(`AWS throttled this poll: next one in ${formatDuration(interval)}`);
      } else if (verdict.kind !== "pending") {
        return this.finish(verdict);
      } else {
        interval = this.o.pollMs;
      }
      const left = deadline - this.now();
      if (left <= 0) return this.timedOut();
      await sleep(Math.min(interval, left), this.o.signal);
    }
  }

  private async pollOnce(): Promise<Verdict | typeof ABORTED | typeof THROTTLED> {
    this.polls++;
    try {
      const verdict = await abortable(this.observe(), this.o.signal);
      for (const note of this.source.takeNotes()) this.note(note);
      // Part of the poll throttled: its answers count, and the next poll waits longer.
      if (verdict !== ABORTED && verdict.kind === "pending" && this.source.throttled) return THROTTLED;
      return verdict;
    } catch (error) {
      if (error instanceof Throttled) return THROTTLED;
      return this.stopped(error);
    }
  }

  /**
   * AccessDenied, expired credentials, an unknown error: the wait cannot go on, but what it saw so far is kept.
   * The first line stays the error's own (it names what to grant or renew). Never a rollback (see wait.ts): the
   * rollout itself may be fine.
   */
  private stopped(error: unknown): Verdict {
    const text = error instanceof Error ? error.message : String(error);
    const message = error instanceof AwsError ? text : `the wait stopped on an unexpected error: ${text}`;
    const details = [
      `where the rollout stood: ${this.progress}`,
      "the deployment goes on in ECS: follow it in the console",
    ];
    return { kind: "failed", cause: "wait-error", message, details };
  }

  private async observe(): Promise<Verdict> {
    let snapshot = await this.source.poll(this.elapsed());
    let verdict = decide(snapshot, this.ctx, this.history);
    if (verdict.kind !== "pending") {
      // A verdict is final: judge it on fresh tasks and targets, not on what an earlier poll cached.
      snapshot = await this.source.confirm(this.elapsed());
      verdict = decide(snapshot, this.ctx, this.history);
    }
    this.record(snapshot);
    if (verdict.kind === "failed") verdict.details.push(...(await this.logLines(snapshot)));
    return verdict;
  }

  private record(snapshot: Snapshot): void {
    const lines = changes(this.last, snapshot, this.ctx);
    this.history = remember(this.history, snapshot, this.ctx);
    const progress = progressLine(snapshot, this.ctx, this.history);
    if (progress !== this.progress) lines.push(progress);
    this.progress = progress;
    this.stage = snapshot.serviceDeployment?.lifecycleStage ?? this.stage;
    this.last = snapshot;
    for (const line of lines) this.note(line, snapshot.at);
  }

  private note(text: string, at = this.elapsed()): void {
    this.timeline.push({ at, text });
    this.o.log(`[${clock(at)}] ${text}`);
  }

  private async logLines(snapshot: Snapshot): Promise<string[]> {
    const failed = failedContainer(snapshot, this.history);
    return failed ? this.logs.lastLines(failed.task, failed.containerName) : [];
  }

  private result(outcome: WatchResult["outcome"], message: string, details: string[] = []): WatchResult {
    // Logged as soon as it is reached: a rollback may follow, and the reason must not wait for it.
    this.note(`${outcome}: ${message}`);
    const result: WatchResult = {
      outcome,
      message,
      details,
      timeline: this.timeline,
      polls: this.polls,
      awsCalls: this.counter.calls,
    };
    if (this.stage) result.lifecycleStage = this.stage;
    return result;
  }

  private finish(verdict: Exclude<Verdict, { kind: "pending" }>): WatchResult {
    const result = this.result(verdict.kind, verdict.message, verdict.details);
    if (verdict.kind === "failed") {
      result.cause = verdict.cause;
      if (verdict.rolledBackTo) result.rolledBackTo = verdict.rolledBackTo;
    }
    return result;
  }

  private async timedOut(): Promise<WatchResult> {
    const elapsed = this.elapsed();
    if (!this.last) {
      const message = `timed out after ${formatDuration(elapsed)} before ECS answered a poll (AWS throttled every one)`;
      return { ...this.result("timed-out", message), cause: "timeout" };
    }
    const verdict = timedOut(this.last, this.ctx, this.history, elapsed);
    const details = [...verdict.details, ...(await this.logLines(this.last))];
    return { ...this.result("timed-out", verdict.message, details), cause: "timeout" };
  }

  private cancelled(): WatchResult {
    const message = `cancelled after ${formatDuration(this.elapsed())} while ${this.progress}; the deployment goes on in ECS`;
    return this.result("cancelled", message);
  }
}

export function watchRollout(options: WatchOptions): Promise<WatchResult> {
  return new Watch(options).run();
}
