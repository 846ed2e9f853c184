// Rollouts timed as ECS times them (fixtures written second by second, not on the poll grid): a target goes
// unhealthy and its task is stopped between two polls; the old targets stay healthy until ours are; the old revision
// drains for a 300 s deregistration delay. On each: the first line, the progress printed, the calls made, and how
// soon after ECS's terminal state the verdict comes.
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { fakeClock, mockAws, scenarioWatch, serveScenario, watchOptions } from "../support/aws.js";
import { loadScenario } from "../support/scenario.js";

/** AWS calls per minute of waiting, as the bench counts them. */
const perMinute = (calls: number, ms: number) => calls / (ms / 60_000);
const progress = (log: string[]) => log.filter((l) => /\] \d+\/\d+ running/.test(l));

describe("a health check failing between two polls", () => {
  it("names the group, request, port, codes and matcher from ECS's event, though no poll saw a target unhealthy", async () => {
    const { aws, options, log } = scenarioWatch("elb-unhealthy-between-polls");
    const result = await watchRollout(options);
    // The service's breaker (rollback on, threshold 3 of 2 tasks) counts the same 4 failures: ECS rolls back, we don't.
    expect(result).toMatchObject({ outcome: "failed", cause: "circuit-breaker" });
    expect(result.message).toBe(
      "health checks failed in web-tg: GET /health on port 8080 answered 404 (healthy is 200) — 4 tasks of revision 2 stopped (max-failed-tasks: 3); the deployment circuit breaker is rolling back to revision 1",
    );
    expect(result.rolledBackTo).toBe(
      scenarioWatch("elb-unhealthy-between-polls").scenario.context.previousTaskDefinitionArn,
    );
    // Every DescribeTargetHealth answer showed our targets initial or draining, never unhealthy.
    const answers = await Promise.all(aws.elb.commandCalls(DescribeTargetHealthCommand).map((c) => c.returnValue));
    const states = answers.flatMap((a) => (a.TargetHealthDescriptions ?? []).map((t) => t.TargetHealth?.State));
    expect(states.length).toBeGreaterThan(4);
    expect(states).toContain("initial");
    expect(states).not.toContain("unhealthy");
    expect(log.some((l) => / in web-tg .*→ unhealthy/.test(l))).toBe(false);
    // No line a person reads holds an ARN.
    expect(log.filter((l) => l.includes("arn:aws"))).toEqual([]);
  });

  it("never says the old revision drains: its targets stayed healthy the whole time", async () => {
    const { options, log } = scenarioWatch("elb-unhealthy-between-polls");
    await watchRollout(options);
    const lines = progress(log);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => l.endsWith("old revision serving"))).toBe(true);
  });

  it("looks when the next tasks are due to fail like the first ones: the verdict within a second, under 25 calls a minute", async () => {
    const { options, aws } = scenarioWatch("elb-unhealthy-between-polls");
    const result = await watchRollout(options);
    const verdictAt = result.timeline.at(-1)?.at ?? 0;
    // The 3rd and 4th tasks stop at 126.6 s.
    expect(verdictAt - 126_600).toBeGreaterThanOrEqual(0);
    expect(verdictAt - 126_600).toBeLessThanOrEqual(1000);
    expect(perMinute(aws.calls(), verdictAt)).toBeLessThanOrEqual(25);
  });
});

describe("a healthy rollout whose old revision drains for 300 s", () => {
  it("completed: marks the moment it went live, notices the long drain, and succeeds within a second of COMPLETED", async () => {
    const { options, aws, log } = scenarioWatch("healthy-drain-300s");
    const notices: string[] = [];
    const result = await watchRollout({ ...options, notice: (n) => notices.push(n) });
    expect(result).toMatchObject({
      outcome: "succeeded",
      message: "revision 2 is live: 2/2 running · 2/2 healthy in web-tg",
    });
    const verdictAt = result.timeline.at(-1)?.at ?? 0;
    expect(verdictAt - 361_500).toBeGreaterThanOrEqual(0);
    expect(verdictAt - 361_500).toBeLessThanOrEqual(1000);
    expect(log).toContain(
      "[1:00] revision 2 is live: it serves every request (2/2 healthy in web-tg); the old revision's targets drain",
    );
    expect(notices).toEqual([
      "revision 2 is live, but ECS calls the deployment complete only after the old revision has drained from web-tg " +
        "for its deregistration delay (5m). To wait less, lower deregistration_delay.timeout_seconds on the target " +
        "group to what its requests need, or set wait-until: live.",
    ]);
    expect(perMinute(aws.calls(), verdictAt)).toBeLessThanOrEqual(15);
  });

  it("the old revision serves until ECS deregisters it, then drains: one progress line per change, none per poll", async () => {
    const { options, log } = scenarioWatch("healthy-drain-300s");
    await watchRollout(options);
    const lines = progress(log);
    expect(lines.filter((l) => l.includes("draining"))).toEqual([
      "[1:00] 2/2 running · 2/2 healthy in web-tg · old revision draining",
    ]);
    const beforeDrain = lines.filter((l) => l < "[1:00]" && l.startsWith("[0:"));
    expect(beforeDrain.every((l) => l.endsWith("old revision serving"))).toBe(true);
    expect(lines.length).toBeLessThan(10);
  });

  it("live: succeeds within a second of the old targets draining, and says how long ECS goes on draining", async () => {
    const { options } = scenarioWatch("healthy-drain-300s");
    const result = await watchRollout({ ...options, waitUntil: "live" });
    expect(result.outcome).toBe("succeeded");
    expect(result.message).toBe(
      "revision 2 is live: 2/2 running · 2/2 healthy in web-tg; ECS goes on draining the old revision from web-tg for up to 4m59s (its deregistration delay), then stops it",
    );
    const verdictAt = result.timeline.at(-1)?.at ?? 0;
    expect(verdictAt - 58_200).toBeGreaterThanOrEqual(0);
    expect(verdictAt - 58_200).toBeLessThanOrEqual(1000);
  });
});

