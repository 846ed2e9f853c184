// Issue 21.6 (the reading side) and 21.2: scripted rollouts on ECS's timings (a task runs 35 s after it is created,
// its target is healthy 30 s later, 120 s of drain; scripts/lib/scenarios.mjs), played on the fake clock. Each
// state a target of ours goes through is read within a poll of the moment the script changes it; the quiet drain,
// read every other poll, still ends within a second of ECS's COMPLETED, and a crash in it within a poll.
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { scriptedWatch } from "../support/scripted.js";

const POLL_MS = 5000;

/** The moment (ms of the wait) of the first log line matching `pattern`, and how many lines match. */
function seen(log: string[], pattern: RegExp): { at: number; lines: number } {
  const lines = log.filter((l) => pattern.test(l));
  const [, m = "0", s = "0"] = /^\[(\d+):(\d+)\]/.exec(lines[0] ?? "") ?? [];
  return { at: lines.length ? (Number(m) * 60 + Number(s)) * 1000 : Number.NaN, lines: lines.length };
}

/** Seen at or after `changedAt` (script ms) and within one poll of it, once per target. */
function expectSeenWithinAPoll(log: string[], pattern: RegExp, changedAt: number, targets = 2) {
  const { at, lines } = seen(log, pattern);
  expect(lines, `${pattern}`).toBe(targets);
  // Log lines carry whole seconds: the look came at or after the change, the printed second may round it down.
  expect(at).toBeGreaterThanOrEqual(Math.floor(changedAt / 1000) * 1000);
  expect(at).toBeLessThanOrEqual(changedAt + POLL_MS);
}

describe("targets' states as they change, on ECS's timings", () => {
  it("a pair of failing targets shows unhealthy, then draining, each within a poll, and the verdict names the checks", async () => {
    const { options, log, scenario } = scriptedWatch("failing-health-checks-ecs-timings");
    const result = await watchRollout(options);
    expect(result.outcome).toBe("failed");
    expect(result.message).toMatch(/^health checks failed in app-tg: GET \/_health on port 80 answered 404/);
    // The first wave's targets register at 38 s, fail their second check at 58 s; ECS stops their tasks at 63 s.
    expectSeenWithinAPoll(
      log,
      /10\.0\.1\.1[01]:80 in app-tg initial → unhealthy \(Target\.ResponseCodeMismatch/,
      58_000,
    );
    expectSeenWithinAPoll(log, /10\.0\.1\.1[01]:80 in app-tg unhealthy → draining/, 63_000);
    // The second wave (created at 65.4 s) the same way, up to the verdict.
    expectSeenWithinAPoll(log, /10\.0\.1\.1[23]:80 in app-tg initial → unhealthy/, 120_400);
    expectSeenWithinAPoll(log, /10\.0\.1\.1[23]:80 in app-tg unhealthy → draining/, scenario.terminalAt * 1000);
    expect((result.timeline.at(-1)?.at ?? 0) - scenario.terminalAt * 1000).toBeLessThanOrEqual(1000);
  });

  it("crashed tasks' targets show initial → draining within a poll of the crash, though no task of ours runs", async () => {
    const { options, log, scenario } = scriptedWatch("crash-loop-ecs-timings");
    const result = await watchRollout(options);
    expect(result.message).toMatch(/^container app exited with code 1/);
    // The first wave runs at 38 s and exits at 46 s.
    expectSeenWithinAPoll(log, /10\.0\.1\.1[01]:80 in app-tg initial → draining/, 46_000);
    expectSeenWithinAPoll(log, /10\.0\.1\.1[23]:80 in app-tg initial → draining/, scenario.terminalAt * 1000);
  });

  it("a healthy rollout: PENDING while tasks start, healthy within a poll of ELB's third check, each change once", async () => {
    const { options, log } = scriptedWatch("healthy-ecs-timings");
    const result = await watchRollout(options);
    expect(result.outcome).toBe("succeeded");
    // PROVISIONING until 15 s (no count shows it end): read on a 15 s clock while one provisions.
    const pending = seen(log, /task 3f2a9c1[01]… PROVISIONING → PENDING/);
    expect(pending.lines).toBe(2);
    expect(pending.at).toBeLessThanOrEqual(30_000);
    expectSeenWithinAPoll(log, /10\.0\.1\.1[01]:80 in app-tg initial → healthy/, 68_000);
    expectSeenWithinAPoll(log, /10\.0\.2\.111:80 in app-tg healthy → draining/, 70_400, 1);
  });
});

describe("the old revision's drain, read every other poll", () => {
  it("looks every 10 s while only ECS's clock can end it, and succeeds within a second of COMPLETED", async () => {
    const { options, clock, scenario } = scriptedWatch("healthy-ecs-timings");
    const result = await watchRollout(options);
    const verdictAt = result.timeline.at(-1)?.at ?? 0;
    expect(verdictAt - scenario.terminalAt * 1000).toBeGreaterThanOrEqual(0);
    expect(verdictAt - scenario.terminalAt * 1000).toBeLessThanOrEqual(1000);
    // From the drain's start (70.4 s) until 1.5 s before its foreseen end (190.4 s): one look every two polls.
    let at = 0;
    const draining: number[] = [];
    for (const wait of clock.sleeps) {
      if (at >= 75_000 && at < 185_000) draining.push(wait);
      at += wait;
    }
    expect(draining.length).toBeGreaterThan(5);
    expect(draining.every((w) => w === 2 * POLL_MS)).toBe(true);
  });

  it("both our tasks crashing mid-drain fail it within a poll when that is max-failed-tasks (every poll then)", async () => {
    const { options, scenario, clock } = scriptedWatch("crash-while-draining-ecs-timings");
    const result = await watchRollout({ ...options, maxFailedTasks: 2 });
    expect(result.outcome).toBe("failed");
    expect(result.message).toMatch(/^container app exited with code 1 — 2 tasks of revision 2 stopped/);
    const verdictAt = result.timeline.at(-1)?.at ?? 0;
    expect(verdictAt - scenario.terminalAt * 1000).toBeGreaterThanOrEqual(0);
    expect(verdictAt - scenario.terminalAt * 1000).toBeLessThanOrEqual(POLL_MS);
    expect(clock.sleeps.some((w) => w > POLL_MS)).toBe(false);
  });

  it("with max-failed-tasks above our count, the same crash is no verdict: it shows at the next look", async () => {
    const { options, log } = scriptedWatch("crash-while-draining-ecs-timings");
    await watchRollout({ ...options, timeoutMs: 150_000 });
    const crash = seen(log, /task 3f2a9c10… .*STOPPED: Essential container in task exited/);
    expect(crash.lines).toBe(1);
    expect(crash.at).toBeLessThanOrEqual(125_300 + 2 * POLL_MS);
  });
});
