// When the next look comes: the poll interval's grid, quick looks where ECS is about to move, and a throttled look
// never more than a few seconds past the interval.
import { describe, expect, it } from "vitest";
import { MAX_THROTTLE_EXTRA_MS, NEAR_END_LOOKS, Schedule } from "../../src/rollout/schedule.js";

const calm = { changed: false, nearEnd: false, expected: [] };

describe("Schedule", () => {
  it("keeps to the poll interval's grid, whatever a look cost", () => {
    const s = new Schedule(5000);
    expect(s.next(0, calm)).toBe(5000);
    expect(s.next(5300, calm)).toBe(4700);
    expect(s.next(9999, calm)).toBe(1);
  });

  it("one quick look right after ours moved", () => {
    const s = new Schedule(5000);
    expect(s.next(10_000, { ...calm, changed: true })).toBe(1000);
    expect(s.next(11_000, calm)).toBe(4000);
  });

  it("near the end, a quick look each second for a stretch, then the grid again until something changes", () => {
    const s = new Schedule(5000);
    const near = { ...calm, nearEnd: true };
    const waits: number[] = [];
    let at = 0;
    for (let i = 0; i < 40; i++) {
      const wait = s.next(at, near);
      waits.push(wait);
      at += wait;
    }
    expect(waits.slice(0, NEAR_END_LOOKS).every((w) => w === 1000)).toBe(true);
    expect(waits.slice(NEAR_END_LOOKS + 1).every((w) => w === 5000)).toBe(true);
    expect(s.next(at, { changed: true, nearEnd: true, expected: [] })).toBe(1000);
    expect(s.next(at + 1000, near)).toBe(1000);
  });

  it("around a foreseen moment: from 1.5 s before it to 3 s after, each second", () => {
    const s = new Schedule(5000);
    const expected = [12_600];
    expect(s.next(10_000, { ...calm, expected })).toBe(1100);
    expect(s.next(11_100, { ...calm, expected })).toBe(1000);
    expect(s.next(14_100, { ...calm, expected })).toBe(900);
    // The grid's look at 15 s is the window's last: 3 s after the moment, the grid again.
    expect(s.next(15_000, { ...calm, expected })).toBe(5000);
  });

  it("quiet (a drain only ECS's clock ends): every other grid look, a foreseen moment still first", () => {
    const s = new Schedule(5000);
    expect(s.next(75_000, { ...calm, quiet: true })).toBe(10_000);
    expect(s.next(75_300, { ...calm, quiet: true })).toBe(9700);
    expect(s.next(180_000, { ...calm, quiet: true, expected: [190_400] })).toBe(8900);
  });

  it("with a poll interval of a second, there is nothing quicker", () => {
    const s = new Schedule(1000);
    expect(s.next(0, { changed: true, nearEnd: true, expected: [500] })).toBe(1000);
  });

  it("a throttled look waits the interval and 1, 2, 4, then at most 5 s more; an answer resets it", () => {
    const s = new Schedule(5000);
    const waits = [0, 1, 2, 3, 4].map(() => s.backoff(0));
    expect(waits).toEqual([6000, 7000, 9000, 10_000, 10_000]);
    expect(Math.max(...waits)).toBe(5000 + MAX_THROTTLE_EXTRA_MS);
    expect(s.next(40_000, calm)).toBe(5000);
    expect(s.backoff(45_000)).toBe(6000);
  });
});
