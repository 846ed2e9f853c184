// Cancelling: the runner's SIGINT must end the step within a second, so no sleep waits out its interval and no
// call in flight is waited for (the SDK aborts it through the same signal).

export const ABORTED = Symbol("aborted");

// One sleep for the retries of changes and the looks of the wait.
export { abortableSleep } from "../aws/retry.js";

/** Settles with `work`, or with ABORTED as soon as the signal fires (the call in flight is aborted by the SDK). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
