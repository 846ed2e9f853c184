// The one retry policy of the calls that change AWS: RegisterTaskDefinition, UpdateService (a deploy, a scale, our
// rollback) and DeregisterTaskDefinition. One deploy in 40 once registered its revision and then stopped on a
// throttled UpdateService; so a throttled or failed (5xx) attempt is tried again, with jitter, for up to a minute.
//
// The SDK's own retries are off for these calls (sendOnce): it would also retry an attempt whose answer was lost (a
// timeout, a dropped connection) after the request may have reached AWS, and a blind second UpdateService starts a
// second deployment, a blind second RegisterTaskDefinition a second identical revision. Here such an attempt is first
// checked against what AWS holds (`check`), and tried again only when it did not take effect.
//
// Clock, sleep and randomness are injected, so the schedule and the budget are tested in milliseconds.
import { type AwsErrorLike, isThrottling } from "./errors.js";

export interface RetryPolicy {
  /** No attempt starts later than this after the first one. */
  budgetMs: number;
  /** The n-th retry waits between half and all of min(maxDelayMs, firstDelayMs·2ⁿ): jittered, never nothing. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** An attempt that has no answer after this long is given up: its answer is lost. */
  attemptTimeoutMs: number;
  /**
   * ECS's reads lag its writes by a few seconds: a check that finds nothing is believed only when a second one, this
   * much later, finds nothing either.
   */
  settleMs: number;
}

/**
 * A minute of retries from the first attempt (about 12 attempts while throttled: ECS refills UpdateService at 5 and
 * RegisterTaskDefinition at 1 call a second per account, so 40 deploys at once all get through), and each attempt
 * 20 s at most: a change ends, at worst, about 80 s after it began.
 */
export const CHANGE_POLICY: RetryPolicy = {
  budgetMs: 60_000,
  firstDelayMs: 500,
  maxDelayMs: 8_000,
  attemptTimeoutMs: 20_000,
  settleMs: 2_000,
};

/**
 * The policy with its waits (budget, back-off, settle) times `scale`, for the end-to-end tests: a scale of at most 1
 * can only shorten them. An attempt's own time limit is kept: a loaded machine's answer must not read as lost.
 */
export function scaledPolicy(scale: number | undefined, policy: RetryPolicy = CHANGE_POLICY): RetryPolicy {
  if (scale === undefined || !(scale > 0 && scale < 1)) return policy;
  const by = (ms: number) => Math.max(1, Math.round(ms * scale));
  return {
    budgetMs: by(policy.budgetMs),
    firstDelayMs: by(policy.firstDelayMs),
    maxDelayMs: by(policy.maxDelayMs),
    attemptTimeoutMs: policy.attemptTimeoutMs,
    settleMs: by(policy.settleMs),
  };
}

export interface RetryDeps {
  now: () => number;
  /** Must return early when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export interface Change<T> {
  /** The AWS service (`ECS`) and the operation as AWS names it, for the lines said and the errors. */
  service: string;
  operation: string;
  /** One attempt: `signal` ends it (its time limit, or the run's cancel). */
  attempt: (signal: AbortSignal) => Promise<T>;
  /**
   * After an attempt whose outcome is unknown: the change as AWS now holds it (in the shape `attempt` returns), or
   * undefined when it was not made. `since` is when the first attempt started. Without a check, the change is
   * idempotent (setting a desired count, deregistering a revision): it is simply tried again.
   */
  check?: (since: number, signal: AbortSignal) => Promise<T | undefined>;
}

export interface ChangeOptions {
  /** The run's cancel: ends the attempt in flight and any wait. */
  signal?: AbortSignal | undefined;
  /**
   * What is worth saying while it happens, at most once a kind per change: `ECS is throttling UpdateService (Rate
   * exceeded): retrying`. The lines quote AWS: print them as untrusted text.
   */
  note?: ((line: string) => void) | undefined;
  /** The policy, and the clock, sleep and randomness it runs on: tests give their own. */
  policy?: RetryPolicy;
  deps?: RetryDeps;
}

/** The run was cancelled during the change. */
export class ChangeCancelled extends Error {
  override name = "ChangeCancelled";
  constructor(
    readonly operation: string,
    /** An attempt may have reached AWS: it was in flight, or its answer was lost and not yet checked. */
    readonly mayHaveReached: boolean,
  ) {
    super(
      mayHaveReached
        ? `cancelled while ${operation} was in flight: it may have reached AWS`
        : `cancelled before AWS accepted ${operation}`,
    );
  }
}

