// I/O glue: look now, then as schedule.ts says, until the verdict is in, the deadline passes or the run is cancelled.
// Clock and sleep are injected, so the schedule, backoff and timeout are tested (and benchmarked) without real time.
import { AwsError } from "../aws/errors.js";
import { clock, formatDuration, shortenArns } from "../text/names.js";
import { ABORTED, abortable } from "./abort.js";
import { CallCounter, Throttled } from "./calls.js";
import type { WatchClients } from "./io.js";
import { LogReader } from "./logs.js";
import { poll } from "./poll.js";
import { Schedule } from "./schedule.js";
import { SnapshotSource } from "./snapshot.js";
import { failedContainer } from "./verdict/explain.js";
import { liveNotes } from "./verdict/live-notes.js";
import type {
  FailureCause,
  History,
  Pause,
  Snapshot,
  TimelineEntry,
  Verdict,
  WaitUntil,
  WatchContext,
} from "./verdict/model.js";
import { emptyHistory } from "./verdict/model.js";
import { burst, endIsNear, expectedMoments, quietDrain } from "./verdict/pace.js";
import { changesAt, progressLine } from "./verdict/progress.js";
import { emptyStory, type RolloutStory, tell } from "./verdict/story.js";
import { ecsReportsDone } from "./verdict/success.js";
import { decide, remember, timedOut } from "./verdict/verdict.js";

export interface WatchOptions {
  clients: WatchClients;
  cluster: string;
  service: string;
  /** our deployment: the PRIMARY deployment id from the UpdateService response ("ecs-svc/123…") */
  deploymentId: string;
  /** our revision */
  taskDefinitionArn: string;
  /** our service deployment, when known beforehand (answering a pause hook) */
  serviceDeploymentArn?: string;
  /** the service's currentServiceDeployment before UpdateService (see Target) */
  priorServiceDeployment?: string;
  /** what the service ran before (for "rolled back to revision N") */
  previousTaskDefinitionArn?: string;
  timeoutMs: number;
  pollMs: number;
  maxFailedTasks: number;
  /** `completed` (default) or `live`: see WatchContext */
  waitUntil?: WaitUntil;
  /** our revision's essential containers with a health check: see WatchContext */
  healthChecked?: readonly string[];
  /**
   * One line per change, not per look. Every line quotes AWS's text (events, reasons, names), so print it as
   * untrusted (host.untrusted). ARNs are cut to names already.
   */
  log: (line: string) => void;
  /** A notice worth an annotation (a long drain and how to shorten it). */
  notice?: (text: string) => void;
  /** injected clock (ms) */
  now?: () => number;
  /** injected sleep; must return early when the signal aborts */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export interface WatchResult {
  /** `paused`: a pause hook awaits an answer (the `continue` input, or ContinueServiceDeployment) */
  outcome: "succeeded" | "failed" | "timed-out" | "cancelled" | "paused";
  /** first line: for failures the root cause, in words a developer acts on */
  message: string;
  details: string[];
  cause?: FailureCause;
  /** task definition ARN ECS rolled back to, if it did */
  rolledBackTo?: string;
  timeline: TimelineEntry[];
  /** the clock's time when the wait began (epoch ms with the real clock): where the timeline's 0 is */
  startedAt: number;
  /** the rollout as bars, for the job summary's chart */
  story: RolloutStory;
  polls: number;
  awsCalls: number;
  /** for BLUE_GREEN / LINEAR / CANARY service deployments */
  lifecycleStage?: string;
  /** our service deployment, once proven ours: what StopServiceDeployment and ContinueServiceDeployment take */
  serviceDeploymentArn?: string;
  /** the pause hook that awaits an answer, when the outcome is `paused` */
  pause?: Pause;
  /** a timeout while ECS reports our deployment done (COMPLETED, SUCCESSFUL): never rolled back */
  ecsDone?: "COMPLETED" | "SUCCESSFUL";
}

class Watch {
  private readonly now: () => number;
  private readonly start: number;
  private readonly counter = new CallCounter();
  private readonly source: SnapshotSource;
  private readonly logs: LogReader;
  private readonly ctx: WatchContext;
  private readonly schedule: Schedule;
  private readonly timeline: TimelineEntry[] = [];
  private readonly throttledOnce = new Set<string>();
  private history: History = emptyHistory();
  private story: RolloutStory = emptyStory();
  private last: Snapshot | undefined;
  private progress = "no answer from ECS yet";
  private stage: string | undefined;
  private polls = 0;
  /** the last look saw ours move in a way ECS follows up on */
  private moved = false;
  /** the next look is a quick one */
  private quickNext = false;
  /** every read of the last look answered (a look at the deadline then is the last word) */
  private answered = false;

