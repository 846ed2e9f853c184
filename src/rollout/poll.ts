// The one loop that waits on AWS: read, judge, sleep on the injected clock until done, the deadline or a cancel.
// Every wait (the rollout watcher, a staged rollback, the answered pause showing through) goes through it, so a unit
// test drives any of them in milliseconds and none hides a plain setTimeout that a cancel cannot cut short.
import { abortableSleep } from "./abort.js";

export interface PollOptions<T> {
  /** one look at AWS */
  read: () => Promise<T>;
  /** the look says the wait is over */
  done: (value: T) => boolean;
  /** ms from this look to the next: a fixed interval, or the schedule's answer for what the look saw */
  every: number | ((value: T) => number);
  /** ms to wait before the first look (a task just started has nothing to show yet); none by default */
  first?: number;
  /** clock time (ms) past which no look starts */
  deadline: number;
  now?: (() => number) | undefined;
  /** must return early when the signal aborts */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
}

/** How the wait ended, with the last look (none when cancelled before the first). */
export type PollEnd<T> =
  | { end: "done"; value: T }
  | { end: "timed-out"; value: T }
  | { end: "cancelled"; value: T | undefined };

export async function poll<T>(o: PollOptions<T>): Promise<PollEnd<T>> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  let value: T | undefined;
  if (o.first && o.first > 0) await sleep(Math.min(o.first, o.deadline - now()), o.signal);
  for (;;) {
    if (o.signal?.aborted) return { end: "cancelled", value };
    const read = await o.read();
    value = read;
    if (o.done(read)) return { end: "done", value: read };
    const left = o.deadline - now();
    if (left <= 0) return { end: "timed-out", value: read };
    await sleep(Math.min(typeof o.every === "number" ? o.every : o.every(read), left), o.signal);
  }
}
