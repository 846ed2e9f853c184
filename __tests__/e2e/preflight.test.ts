// End to end: the pre-flight checks refuse a deploy that cannot work, before anything changes in AWS; a dry run
// shows exactly what would change; an unchanged deploy registers nothing.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import {
  clientConfig,
  deployAction,
  describeService,
  errorLines,
  guideWorkspace,
  image,
  revisions,
  seed,
  serviceTaskDefinition,
  settled,
  type World,
  workspaceWith,
} from "../support/e2e.js";

/** Nothing registered, the service untouched: what every refusal must leave behind. */
async function expectUntouched(world: World): Promise<void> {
  expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
  expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
}

describe.concurrent("pre-flight refusals", () => {
  const cases: [string, (world: World) => string, (world: World) => string, RegExp][] = [
    [
      "credentials for another account",
      // The roles stay in moto's account, which the config says it means: only the credentials' account is wrong.
      (w) =>
        `${guideConfig(w).replace(`account = "${w.account}"`, 'account = "111111111111"')}cross_account_roles = true\n`,
      (w) => image(w),
      /credentials are for account 123456789012, but the config deploys to 111111111111/,
    ],
    [
      "an image tag that was never pushed",
      (w) => guideConfig(w),
      (w) => image(w, "r999"),
      /r999` not found in ECR repository/,
    ],
    [
      "a load balancer port the new task definition lacks",
      (w) => guideConfig(w).replace("port = 80", "port = 8080"),
      (w) => image(w),
      /load balancer .* container `\S+` port 80.*its ports: 8080/,
    ],
    ["a cpu/memory pair Fargate refuses", (w) => `${guideConfig(w)}memory = 4096\n`, (w) => image(w), /memory/],
  ];

  it.each(cases)("refuses %s and changes nothing", async (_name, config, images, message) => {
    const world = await seed("pre");
    const run = await deployAction(workspaceWith(config(world)), { images: images(world), wait: "false" });

    expect(run.code).toBe(1);
    expect(errorLines(run.stdout)[0]).toMatch(message);
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    await expectUntouched(world);
  });

  it("reports every failing check at once", async () => {
    const world = await seed("many");
    const config = `${guideConfig(world).replace(`account = "${world.account}"`, 'account = "111111111111"')}cross_account_roles = true\n`;
    const run = await deployAction(workspaceWith(config.replace("port = 80", "port = 8080")), {
      images: image(world, "r999"),
      wait: "false",
    });

    const errors = errorLines(run.stdout).join("\n");
    expect(errors).toMatch(/credentials are for account/);
    expect(errors).toMatch(/r999` not found/);
    expect(errors).toMatch(/port 80/);
    // Problems about a config key are annotated on its line, like the config's own problems.
    expect(run.stdout).toMatch(
      /::error [^:]*file=deploy\/app\.toml,line=2,[^:]*::.*the AWS credentials are for account/,
    );
    expect(run.stdout).toMatch(/::error [^:]*file=deploy\/app\.toml,line=6,[^:]*::.*the service's load balancer/);
    await expectUntouched(world);
  });
});