  constructor(private readonly o: WatchOptions) {
    this.now = o.now ?? Date.now;
    this.start = this.now();
    const io = { clients: o.clients, counter: this.counter, signal: o.signal, callTimeoutMs: callTimeout(o.pollMs) };
    this.source = new SnapshotSource(io, o);
    this.logs = new LogReader(io, o.taskDefinitionArn);
    this.schedule = new Schedule(o.pollMs);
    this.ctx = {
      deploymentId: o.deploymentId,
      taskDefinitionArn: o.taskDefinitionArn,
      previousTaskDefinitionArn: o.previousTaskDefinitionArn,
      maxFailedTasks: o.maxFailedTasks,
      waitUntil: o.waitUntil ?? "completed",
      healthChecked: o.healthChecked,
      // With an injected clock the wait's 0 is no wall-clock time: expiry times are then said without "in …".
      startedAt: o.now ? undefined : this.start,
    };
  }

  private elapsed(): number {
    return this.now() - this.start;
  }

  async run(): Promise<WatchResult> {
    const looked = await poll<Verdict | Throttled | typeof ABORTED>({
      read: () => this.pollOnce(),
      done: (look) => look === ABORTED || (!(look instanceof Throttled) && look.kind !== "pending"),
      every: (look) => (look instanceof Throttled ? this.schedule.backoff(this.elapsed()) : this.nextLook()),
      deadline: this.start + this.o.timeoutMs,
      now: this.now,
      sleep: this.o.sleep,
      signal: this.o.signal,
    });
    if (looked.end === "cancelled" || looked.value === ABORTED) return this.cancelled();
    const { value } = looked;
    if (looked.end === "timed-out" || value instanceof Throttled || value.kind === "pending") return this.timedOut();
    return this.finish(value);
  }

  /** The schedule's next look; a look sooner than the grid's is a quick one (the service alone, unless it moved). */
  private nextLook(): number {
    const at = this.elapsed();
    const snapshot = this.last;
    if (!snapshot) return this.schedule.next(at, { changed: false, nearEnd: false, expected: [] });
    const outlook = {
      changed: this.moved,
      nearEnd: endIsNear(snapshot, this.ctx, this.history),
      expected: expectedMoments(snapshot, this.ctx, this.history),
      quiet: quietDrain(snapshot, this.ctx, this.history),
    };
    const wait = this.schedule.next(at, outlook);
    this.quickNext = wait < this.schedule.regularWait(at);
    return wait;
  }

  private async pollOnce(): Promise<Verdict | Throttled | typeof ABORTED> {
    this.polls++;
    this.answered = false;
    try {
      const verdict = await abortable(this.observe(), this.o.signal);
      for (const note of this.source.takeNotes()) this.note(note);
      // Part of the look throttled: its answers count, and the next look waits longer.
      const partial = this.source.throttled;
      if (verdict !== ABORTED && verdict.kind === "pending" && partial) return this.throttled(partial);
      this.answered = verdict !== ABORTED;
      return verdict;
    } catch (error) {
      if (error instanceof Throttled) return this.throttled(error);
      return this.stopped(error);
    }
  }

  /** Said once per operation: throttling is ECS's normal answer to a busy account, not news on every look. */
  private throttled(error: Throttled): Throttled {
    if (!this.throttledOnce.has(error.operation)) {
      this.throttledOnce.add(error.operation);
      this.note(error.note);
    }
    return error;
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
    const quick = this.quickNext;
    this.quickNext = false;
    let snapshot = await this.source.poll({ at: this.elapsed(), quick });
    let verdict = decide(snapshot, this.ctx, this.history);
    if (verdict.kind !== "pending") {
      // A verdict is final: judge it on fresh tasks and targets, not on what an earlier look cached.
      snapshot = await this.source.confirm(this.elapsed());
      verdict = decide(snapshot, this.ctx, this.history);
    }
    this.record(snapshot);
    if (verdict.kind === "failed") verdict.details.push(...(await this.logLines(snapshot)));
    return verdict;
  }