/**
 * throttled: AWS refused the attempt before doing anything. unknown: a 5xx, a time-out or a dropped connection, after
 * which the change may or may not have been made. fatal: AWS refused the request as it is (a 4xx); trying again
 * would not help, nor would anything this module does not recognise.
 */
export type Fault = "throttled" | "unknown" | "fatal";

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

export function faultOf(error: unknown): Fault {
  const e = error as AwsErrorLike & { code?: string; $fault?: string };
  const status = e?.$metadata?.httpStatusCode;
  if (status === 429 || isThrottling(error)) return "throttled";
  if ((status !== undefined && status >= 500) || e?.$fault === "server") return "unknown";
  if (NETWORK_CODES.has(e?.code ?? "") || ["AbortError", "TimeoutError", "RequestTimeout"].includes(e?.name ?? "")) {
    return "unknown";
  }
  return "fatal";
}

const REAL: RetryDeps = { now: Date.now, sleep: abortableSleep, random: Math.random };

/** Runs `spec` until it succeeds, fails for good, runs out of budget or is cancelled. */
export function change<T>(spec: Change<T>, options: ChangeOptions = {}): Promise<T> {
  return new Attempts(spec, options, options.policy ?? CHANGE_POLICY, options.deps ?? REAL).run();
}

class Attempts<T> {
  private readonly start: number;
  private attempts = 0;
  private retries = 0;
  /** The last attempt may have taken effect: check before the next one. */
  private unsure = false;
  /** Checks in a row that found nothing. */
  private absent = 0;
  private readonly said = new Set<string>();
  /** The last attempt's (or check's) own time limit. */
  private limit: AbortSignal | undefined;

  constructor(
    private readonly spec: Change<T>,
    private readonly options: ChangeOptions,
    private readonly policy: RetryPolicy,
    private readonly deps: RetryDeps,
  ) {
    this.start = deps.now();
  }

  async run(): Promise<T> {
    for (;;) {
      if (this.options.signal?.aborted) throw new ChangeCancelled(this.spec.operation, this.unsure);
      const checking = this.unsure && this.spec.check !== undefined;
      try {
        if (!checking) {
          this.attempts += 1;
          return await this.spec.attempt(this.attemptSignal());
        }
        const found = await this.check();
        if (found !== undefined) return found;
        if (!this.unsure) continue;
        await this.wait(this.policy.settleMs, undefined);
      } catch (error) {
        await this.failed(error, checking);
      }
    }
  }

  /** undefined: not made (yet); `unsure` stays set until two checks a settle apart agree. */
  private async check(): Promise<T | undefined> {
    const found = await this.spec.check?.(this.start, this.attemptSignal());
    if (found !== undefined) {
      this.say("found", `the ${this.spec.operation} whose answer was lost had taken effect: going on with it`);
      return found;
    }
    this.absent += 1;
    if (this.absent >= 2) [this.unsure, this.absent] = [false, 0];
    return undefined;
  }

  /** Sorts the failure: throws it when it is final, else says it (once a kind) and waits before the next try. */
  private async failed(thrown: unknown, checking: boolean): Promise<void> {
    const { operation } = this.spec;
    const error = underneath(thrown);
    if (this.options.signal?.aborted || this.abortedFromOutside(error)) {
      throw new ChangeCancelled(operation, this.unsure || !checking);
    }
    const fault = faultOf(error);
    if (fault === "fatal") {
      if (checking) throw checkFailed(operation, error);
      throw error;
    }
    if (fault === "unknown" && !checking) [this.unsure, this.absent] = [true, 0];
    this.sayFault(fault, error, checking);
    await this.wait(this.backoff(), error);
  }

  private sayFault(fault: Fault, error: unknown, checking: boolean): void {
    const { service, operation } = this.spec;
    if (fault === "throttled") {
      const reason = (error as AwsErrorLike)?.message || "Rate exceeded";
      this.say("throttled", `${service} is throttling ${operation} (${reason}): retrying`);
    } else if (checking) {
      this.say("check", `checking whether ${operation} took effect failed (${describe(error)}): trying again`);
    } else {
      const next = this.spec.check ? "checking whether it took effect before retrying" : "retrying";
      this.say("unknown", `${service} gave no answer to ${operation} (${describe(error)}): ${next}`);
    }
  }

