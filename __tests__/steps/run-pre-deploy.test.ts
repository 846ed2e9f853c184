// The pre-deploy step's outcome, as run() records it for the job summary: the section (each task, how it ended or
// why it did not run), whether the tasks were this deploy's to run (a bar of the chart), and what stops the deploy.
// RunTask itself, followed to its verdict, runs against moto in __tests__/e2e/pre-deploy.test.ts.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { DeployError } from "../../src/errors.js";
import type { Decision } from "../../src/plan/service/decision.js";
import type { Deployable } from "../../src/preflight/judge.js";
import type { RunContext } from "../../src/steps/context.js";
import { preDeployStep } from "../../src/steps/run-pre-deploy.js";
import { guideToml } from "../support/config.js";
import { recordingHost } from "../support/host.js";

const TD = (revision: number) => `arn:aws:ecs:us-east-1:879613780019:task-definition/NAME-test:${revision}`;
const TASKS = '[[pre_deploy]]\nname = "migrate"\ncommand = ["bin/migrate"]\n\n[[pre_deploy]]\ncommand = ["bin/warm"]\n';

function step(decision: Decision, signal = new AbortController().signal) {
  const host = recordingHost();
  const config = parseConfig(`${guideToml}${TASKS}`, "deploy.toml");
  // No AWS client: these outcomes are reached before any RunTask.
  const ctx = { host, config, signal, clients: {} } as unknown as RunContext;
  const deployable = {
    target: { taskDefinition: TD(41) },
    taskDefinition: { containerDefinitions: [] },
    preDeploy: { networkConfiguration: {}, compute: "launch type FARGATE (the service's)" },
  } as unknown as Deployable;
  const revision = { arn: TD(42), revision: 42 };
  const outcome = preDeployStep(ctx, { inputs: { pollIntervalMs: 1000 }, deployable, decision, revision });
  return { host, outcome };
}

describe("the pre-deploy step's outcome", () => {
  it("nothing at all when the config has no pre-deploy task", async () => {
    const host = recordingHost();
    const ctx = { host, config: parseConfig(guideToml, "deploy.toml") } as unknown as RunContext;
    const input = { inputs: { pollIntervalMs: 1000 }, deployable: {} as Deployable, decision: {} };
    expect(await preDeployStep(ctx, { ...input, revision: { arn: TD(42), revision: 42 } })).toBeUndefined();
  });

  it("not run when no deployment starts: each task listed as not-run, and why; no bar, no failure", async () => {
    const { host, outcome } = step({ reuse: { arn: TD(41), revision: 41 } });
    const done = await outcome;
    expect(done?.ran).toBe(false);
    expect(done && "failure" in done).toBe(false);
    expect(done?.section.summary).toMatch(
      /^Pre-deploy tasks not run: nothing is deployed \(the service runs NAME-test:41/,
    );
    expect(done?.section.runs.map((r) => [r.name, r.outcome])).toEqual([
      ["migrate", "not-run"],
      ["bin/warm", "not-run"],
    ]);
    expect(host.log[0]).toMatch(/^Pre-deploy tasks not run: /);
  });

  it("a cancel before the first task: the section all the same, and a cancelled failure for run() to end on", async () => {
    const controller = new AbortController();
    controller.abort();
    const { outcome } = step({ deployBecause: "the task definition changed" }, controller.signal);
    const done = await outcome;
    expect(done?.ran).toBe(true);
    expect(done?.section.summary).toBe("Run with NAME-test:42 before UpdateService, in order.");
    expect(done?.section.runs.map((r) => r.outcome)).toEqual(["not-run", "not-run"]);
    const failure = done?.failure as DeployError;
    expect(failure).toBeInstanceOf(DeployError);
    expect(failure.result).toBe("cancelled");
    expect(failure.message).toBe(
      'Cancelled before pre-deploy task "migrate": nothing was deployed: the service still runs NAME-test:41 (NAME-test:42 is registered, not deployed)',
    );
  });

  it("a call that throws (a bug, a broken client) comes back as the failure, with the section", async () => {
    const { outcome } = step({ deployBecause: "the task definition changed" });
    const done = await outcome;
    expect(done?.ran).toBe(true);
    expect(done?.failure).toBeInstanceOf(Error);
    expect(done?.section.runs).toHaveLength(2);
  });
});
