// The rollout chart: well formed for every scenario (a strict check of the syntax we emit: see support/mermaid.ts),
// readable for long rollouts, and never a channel for AWS's or the app's text into Mermaid.
import { describe, expect, it } from "vitest";
import { chartText, MAX_TASKS_DRAWN, renderGantt } from "../../src/report/gantt.js";
import { watchRollout } from "../../src/rollout/index.js";
import type { RolloutStory } from "../../src/rollout/verdict/story.js";
import { scenarioWatch } from "../support/aws.js";
import { checkGantt } from "../support/mermaid.js";

const SCENARIOS = [
  "healthy-rolling-alb",
  "healthy-drain-300s",
  "bad-image-breaker-rollback",
  "bad-image-no-breaker",
  "bad-image-timed",
  "crash-loop-no-breaker",
  "failing-health-checks",
  "elb-unhealthy-between-polls",
  "elb-unhealthy-lingers",
  "replaced-by-concurrent-deploy",
  "rolled-back-by-someone",
  "steady-on-another-revision",
  "completed-targets-initial",
  "stale-first-describe",
  "no-capacity-timeout",
  "blue-green-success",
  "blue-green-hook-rollback",
];

const START = Date.UTC(2026, 10, 20, 10, 0, 0);

async function chartOf(name: string, rollback = false): Promise<string> {
  const { options, clock } = scenarioWatch(name);
  const result = await watchRollout({ ...options, timeoutMs: 600_000, now: () => START + clock.now() });
  const watched = {
    startedAt: result.startedAt,
    story: result.story,
    outcome: result.outcome,
    endAt: result.timeline.at(-1)?.at ?? 0,
    revision: "app:42",
  };
  const steps = [
    { name: "register task definition", from: START - 900, to: START - 600 },
    { name: "update service", from: START - 600, to: START },
  ];
  return renderGantt({
    steps,
    rollout: watched,
    ...(rollback ? { rollback: { ...watched, revision: "app:41" } } : {}),
  });
}