  /** Waits `ms`, or throws the last error when the budget would be spent before the next attempt. */
  private async wait(ms: number, error: unknown): Promise<void> {
    const elapsed = this.deps.now() - this.start;
    if (elapsed + ms > this.policy.budgetMs) throw this.exhausted(error, elapsed);
    await this.deps.sleep(ms, this.options.signal);
  }

  private backoff(): number {
    const cap = Math.min(this.policy.maxDelayMs, this.policy.firstDelayMs * 2 ** this.retries);
    this.retries += 1;
    return Math.round(cap / 2 + (cap / 2) * this.deps.random());
  }

  private exhausted(error: unknown, elapsed: number): Error {
    const { operation } = this.spec;
    const base = error as AwsErrorLike | undefined;
    const when = `${this.attempts} attempt(s) in ${Math.round(elapsed / 1000)} s`;
    const unknown = this.unsure ? `; whether the last one took effect is unknown: check in the ECS console` : "";
    const message = `${base?.message ?? `${operation} was not confirmed`} (still failing after ${when}${unknown})`;
    return Object.assign(new Error(message, { cause: error }), {
      name: base?.name ?? "Error",
      ...(base?.$metadata ? { $metadata: base.$metadata } : {}),
    });
  }

  /**
   * Aborted, but not by its time limit: the run's cancel reached the call some other way (the clients carry it on
   * every call, clients.ts). Trying again would only be aborted again.
   */
  private abortedFromOutside(error: unknown): boolean {
    return (error as Error | undefined)?.name === "AbortError" && this.limit?.aborted === false;
  }

  private attemptSignal(): AbortSignal {
    const limit = AbortSignal.timeout(this.policy.attemptTimeoutMs);
    this.limit = limit;
    return this.options.signal ? AbortSignal.any([this.options.signal, limit]) : limit;
  }

  private say(kind: string, line: string): void {
    if (this.said.has(kind)) return;
    this.said.add(kind);
    this.options.note?.(line);
  }
}

function describe(error: unknown): string {
  const e = error as AwsErrorLike & { code?: string };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name && e.name !== "Error" ? e.name : (e?.code ?? "Error");
  const message = e?.message && e.message !== name ? `: ${e.message}` : "";
  return `${status && status >= 500 ? `${status} ` : ""}${name}${message}`;
}

function checkFailed(operation: string, error: unknown): Error {
  const e = error as AwsErrorLike | undefined;
  const message =
    `the answer to ${operation} was lost, and checking whether it took effect failed (${describe(error)}): ` +
    "look at the service in the ECS console before re-running";
  return Object.assign(new Error(message, { cause: error }), { name: e?.name ?? "Error" });
}

/** Sleeps `ms`, or less if the signal aborts: cancellation must not wait out a retry's pause or a poll interval. */
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

// The SDK's retries, off for one command: its retry step sees an error it does not retry (a client error without
// a status), and the error underneath is handed back once the SDK has given up. The step runs inside the SDK's retry
// step, on every attempt the SDK would make.
const UNDERNEATH = Symbol("the error the SDK did not retry");

interface WithStack {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: "finalizeRequest"; priority: "low"; name: string },
    ): void;
  };
}

/** `command`, sent once by the SDK whatever the client's retry settings: `change` decides what is tried again. */
export function once<C>(command: C): C {
  (command as unknown as WithStack).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw Object.assign(new Error("not retried by the SDK"), { name: "NotRetried", [UNDERNEATH]: error });
      }
    },
    { step: "finalizeRequest", priority: "low", name: "deployActionSendOnce" },
  );
  return command;
}

/**
 * The answer to a read sent `once` whose caller tries again on its own terms (the wait's next poll), or the error as
 * AWS gave it: `await asSent(ecs.send(once(command), options))`.
 */
export async function asSent<T>(sending: Promise<T>): Promise<T> {
  try {
    return await sending;
  } catch (error) {
    throw underneath(error);
  }
}

/** The error an attempt of a `once` command failed with. */
export function underneath(error: unknown): unknown {
  return (error as { [UNDERNEATH]?: unknown } | undefined)?.[UNDERNEATH] ?? error;
}
