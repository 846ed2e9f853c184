// The one polling loop, on a fake clock: every wait on AWS (the watcher, a staged rollback, the answered pause
// showing through, a pre-deploy task) ends in milliseconds here, its schedule, deadline and cancel all observable.
import { describe, expect, it } from "vitest";
import { poll } from "../../src/rollout/poll.js";
import { fakeClock } from "../support/aws.js";

/** A read that answers the given values in turn, the last one for ever after. */
function reads<T>(...values: T[]) {
  let i = 0;
  const read = async () => values[Math.min(i++, values.length - 1)] as T;
  return { read, count: () => i };
}

describe("poll", () => {
  it("reads at once, then every interval, until done: the last look is the value", async () => {
    const clock = fakeClock();
    const r = reads("a", "b", "done");
    const end = await poll({ ...r, done: (v) => v === "done", every: 2000, deadline: 60_000, ...clock });
    expect(end).toEqual({ end: "done", value: "done" });
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(r.count()).toBe(3);
  });

  it("asks the schedule for each wait, given what the look saw", async () => {
    const clock = fakeClock();
    const r = reads(1, 5, 0);
    await poll({ ...r, done: (v) => v === 0, every: (v) => v * 1000, deadline: 60_000, ...clock });
    expect(clock.sleeps).toEqual([1000, 5000]);
  });

  it("never sleeps past the deadline, and says timed-out with the last look", async () => {
    const clock = fakeClock();
    const end = await poll({ ...reads("pending"), done: () => false, every: 4000, deadline: 10_000, ...clock });
    expect(end).toEqual({ end: "timed-out", value: "pending" });
    expect(clock.sleeps).toEqual([4000, 4000, 2000]);
    expect(clock.now()).toBe(10_000);
  });

  it("waits `first` before the first look, on the same clock", async () => {
    const clock = fakeClock();
    await poll({ ...reads("done"), done: () => true, every: 1000, first: 3000, deadline: 60_000, ...clock });
    expect(clock.sleeps).toEqual([3000]);
  });

  it("a cancel ends the wait before the next look, with what the last look saw", async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let looks = 0;
    const read = async () => {
      if (++looks === 2) controller.abort();
      return looks;
    };
    const end = await poll({
      read,
      done: () => false,
      every: 1000,
      deadline: 60_000,
      ...clock,
      signal: controller.signal,
    });
    expect(end).toEqual({ end: "cancelled", value: 2 });
    expect(looks).toBe(2);
  });

  it("cancelled before it starts: no look at all", async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    controller.abort();
    const r = reads("x");
    const end = await poll({
      ...r,
      done: () => true,
      every: 1000,
      deadline: 60_000,
      ...clock,
      signal: controller.signal,
    });
    expect(end).toEqual({ end: "cancelled", value: undefined });
    expect(r.count()).toBe(0);
  });

  it("the real sleep returns at once on a cancel: a 10-minute interval does not hold the step", async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 10);
    const end = await poll({
      read: async () => "pending",
      done: () => false,
      every: 600_000,
      deadline: Date.now() + 3_600_000,
      signal: controller.signal,
    });
    expect(end.end).toBe("cancelled");
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
