// Facts only from answers (issue 19.1): a read that was throttled stands in for nothing. Each of the rollout's reads
// is refused across the moment ECS completes the deployment (healthy-rolling-alb: COMPLETED at 30 s); the verdict
// is `succeeded` at the first look whose reads answer, and a timeout never rolls back what ECS reports done.
import { DescribeServicesCommand, DescribeTasksCommand, type Task } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { shouldRollBack } from "../../src/steps/rollback/index.js";
import { awsError, scenarioWatch, stateAt } from "../support/aws.js";

const COMPLETED_AT = 30_000;
const throttle = () => Promise.reject(awsError("ThrottlingException", "Rate exceeded"));
const ours = (tasks: Task[], refs: string[]) =>
  tasks.filter((t) => refs.some((ref) => ref === t.taskArn || ref === t.taskArn?.split("/").pop()));

type Setup = ReturnType<typeof scenarioWatch>;
interface Input {
  tasks?: string[];
  TargetGroupArn?: string;
}

/** Refuses one of the rollout's reads until `until` (ms of the fake clock); notes the time of its first answer. */
function refuse(setup: Setup, operation: "tasks" | "targets" | "service", until: number) {
  const { aws, clock, scenario } = setup;
  const state = () => stateAt(scenario, clock.now());
  const seen = { firstAnswer: Number.NaN, refused: 0 };
  const answers = {
    tasks: (input: Input) => ({ tasks: ours(state().describeTasks.tasks, input.tasks ?? []), failures: [] }),
    targets: (input: Input) => ({
      TargetHealthDescriptions:
        state().describeTargetHealth[input.TargetGroupArn ?? ""]?.TargetHealthDescriptions ?? [],
    }),
    service: () => state().describeServices,
  };
  const fake = (input: Input) => {
    if (clock.now() < until) {
      seen.refused++;
      return throttle();
    }
    if (Number.isNaN(seen.firstAnswer)) seen.firstAnswer = clock.now();
    return answers[operation](input);
  };
  if (operation === "tasks") aws.ecs.on(DescribeTasksCommand).callsFake(fake);
  if (operation === "targets") aws.elb.on(DescribeTargetHealthCommand).callsFake(fake);
  if (operation === "service") aws.ecs.on(DescribeServicesCommand).callsFake(fake);
  return seen;
}

describe.each([
  ["DescribeTasks", "tasks"],
  ["DescribeTargetHealth", "targets"],
  ["DescribeServices", "service"],
] as const)("%s throttled across the moment ECS completes", (operation, kind) => {
  it("succeeds at the first look that gets an answer, never timing out on a read it did not get", async () => {
    const setup = scenarioWatch("healthy-rolling-alb");
    const seen = refuse(setup, kind, COMPLETED_AT + 10_000);
    const result = await watchRollout({ ...setup.options, timeoutMs: 120_000 });
    expect(seen.refused).toBeGreaterThan(0);
    expect(result).toMatchObject({
      outcome: "succeeded",
      message: "revision 42 is live: 2/2 running · 2/2 healthy in tg-app",
    });
    // Within a poll of the first good read (pollMs 5 s).
    const verdictAt = result.timeline.at(-1)?.at ?? Number.POSITIVE_INFINITY;
    expect(verdictAt).toBeGreaterThanOrEqual(seen.firstAnswer);
    expect(verdictAt - seen.firstAnswer).toBeLessThanOrEqual(setup.options.pollMs);
    // Said once: throttling is no news.
    expect(setup.log.filter((l) => l.includes(`throttling ${operation}`))).toHaveLength(1);
  });
});

describe("a timeout under throttling", () => {
  it("says which reads got no answer and how often, and never rolls back what ECS reports COMPLETED", async () => {
    const setup = scenarioWatch("healthy-rolling-alb");
    const seen = refuse(setup, "tasks", Number.POSITIVE_INFINITY);
    const result = await watchRollout({ ...setup.options, timeoutMs: 60_000 });
    expect(result).toMatchObject({ outcome: "timed-out", cause: "timeout", ecsDone: "COMPLETED" });
    const firstLine = result.message;
    expect(firstLine).toMatch(
      new RegExp(`^reads that got no answer: DescribeTasks throttled ${seen.refused} times — timed out after 1m with `),
    );
    expect(firstLine).toMatch(/; ECS reports the deployment COMPLETED, so it is not rolled back$/);
    const previous = setup.scenario.context.previousTaskDefinitionArn;
    expect(shouldRollBack({ onFailure: "rollback" }, result, previous, setup.options.taskDefinitionArn)).toBe(false);
  });

  it("reads once more when the look at the deadline got no answer: a deployment done by then succeeds", async () => {
    const setup = scenarioWatch("healthy-rolling-alb");
    const { aws, clock, scenario } = setup;
    let refusedAtDeadline = 0;
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      if (clock.now() === COMPLETED_AT && refusedAtDeadline++ === 0) return throttle();
      return stateAt(scenario, clock.now()).describeServices;
    });
    const result = await watchRollout({ ...setup.options, timeoutMs: COMPLETED_AT });
    expect(refusedAtDeadline).toBe(2);
    expect(result.outcome).toBe("succeeded");
  });

  it("a timeout with every read answered rolls back as before, and says nothing of unanswered reads", async () => {
    const setup = scenarioWatch("no-capacity-timeout");
    const result = await watchRollout({ ...setup.options, timeoutMs: 12_000 });
    expect(result.outcome).toBe("timed-out");
    expect(result.message).not.toContain("no answer");
    expect(result.ecsDone).toBeUndefined();
    const previous = setup.scenario.context.previousTaskDefinitionArn;
    expect(shouldRollBack({ onFailure: "rollback" }, result, previous, setup.options.taskDefinitionArn)).toBe(true);
  });
});
