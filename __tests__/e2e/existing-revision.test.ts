// End to end on moto: the `task-definition` input deploys a revision that exists, as it is. Read at the recording
// proxy: no RegisterTaskDefinition; read back with DescribeServices: the service on that revision. Refusals (both
// inputs, another family's revision) change nothing in AWS.
import { describe, expect, it } from "vitest";
import { matchDrain, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import {
  deployAction,
  deployCli,
  endpoint,
  errorLines,
  guideWorkspace,
  image,
  registerRevision,
  revisions,
  seed,
  serviceTaskDefinition,
  type World,
  workspaceWith,
} from "../support/e2e.js";

const operations = (run: { calls: { operation: string }[] }) => run.calls.map((c) => c.operation);

/** A revision registered outside the action (by an earlier pipeline, say): `family:2`, of an image in ECR. */
const registerSecond = (world: World) => registerRevision(world, image(world));

describe.concurrent("deploying a revision that exists (task-definition)", () => {
  it("family:1, the seeded revision, goes back on the service with nothing registered", async () => {
    const world = await seed("td-back");
    const first = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });
    expect(first.code, first.stdout).toBe(0);
    expect(await serviceTaskDefinition(world)).toMatch(/:2$/);

    const run = await deployAction(guideWorkspace(world), { "task-definition": `${world.service}:1`, wait: "false" });

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.result).toBe("started");
    expect(run.outputs["task-definition-arn"]).toBe(world.initialTaskDefinitionArn);
    expect(operations(run)).not.toContain("RegisterTaskDefinition");
    expect(operations(run)).toContain("UpdateService");
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
    expect((await revisions(world)).map((arn) => arn.split(":").pop())).toEqual(["1", "2"]);
    expect(run.stdout).toContain("as it is: nothing is rendered or registered");
    // The summary lists the secrets of the revision deployed, by name: family:1, seeded, has none.
    expect(run.summary).toContain("| Secrets (SSM ARNs, values never read) | none |");

    // family:2, which the first run registered with the secrets under secrets_path, forward again: its own names.
    const forward = await deployAction(guideWorkspace(world), {
      "task-definition": `${world.service}:2`,
      wait: "false",
    });
    expect(forward.code, forward.stdout).toBe(0);
    expect(forward.outputs.result).toBe("started");
    expect(operations(forward)).not.toContain("RegisterTaskDefinition");
    const secrets = /^\| Secrets \(SSM ARNs, values never read\) \| (.*) \|$/m.exec(forward.summary)?.[1];
    expect(secrets).toContain("`SESSION_SECRET`");
    expect(secrets).toBe(/^\| Secrets \(SSM ARNs, values never read\) \| (.*) \|$/m.exec(first.summary)?.[1]);
  });

  it("family:2, registered beforehand, is deployed and waited for: succeeded, with no RegisterTaskDefinition", async () => {
    const world = await seed("td-wait");
    const second = await registerSecond(world);
    await matchDrain(endpoint(), world, "healthy-short-drain", 0.1);
    const script = scriptedRollout("healthy-short-drain", world, { scale: 0.1 });
    const inputs = { "task-definition": `${world.service}:2`, "poll-interval": "1", "wait-timeout": "1" };

    const sent: string[] = [];
    const run = await deployAction(guideWorkspace(world), inputs, async (call) => {
      if (call.operation === "UpdateService") sent.push(call.body);
      return script.hook(call);
    });

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.outputs["task-definition-arn"]).toBe(second);
    expect(operations(run)).not.toContain("RegisterTaskDefinition");
    expect(sent.map((body) => JSON.parse(body).taskDefinition)).toEqual([second]);
    // The revision's image was looked up in ECR, as a rendered one's is.
    expect(operations(run)).toContain("DescribeImages");
  });

  it("a revision that fails is rolled back as a rendered one is: to the revision the service ran before", async () => {
    const world = await seed("td-fail");
    await registerSecond(world);
    await matchDrain(endpoint(), world, "crash-loop-without-breaker", 0.1);
    const script = scriptedRollout("crash-loop-without-breaker", world, { scale: 0.1 });
    const inputs = { "task-definition": `${world.service}:2`, "poll-interval": "1", "wait-timeout": "1" };

    const run = await deployAction(guideWorkspace(world), inputs, script.hook);

    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(errorLines(run.stdout)[0]).toMatch(/; rolled back to .*:1: the service is healthy on it again$/);
    expect(script.started.map((d: { taskDefinition: string }) => d.taskDefinition.split(":").pop())).toEqual([
      "2",
      "1",
    ]);
    expect(operations(run)).not.toContain("RegisterTaskDefinition");
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
  });

  it("the command line's --task-definition deploys it the same way", async () => {
    const world = await seed("td-cli");
    const second = await registerSecond(world);
    const cwd = workspaceWith(guideConfig(world), "config.toml").workspace;
    const run = await deployCli(cwd, ["config.toml", "--task-definition", `${world.service}:2`, "--no-wait"]);

    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("  result: started\n");
    expect(operations(run)).not.toContain("RegisterTaskDefinition");
    expect(await serviceTaskDefinition(world)).toBe(second);
  });

  it("images and task-definition together are refused, naming both, before any AWS call", async () => {
    const world = await seed("td-both");
    const run = await deployAction(guideWorkspace(world), {
      images: image(world),
      "task-definition": `${world.service}:1`,
      wait: "false",
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/input `images`.*input `task-definition` are both given/);
    expect(operations(run)).toEqual([]);
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
  });

  it("a revision of another family is refused in the pre-flight, with nothing changed", async () => {
    const [world, other] = await Promise.all([seed("td-fam"), seed("td-other")]);
    const run = await deployAction(guideWorkspace(world), { "task-definition": `${other.service}:1`, wait: "false" });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `input \`task-definition\`: ${other.service}:1 is a revision of family ${other.service}, but the config's service runs family ${world.service}`,
    );
    expect(operations(run)).toContain("DescribeTaskDefinition");
    expect(operations(run)).not.toContain("RegisterTaskDefinition");
    expect(operations(run)).not.toContain("UpdateService");
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
    expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
  });

  it("a revision that does not exist is refused in the pre-flight, with nothing changed", async () => {
    const world = await seed("td-none");
    const run = await deployAction(guideWorkspace(world), { "task-definition": `${world.service}:9`, wait: "false" });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${world.service}:9 does not exist`);
    expect(operations(run)).not.toContain("UpdateService");
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
  });
});