describe("dry run and unchanged deploys", () => {
  it("a dry run checks everything, shows the diff and the rendered file, and changes nothing", async () => {
    const world = await seed("dry");
    const runnerTemp = mkdtempSync(join(tmpdir(), "runner-temp-"));
    const run = await deployAction(guideWorkspace(world), { images: image(world), "dry-run": "true" }, undefined, {
      RUNNER_TEMP: runnerTemp,
    });

    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("dry-run");
    expect(run.stdout).toContain("::group::Dry run: what would be deployed");
    expect(run.summary).toContain("```diff");
    expect(run.summary).toMatch(/image: public\.ecr\.aws\/nginx\/nginx:stable → .*@sha256:[a-f0-9]{64}/);
    const rendered = JSON.parse(readFileSync(run.outputs["task-definition-file"] ?? "", "utf8"));
    expect(rendered.family).toBe(world.service);
    expect(rendered.containerDefinitions[0].image).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(rendered.containerDefinitions[0].secrets).toHaveLength(12);
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(run.calls.map((c) => c.operation)).not.toContain("UpdateService");
    await expectUntouched(world);
  });

  it("pins ECR images by digest and reports tag → digest", async () => {
    const world = await seed("pin");
    const run = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });

    const digests = JSON.parse(run.outputs["image-digests"] ?? "{}");
    const entry = digests[world.service];
    expect(entry.uri).toBe(image(world));
    expect(entry.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(entry.pinned).toBe(`${image(world).replace(/:r254$/, "")}@${entry.digest}`);
    expect(run.summary).toContain(entry.digest);
  });

  it("a deploy of what already runs reuses the revision and skips UpdateService", async () => {
    const world = await seed("churn");
    const first = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });
    expect(first.code).toBe(0);
    const again = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" }, settled);

    expect(again.code).toBe(0);
    expect(again.outputs.result).toBe("unchanged");
    expect(again.outputs["task-definition-arn"]).toBe(first.outputs["task-definition-arn"]);
    expect(again.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(again.calls.map((c) => c.operation)).not.toContain("UpdateService");
    expect(await revisions(world)).toHaveLength(2);
  });

  it("a re-run while the rollout of that revision has not settled deploys it again, never 'unchanged'", async () => {
    const world = await seed("unsettled");
    const first = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });
    // moto's rollout never progresses: the service still shows it IN_PROGRESS with no task running.
    const again = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });

    expect(again.outputs.result).toBe("started");
    expect(again.outputs["task-definition-arn"]).toBe(first.outputs["task-definition-arn"]);
    expect(again.stdout).toMatch(/Plan: deploy revision 2 again: the service is not settled on \S+:2: its deployment/);
    expect(await revisions(world)).toHaveLength(2);
  });

  it("a changed desired_count alone scales the service without a new revision or deployment", async () => {
    const world = await seed("scale");
    await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });
    const config = `${guideConfig(world)}desired_count = 3\n`;
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" }, settled);

    expect(run.outputs.result).toBe("scaled");
    expect(run.stdout).toContain("service desired count: 2 → 3");
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(await revisions(world)).toHaveLength(2);
    expect((await describeService(world))?.desiredCount).toBe(3);
  });

  it("a secret rotated after the running deployment started deploys the unchanged revision again", async () => {
    const world = await seed("rotate");
    const first = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });
    const ssm = new SSMClient(clientConfig(world));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const rotated = { Name: `/${world.service}/DATABASE_URL`, Value: "postgres://app:n3w@db/app", Overwrite: true };
    await ssm.send(new PutParameterCommand({ ...rotated, Type: "SecureString" }));
    ssm.destroy();
    const again = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" }, settled);

    expect(again.outputs.result).toBe("started");
    expect(again.outputs["task-definition-arn"]).toBe(first.outputs["task-definition-arn"]);
    expect(again.stdout).toContain("secret DATABASE_URL changed after the running deployment started");
    expect(again.stdout).not.toContain("n3w");
  });

  it("a change of tags alone registers a new revision with them", async () => {
    const world = await seed("tags");
    await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });
    const config = `${guideConfig(world)}[tags]\nteam = "payments"\n`;
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" }, settled);

    expect(run.outputs.result).toBe("started");
    expect(run.stdout).toContain("+ tag team=payments");
    expect(await revisions(world)).toHaveLength(3);
  });

  it("force-new-deployment deploys the unchanged revision again", async () => {
    const world = await seed("force");
    const first = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });
    const forced = await deployAction(guideWorkspace(world), {
      images: image(world),
      wait: "false",
      "force-new-deployment": "true",
    });

    expect(forced.outputs.result).toBe("started");
    expect(forced.outputs["task-definition-arn"]).toBe(first.outputs["task-definition-arn"]);
    expect(forced.outputs["deployment-id"]).not.toBe(first.outputs["deployment-id"]);
    expect(await revisions(world)).toHaveLength(2);
  });
});