  private record(snapshot: Snapshot): void {
    const before = this.history;
    this.history = remember(this.history, snapshot, this.ctx);
    // Each change at the time it happened, where ECS dates it (a stage): the rest at this look's.
    const dated = changesAt(this.last, snapshot, this.ctx, this.history);
    this.story = tell(this.story, snapshot, this.ctx, this.history);
    const progress = progressLine(snapshot, this.ctx, this.history);
    const lines: string[] = [];
    if (progress !== this.progress) lines.push(progress);
    const notes = liveNotes(before, this.history, snapshot, this.ctx);
    lines.push(...notes.lines);
    this.progress = progress;
    this.stage = snapshot.serviceDeployment?.lifecycleStage ?? this.stage;
    this.moved = burst(this.last, snapshot, this.ctx);
    this.last = snapshot;
    for (const entry of dated) this.note(entry.text, entry.at);
    for (const line of lines) this.note(line, snapshot.at);
    if (notes.notice) this.o.notice?.(notes.notice);
  }

  private note(text: string, at = this.elapsed()): void {
    this.timeline.push({ at, text });
    this.o.log(`[${clock(at)}] ${shortenArns(text)}`);
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
      startedAt: this.start,
      story: this.story,
      polls: this.polls,
      awsCalls: this.counter.calls,
    };
    if (this.stage) result.lifecycleStage = this.stage;
    const sd = this.last?.serviceDeployment?.serviceDeploymentArn;
    if (sd) result.serviceDeploymentArn = sd;
    return result;
  }

  private finish(verdict: Exclude<Verdict, { kind: "pending" }>): WatchResult {
    const result = this.result(verdict.kind, verdict.message, verdict.details);
    if (verdict.kind === "failed") {
      result.cause = verdict.cause;
      if (verdict.rolledBackTo) result.rolledBackTo = verdict.rolledBackTo;
    }
    if (verdict.kind === "paused") result.pause = verdict.pause;
    return result;
  }

  /**
   * The deadline passed. Read once more first: a rollback follows a timeout, and it must never undo a deployment
   * that ECS completed since the last answered look. The first line says which reads got no answer, and how often:
   * "0/2 healthy" after throttled task reads is a gap in what the wait saw, not a fact about the app.
   */
  private async timedOut(): Promise<WatchResult> {
    const last = await this.lookOnceMore();
    if (last && last.kind !== "pending") return this.finish(last);
    const elapsed = this.elapsed();
    const missed = this.counter.missed();
    if (!this.last) {
      const unanswered = missed ? ` (reads that got no answer: ${missed})` : "";
      const message = `timed out after ${formatDuration(elapsed)} before ECS answered a poll${unanswered}`;
      return { ...this.result("timed-out", message), cause: "timeout" };
    }
    const verdict = timedOut(this.last, this.ctx, this.history, elapsed);
    const done = ecsReportsDone(this.source.latest(elapsed), this.ctx);
    const kept = done ? `; ECS reports the deployment ${done}, so it is not rolled back` : "";
    const details = [...verdict.details, ...(await this.logLines(this.last))];
    // Unanswered reads lead: what the rest says of tasks and targets is as of the last look that got every answer.
    const unanswered = missed ? `reads that got no answer: ${missed} — ` : "";
    const result = this.result("timed-out", `${unanswered}${verdict.message}${kept}`, details);
    return { ...result, cause: "timeout", ...(done ? { ecsDone: done } : {}) };
  }

  /**
   * One more look when the last got no answer: its verdict, or nothing (throttled again, cancelled, an error: the
   * last answers stand).
   */
  private async lookOnceMore(): Promise<Verdict | undefined> {
    if (this.answered || this.o.signal?.aborted) return undefined;
    const verdict = await this.pollOnce();
    if (verdict === ABORTED || verdict instanceof Throttled) return undefined;
    return verdict.kind === "failed" && verdict.cause === "wait-error" ? undefined : verdict;
  }

  private cancelled(): WatchResult {
    const message = `cancelled after ${formatDuration(this.elapsed())} while ${this.progress}; the deployment goes on in ECS`;
    return this.result("cancelled", message);
  }
}

/** A call that takes longer than this is no answer: a few seconds past the poll interval, never less than 8 s. */
function callTimeout(pollMs: number): number {
  return Math.max(pollMs + 5000, 8000);
}

export function watchRollout(options: WatchOptions): Promise<WatchResult> {
  return new Watch(options).run();
}