describe("renderGantt", () => {
  it.each(SCENARIOS)("%s: a well-formed gantt chart", async (name) => {
    const check = checkGantt(await chartOf(name));
    expect(check.problems).toEqual([]);
    expect(check.tasks.length).toBeGreaterThan(3);
    expect(check.tasks.some((t) => t.name === "register task definition")).toBe(true);
    expect(check.tasks.at(-1)?.name).toMatch(/^verdict /);
  });

  it("draws each task from provisioning to running to healthy, and the old revision serving then draining", async () => {
    const check = checkGantt(await chartOf("healthy-drain-300s"));
    const names = check.tasks.map((t) => t.name);
    expect(names).toEqual([
      "register task definition",
      "update service",
      "task 3f2a9c10 provisioning",
      "task 3f2a9c10 running",
      "task 3f2a9c10 healthy",
      "task 3f2a9c11 provisioning",
      "task 3f2a9c11 running",
      "task 3f2a9c11 healthy",
      "old revision serving",
      "old revision draining",
      "app 42 live",
      "verdict succeeded",
    ]);
    const draining = check.tasks.find((t) => t.name === "old revision draining");
    // From ECS's draining event at 58.2 s to the old revision gone, 300 s later (seen by the look at 358.7 s or so).
    expect(draining?.start).toBe(START + 58_200);
    expect((draining?.end ?? 0) - (draining?.start ?? 0)).toBeGreaterThanOrEqual(300_000);
    expect(check.sections).toEqual(["deploy", "rollout revision 2", "rollout old revision"]);
  });

  it("a stopped task is a milestone that says why, marked crit when it failed", async () => {
    const check = checkGantt(await chartOf("crash-loop-no-breaker"));
    const stops = check.tasks.filter((t) => t.name.includes("stopped"));
    expect(stops.length).toBeGreaterThanOrEqual(3);
    expect(stops[0]).toMatchObject({ tags: ["crit", "milestone"] });
    // Names are cut at 60 characters: the text timeline below the chart has the whole reason.
    expect(stops[0]?.name).toBe("task 0745e47b stopped - Essential container in task exite...");
  });

  it("blue/green: a bar per lifecycle stage with its traffic, and ECS's rollback marked crit", async () => {
    const ok = checkGantt(await chartOf("blue-green-success"));
    expect(ok.problems).toEqual([]);
    expect(ok.sections[1]).toBe("rollout stages");
    const stages = ok.tasks.filter((t) => /^(rollback )?[A-Z_]+ prod /.test(t.name)).map((t) => t.name);
    expect(stages).toContain("TEST_TRAFFIC_SHIFT prod 0 test 100");
    expect(stages).toContain("PRODUCTION_TRAFFIC_SHIFT prod 100 test 100");
    expect(stages.indexOf("TEST_TRAFFIC_SHIFT prod 0 test 100")).toBeLessThan(
      stages.indexOf("BAKE_TIME prod 100 test 100"),
    );
    const back = checkGantt(await chartOf("blue-green-hook-rollback"));
    expect(back.tasks.find((t) => t.name.startsWith("rollback "))?.tags).toContain("crit");
  });

  it("a rollback gets its own sections", async () => {
    const check = checkGantt(await chartOf("crash-loop-no-breaker", true));
    expect(check.problems).toEqual([]);
    expect(check.sections.filter((s) => s.startsWith("rollback"))).toEqual([
      "rollback revision 42",
      "rollback old revision",
    ]);
  });

  it("a long rollout stays readable: tasks alike are one bar, about 30 bars at most", () => {
    const tasks = Array.from({ length: 60 }, (_, n) => ({
      id: `${(0x3f2a9c10 + n).toString(16)}…`,
      revision: "revision 42",
      createdAt: n * 1000,
      runningAt: n * 1000 + 40_000,
      ...(n % 3 === 0
        ? { stoppedAt: n * 1000 + 50_000, why: "Essential container in task exited", failed: true }
        : { healthyAt: n * 1000 + 55_000 }),
    }));
    const story: RolloutStory = { tasks, drainFrom: 150_000, liveAt: 150_000 };
    const chart = renderGantt({
      steps: [{ name: "update service", from: START - 500, to: START }],
      rollout: { startedAt: START, story, outcome: "failed", endAt: 200_000, revision: "app:42" },
    });
    const check = checkGantt(chart);
    expect(check.problems).toEqual([]);
    expect(check.tasks.length).toBeLessThanOrEqual(30);
    expect(check.tasks.map((t) => t.name)).toContain("20 tasks stopped - Essential container in task exited");
    expect(check.tasks.map((t) => t.name)).toContain("40 tasks healthy");
    expect(tasks.length).toBeGreaterThan(MAX_TASKS_DRAWN);
  });

  it("AWS's and the app's text reaches Mermaid only in a safe alphabet", () => {
    const hostile = "Essential container exited: ::error::x; # click b1 call alert(1) `code` <b>hi</b>\ntitle pwned";
    expect(chartText(hostile, 200)).toBe(
      "Essential container exited error x click b1 call alert(1) code b hi /b title pwned",
    );
    expect(chartText(hostile)).toBe("Essential container exited error x click b1 call alert(1)...");
    const story: RolloutStory = {
      tasks: [{ id: "3f2a9c10…", revision: "revision 42", createdAt: 0, stoppedAt: 5000, why: hostile, failed: true }],
    };
    const chart = renderGantt({
      steps: [],
      rollout: { startedAt: START, story, outcome: "failed", endAt: 6000, revision: "app:42" },
    });
    expect(checkGantt(chart).problems).toEqual([]);
    expect(chart).not.toMatch(/[`#;<>]/);
  });
});

describe("checkGantt", () => {
  it.each([
    ["gantt\n  dateFormat x\n  section a\n    x: y :b1, 1, 2", "forbidden character"],
    ["gantt\n  dateFormat x\n  section a\n    title x :b1, 1, 2", "keyword"],
    ["gantt\n  dateFormat x\n  section a\n    t :b1, done, 1, 2", "expected id"],
    ["gantt\n  dateFormat x\n  section a\n    t :b1, 2, 1", "ends before"],
    ["gantt\n  dateFormat x\n  section a\n    t :b1, 1, 2\n    u :b1, 1, 2", "used twice"],
    ["gantt\n  section a\n    t :b1, 1, 2", "no dateFormat"],
  ])("refuses %j", (text, reason) => {
    expect(checkGantt(text).problems.join("\n")).toContain(reason);
  });
});
