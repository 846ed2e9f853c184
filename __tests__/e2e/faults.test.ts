// The bundled action against moto, through the proxy, when AWS has a passing fault: throttling, a lost answer. The
// rollout itself is scripted (moto never moves a deployment forward, see rollout.test.ts); registration and
// UpdateService go to moto for real, so what moto holds afterwards says how many revisions and deployments there are.
// The retries' waits are 20 times shorter here (DEPLOY_ACTION_RETRY_SCALE, set by support/e2e.ts).
import { describe, expect, it } from "vitest";
import { matchDrain, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import {
  deployAction,
  endpoint,
  errorLines,
  guideWorkspace,
  image,
  revisions,
  seed,
  serviceTaskDefinition,
  THROTTLED,
  type World,
} from "../support/e2e.js";

const SCALE = 0.1;
type Hook = NonNullable<Parameters<typeof deployAction>[2]>;
type Call = Parameters<Hook>[0];
type Script = ReturnType<typeof scriptedRollout>;

const throttling = THROTTLED;

/** A healthy scripted rollout, with `fault` in front of it: it answers a call itself, or lets the script do so. */
async function deployWith(world: World, fault: (call: Call, script: Script) => ReturnType<Hook>) {
  const name = "healthy-short-drain";
  await matchDrain(endpoint(), world, name, SCALE);
  const script = scriptedRollout(name, world, { scale: SCALE });
  const hook: Hook = async (call) => (await fault(call, script)) ?? script.hook(call);
  const inputs = { images: image(world), "poll-interval": "1", "wait-timeout": "1" };
  const run = await deployAction(guideWorkspace(world), inputs, hook);
  return { run, script };
}

/** The run ended as a healthy deploy does, on exactly one new revision and one deployment of it. */
async function expectOneDeploy(world: World, run: Awaited<ReturnType<typeof deployWith>>["run"], script: Script) {
  expect(run.stderr).toBe("");
  expect(errorLines(run.stdout)).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe("succeeded");
  expect(run.outputs["task-definition-revision"]).toBe("2");
  expect(await revisions(world)).toHaveLength(2);
  expect(await serviceTaskDefinition(world)).toBe(run.outputs["task-definition-arn"]);
  // Each started deployment of the script is an UpdateService moto acted on.
  expect(script.started).toHaveLength(1);
  expect(run.outputs["deployment-id"]).toBe(script.started[0]?.id);
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe.concurrent("a passing fault never stops a deploy half-way", () => {
  it("UpdateService throttled 5 times, then answered: one deployment, and the throttling said once", async () => {
    const world = await seed("throttled-update");
    let refused = 0;
    const { run, script } = await deployWith(world, async ({ operation }) => {
      if (operation !== "UpdateService" || refused >= 5) return undefined;
      refused += 1;
      return throttling;
    });

    await expectOneDeploy(world, run, script);
    expect(refused).toBe(5);
    expect(count(run.stdout, "ECS is throttling UpdateService (Rate exceeded): retrying")).toBe(1);
  });

  // Issue 21.6: the pre-flight's reads are retried by the SDK; a throttled one that got through is said, once.
  it("the pre-flight's DescribeServices throttled 3 times, then answered: said once, with the retries", async () => {
    const world = await seed("throttled-preflight");
    let refused = 0;
    const { run, script } = await deployWith(world, async ({ operation }, script) => {
      if (operation !== "DescribeServices" || script.started.length > 0 || refused >= 3) return undefined;
      refused += 1;
      return throttling;
    });

    await expectOneDeploy(world, run, script);
    expect(refused).toBe(3);
    expect(count(run.stdout, "ECS throttled DescribeServices; retried")).toBe(1);
    expect(run.stdout).toContain("ECS throttled DescribeServices; retried 3 times");
    // Said where it happened: before anything changed in AWS.
    const said = run.stdout.indexOf("ECS throttled DescribeServices");
    expect(said).toBeLessThan(run.stdout.indexOf("::group::Register"));
  });

  it("a lost UpdateService answer: the deployment it started is found and watched, not started twice", async () => {
    const world = await seed("lost-update");
    let dropped = 0;
    const { run, script, calls } = await deployWith(world, async (call, script) => {
      if (call.operation !== "UpdateService" || dropped > 0) return undefined;
      dropped += 1;
      // ECS acts on it (the script notes the deployment), and the answer never arrives.
      await script.hook(call);
      return { drop: true };
    }).then(({ run, script }) => ({ run, script, calls: run.calls }));

    await expectOneDeploy(world, run, script);
    expect(calls.filter((c) => c.operation === "UpdateService")).toHaveLength(1);
    expect(run.stdout).toContain("ECS gave no answer to UpdateService");
    expect(run.stdout).toContain("the UpdateService whose answer was lost had taken effect: going on with it");
  });

  it("a lost RegisterTaskDefinition answer: the revision it registered is used, not registered twice", async () => {
    const world = await seed("lost-register");
    let dropped = 0;
    const { run, script } = await deployWith(world, async ({ operation, forward }) => {
      if (operation !== "RegisterTaskDefinition" || dropped > 0) return undefined;
      dropped += 1;
      await forward();
      return { drop: true };
    });

    await expectOneDeploy(world, run, script);
    expect(run.calls.filter((c) => c.operation === "RegisterTaskDefinition")).toHaveLength(1);
    expect(run.stdout).toContain("the RegisterTaskDefinition whose answer was lost had taken effect");
  });

  it("a throttled poll: the wait goes on to the right verdict", async () => {
    const world = await seed("throttled-poll");
    let refused = 0;
    const { run, script } = await deployWith(world, async ({ operation }, script) => {
      // The rollout's reads, once ours has started: six refused, then answered. The SDK's own retries take some;
      // a look that gets no answer in time is a throttled look, and the next one waits a little longer.
      if (operation !== "DescribeServices" || script.started.length === 0 || refused >= 6) return undefined;
      refused += 1;
      return throttling;
    });

    await expectOneDeploy(world, run, script);
    expect(refused).toBe(6);
    expect(count(run.stdout, "ECS is throttling DescribeServices")).toBeLessThanOrEqual(1);
  });

  it("UpdateService throttled past the budget: 'registered, not deployed', and what to do first", async () => {
    const world = await seed("throttled-out");
    const { run, script } = await deployWith(world, async ({ operation }) =>
      operation === "UpdateService" ? throttling : undefined,
    );

    expect(run.code).not.toBe(0);
    expect(run.outputs.result).toBe("registered");
    expect(script.started).toHaveLength(0);
    expect(await revisions(world)).toHaveLength(2);
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(
      /^UpdateService failed: ThrottlingException: Rate exceeded \(still failing after \d+ attempt/,
    );
    expect(first).toMatch(/\S+:2 is registered, not deployed: re-run the workflow to deploy it$/);
    expect(run.summary).toContain("task definition registered, not deployed");
  });
});

/** Holds a call unanswered this long (the run is cancelled well before): a call in flight. */
const hold = (ms: number) =>
  new Promise<{ drop: true }>((resolve) => setTimeout(() => resolve({ drop: true }), ms).unref());

describe.concurrent("a cancel ends the step at once, whatever is in flight", () => {
  // The run cannot get past the held call, so the cancel arrives while it is in flight (or before it).
  const HOLD_MS = 40_000;
  const CANCEL_MS = 6_000;

  it("during pre-flight: the call in flight is aborted; cancelled, nothing changed", async () => {
    const world = await seed("cancel-preflight");
    const held = async ({ operation }: Call) => (operation === "DescribeServices" ? hold(HOLD_MS) : undefined);
    const inputs = { images: image(world), wait: "false" };
    const run = await deployAction(guideWorkspace(world), inputs, held, {}, CANCEL_MS);

    expect(run.code).not.toBe(0);
    expect(run.outputs.result).toBe("cancelled");
    expect(errorLines(run.stdout)[0]).toBe("Cancelled: nothing was changed in AWS");
    expect(run.summary).toContain("cancelled");
    expect(await revisions(world)).toHaveLength(1);
    // Far sooner than the held call would have answered (the machine may be loaded: no tight bound here).
    expect(run.ms).toBeLessThan(HOLD_MS / 2);
  });

  it("during UpdateService: aborted in flight; cancelled, saying it may have reached ECS", async () => {
    const world = await seed("cancel-update");
    let reached = false;
    const held = async ({ operation }: Call) => {
      if (operation !== "UpdateService") return undefined;
      reached = true;
      return hold(HOLD_MS);
    };
    const inputs = { images: image(world), wait: "false" };
    const run = await deployAction(guideWorkspace(world), inputs, held, {}, CANCEL_MS);

    expect(run.code).not.toBe(0);
    expect(run.outputs.result).toBe("cancelled");
    expect(errorLines(run.stdout)[0]).toMatch(
      reached
        ? /^Cancelled during UpdateService: it may have reached ECS; re-run the workflow to deploy \S+:2$/
        : /^Cancelled before UpdateService: \S+:2 is registered, the service was not updated$/,
    );
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
    expect(run.ms).toBeLessThan(HOLD_MS / 2);
  });
});