describe("a bad image with the circuit breaker", () => {
  it("after the breaker trips, progress keeps the count asked for and says who took over (never 0/0)", async () => {
    const { options, aws, log } = scenarioWatch("bad-image-timed");
    const result = await watchRollout(options);
    expect(result).toMatchObject({ outcome: "failed", cause: "circuit-breaker" });
    expect(result.message).toMatch(
      /^CannotPullContainerError: .* — deployment circuit breaker rolled back to revision 1$/,
    );
    expect(log.filter((l) => l.includes("0/0"))).toEqual([]);
    expect(log).toContain("[1:09] 0/2 running · 4 failed · deployment FAILED · revision 1 is PRIMARY");
    const verdictAt = result.timeline.at(-1)?.at ?? 0;
    // The 3rd task stops at 68.1 s, the breaker trips at 69 s.
    expect(verdictAt - 68_100).toBeLessThanOrEqual(1000);
    expect(perMinute(aws.calls(), verdictAt)).toBeLessThanOrEqual(25);
  });
});

describe("targets unhealthy while nothing else moves", () => {
  it("target health on its slow clock shows them (no event, no count changes), and the timeout names the cause", async () => {
    const { options, log, aws } = scenarioWatch("elb-unhealthy-lingers");
    const result = await watchRollout({ ...options, timeoutMs: 120_000 });
    // Unhealthy from 62.3 s: the 15 s clock reads target health at 60 s (initial) and 75 s.
    expect(log).toContain("[1:15] 10.0.1.10:8080 in web-tg initial → unhealthy (Target.Timeout: Request timed out)");
    expect(result).toMatchObject({ outcome: "timed-out", cause: "timeout" });
    expect(result.message).toBe(
      "health checks timed out in web-tg: GET /health on port 8080 got no answer within 5s — timed out after 2m with 2/2 running · 0/2 healthy in web-tg · old revision serving",
    );
    // Two minutes of waiting: every 15 s at most, target health is no more than a handful of calls.
    expect(aws.elb.commandCalls(DescribeTargetHealthCommand).length).toBeLessThanOrEqual(7);
  });
});

describe("live, as our targets turn healthy (issue 21.6)", () => {
  it("looks around the moment ELB's checks should pass: the verdict within a second of it, between two polls", async () => {
    const scenario = loadScenario("healthy-rolling-alb");
    // Our tasks start at 0:15 of the wait; 2 checks 6 s apart make a target healthy at about 0:27.
    for (const group of scenario.describeTargetGroups?.TargetGroups ?? []) {
      Object.assign(group, { HealthCheckIntervalSeconds: 6, HealthyThresholdCount: 2 });
    }
    // ELB calls ours healthy (and deregisters the old ones) at 27.3 s, between the 25 s and 30 s polls.
    const polls = scenario.polls.map((p) => (p.at === 25_000 ? { ...p, at: 27_300 } : p));
    const timed = { ...scenario, polls };
    const clock = fakeClock();
    const aws = mockAws();
    serveScenario(aws, timed, clock);
    const result = await watchRollout({ ...watchOptions(aws, timed, clock), waitUntil: "live" });
    expect(result.outcome).toBe("succeeded");
    const verdictAt = result.timeline.at(-1)?.at ?? 0;
    expect(verdictAt - 27_300).toBeGreaterThanOrEqual(0);
    expect(verdictAt - 27_300).toBeLessThanOrEqual(1000);
  });
});
