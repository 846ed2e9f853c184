// Every AWS call of the wait goes through here: counted (for the summary and the benchmark), cancellable, and its
// errors sorted into what the poller does with them. Throttling is no news, not a failure: a long wait must not
// die on ThrottlingException. Access and credential errors stop the wait with what to change.
import { AwsError, type AwsErrorLike, describeAwsError, isCredentialsError, isThrottling } from "../aws/errors.js";

/** This poll got no answer because AWS throttled it (or did not answer in time): back off and ask again. */
export class Throttled extends Error {
  override name = "Throttled";
  constructor(
    /** the operation, as AWS names it */
    readonly operation: string,
    /** what to print, once per operation: `ECS is throttling DescribeServices (Rate exceeded): retrying` */
    readonly note: string,
    /** how it went unanswered, for the timeout's tally */
    readonly how: "throttled" | "late" = "throttled",
  ) {
    super(note);
  }
}

/** The operation does not exist on this endpoint (older regions, local emulators): use the fallback. */
export class Unsupported extends Error {
  override name = "Unsupported";
}

/**
 * A server error on a call that the SDK does not retry (sent `once`, aws/retry.ts): no answer this poll, ask again the next one.
 * One 503 must not be taken for "this API does not exist": that would switch off the service deployment checks
 * for the rest of the wait.
 */
export class Unavailable extends Error {
  override name = "Unavailable";
}

export class CallCounter {
  calls = 0;
  /** reads that got no answer, by operation and how: `DescribeTasks throttled` → 6 */
  readonly unanswered = new Map<string, number>();

  miss(error: Throttled): void {
    const key = `${error.operation} ${error.how}`;
    this.unanswered.set(key, (this.unanswered.get(key) ?? 0) + 1);
  }

  /** `DescribeTasks throttled 6 times, DescribeTargetHealth late once`, or "" when every read answered. */
  missed(): string {
    const times = (n: number) => (n === 1 ? "once" : `${n} times`);
    return [...this.unanswered].map(([key, n]) => `${key} ${times(n)}`).join(", ");
  }
}

export interface CallOptions {
  /** The operation may be missing on this endpoint: callers with a fallback ask for Unsupported / Unavailable. */
  mayBeUnsupported?: boolean;
}

const UNSUPPORTED = /UnknownOperation|NotImplemented|InvalidAction|UnsupportedOperation/;

interface ServerErrorLike extends AwsErrorLike {
  $fault?: string;
}

export function isUnsupported(error: unknown): boolean {
  const e = error as AwsErrorLike;
  const status = e?.$metadata?.httpStatusCode;
  if (UNSUPPORTED.test(e?.name ?? "") || status === 404) return true;
  // moto answers an operation it lacks with an HTML page and status 500: the SDK's JSON parser then throws a
  // SyntaxError carrying only $metadata. AWS's own 5xx errors are JSON with an exception name: those pass.
  return status === 500 && e?.name === "SyntaxError";
}

function isServerError(error: unknown): boolean {
  const e = error as ServerErrorLike;
  return (e?.$metadata?.httpStatusCode ?? 0) >= 500 || e?.$fault === "server";
}

function errorText(error: unknown): string {
  const e = error as AwsErrorLike;
  return `${e?.name ?? "Error"}: ${e?.message ?? String(error)}`;
}

function credentialsMessage(operation: string, error: unknown): string {
  const e = error as AwsErrorLike;
  return (
    `AWS credentials expired or missing while waiting for the rollout (${operation}: ${e?.name}: ${e?.message}). ` +
    "The deployment goes on in ECS. Role sessions last 1 hour by default: raise role-duration-seconds in " +
    "aws-actions/configure-aws-credentials above wait-timeout."
  );
}

const SERVICES: Record<string, string> = {
  DescribeTargetHealth: "Elastic Load Balancing",
  DescribeTargetGroups: "Elastic Load Balancing",
  DescribeTargetGroupAttributes: "Elastic Load Balancing",
  GetLogEvents: "CloudWatch Logs",
};

/**
 * The call's own time limit ended it (see callOptions): no answer this poll. An abort by the run's cancel lands here
 * too, but the poller has stopped listening by then (it returns `cancelled` at once).
 */
function timedOutCall(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === "AbortError" || name === "TimeoutError";
}

export function classify(operation: string, error: unknown, options: CallOptions = {}): Error {
  const service = SERVICES[operation] ?? "ECS";
  if (isThrottling(error)) {
    const message = (error as AwsErrorLike)?.message || "Rate exceeded";
    return new Throttled(operation, `${service} is throttling ${operation} (${message}): retrying`);
  }
  if (timedOutCall(error)) {
    return new Throttled(
      operation,
      `${service} did not answer ${operation} in time (the SDK retries throttled calls): retrying`,
      "late",
    );
  }
  if (options.mayBeUnsupported && isUnsupported(error)) return new Unsupported(`${operation} is not supported here`);
  if (options.mayBeUnsupported && isServerError(error))
    return new Unavailable(`${operation} failed: ${errorText(error)}`);
  if (isCredentialsError(error)) return new AwsError(credentialsMessage(operation, error), error);
  return new AwsError(`${describeAwsError(operation, error)} (while waiting for the rollout)`, error);
}

/** The AWS error name behind an error `call` threw (`InvalidParameterException`). */
export function awsErrorName(error: unknown): string | undefined {
  return ((error as Error)?.cause as AwsErrorLike | undefined)?.name;
}

/** Runs one AWS call, counted, with its errors classified. */
export async function call<T>(
  counter: CallCounter,
  operation: string,
  send: () => Promise<T>,
  options: CallOptions = {},
): Promise<T> {
  counter.calls++;
  try {
    return await send();
  } catch (error) {
    const classified = classify(operation, error, options);
    if (classified instanceof Throttled) counter.miss(classified);
    throw classified;
  }
}
