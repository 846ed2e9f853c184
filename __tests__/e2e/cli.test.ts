// The bundled command line (dist/cli.js), run in a terminal's working directory with the guide's two arguments,
// against moto through the recording proxy; the rollout's reads are scripted over real time, as for the action.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matchDrain, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import {
  deployAction,
  deployCli,
  describeService,
  endpoint,
  errorLines,
  image,
  revisions,
  seed,
  serviceTaskDefinition,
  type World,
  workspaceWith,
} from "../support/e2e.js";

/** The guide's layout: config.toml in the directory the command runs in. */
function guideDirectory(world: World, config = guideConfig(world)): string {
  return workspaceWith(config, "config.toml").workspace;
}

/** The first `error:` line on stderr, without its prefix: what the action's first ::error line says. */
function firstError(stderr: string): string | undefined {
  return stderr
    .split("\n")
    .find((line) => line.startsWith("error: "))
    ?.slice("error: ".length);
}

describe.concurrent("the command line", () => {
  it("deploys the guide's config.toml with the guide's two arguments, and waits for the rollout", async () => {
    const world = await seed("cli");
    // ECS's timings ten times faster, as in the other scripted rollouts (the drain set to match).
    await matchDrain(endpoint(), world, "healthy", 0.1);
    const script = scriptedRollout("healthy", world, { scale: 0.1 });
    const args = ["config.toml", image(world), "--poll-interval", "1"];
    const run = await deployCli(guideDirectory(world), args, script.hook);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const step of ["Read config", "Pre-flight checks", "Render task definition", "Update service"]) {
      expect(run.stdout).toContain(`\n==> ${step}\n`);
    }
    expect(run.stdout).toContain("\n==> Wait for rollout\n");
    expect(run.stdout).not.toContain("::group::");
    expect(run.stdout).toMatch(/Changes against .*:1:\n/);
    expect(run.stdout).toContain("Plan: register a new revision and deploy it");
    expect(run.stdout).toMatch(/\nOutputs:\n(.+\n)* {2}result: succeeded\n/);
    expect(run.stdout).toMatch(/ {2}task-definition-arn: arn:aws:ecs:us-east-1:123456789012:task-definition\/.+:2\n/);
    // Read back: the service runs the new revision, which names the image by digest.
    const service = await describeService(world);
    expect(service?.taskDefinition).toMatch(/:2$/);
    expect(await revisions(world)).toHaveLength(2);
  });

  it("--dry-run checks everything, shows the diff and the plan, and changes nothing", async () => {
    const world = await seed("cli-dry");
    const run = await deployCli(guideDirectory(world), ["config.toml", image(world), "--dry-run"]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("\n==> Dry run: what would be deployed\n");
    expect(run.stdout).toContain('"family": "'); // the whole task definition, printed
    expect(run.stdout).toContain("Plan: register a new revision and deploy it");
    expect(run.stdout).toContain("  result: dry-run\n");
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(run.calls.map((c) => c.operation)).not.toContain("UpdateService");
    expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
  });

  it("--no-wait starts the deployment and ends there", async () => {
    const world = await seed("cli-nowait");
    const run = await deployCli(guideDirectory(world), ["config.toml", image(world), "--no-wait"]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("  result: started\n");
    expect(run.stdout).not.toContain("==> Wait for rollout");
    expect(await serviceTaskDefinition(world)).toMatch(/:2$/);
  });

  const failures: [string, (w: World) => string, (w: World) => string][] = [
    ["a config problem", (w) => guideConfig(w).replace("port = 80", 'port = "eighty"'), (w) => image(w)],
    ["a pre-flight refusal", (w) => guideConfig(w), (w) => image(w, "r999")],
  ];

  it.each(failures)(
    "%s exits non-zero with the action's first error line, and changes nothing",
    async (_, config, img) => {
      const world = await seed("cli-fail");
      const directory = guideDirectory(world, config(world));
      const cli = await deployCli(directory, ["config.toml", img(world), "--no-wait"]);
      const action = await deployAction(
        { workspace: directory, config: "config.toml" },
        { images: img(world), wait: "false" },
      );

      expect(cli.code).toBe(1);
      expect(action.code).toBe(1);
      const first = errorLines(action.stdout)[0]?.split("\n")[0];
      expect(first).toBeTruthy();
      expect(firstError(cli.stderr)).toBe(first);
      expect(cli.stdout).toContain("  result: failed\n");
      expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
    },
  );

  it("takes the config the user names: `../elsewhere/app.toml` (extending a base beside it) and an absolute path", async () => {
    const world = await seed("cli-paths");
    const root = workspaceWith("", "unused.toml").workspace;
    const here = join(root, "here");
    mkdirSync(here);
    mkdirSync(join(root, "elsewhere"));
    // The guide's keys, the shared ones in a base the app's file extends: the command line reads both.
    const [shared, own] = splitConfig(guideConfig(world));
    writeFileSync(join(root, "elsewhere", "universe.toml"), shared);
    writeFileSync(join(root, "elsewhere", "app.toml"), `extends = "universe.toml"\n${own}`);

    const dry = await deployCli(here, ["../elsewhere/app.toml", image(world), "--dry-run"]);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("  result: dry-run\n");
    expect(dry.stdout).toMatch(/from \.\.\/elsewhere\/universe\.toml/);
    // Read back: the dry run registered nothing and moved nothing.
    expect(dry.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);

    const absolute = await deployCli(here, [join(root, "elsewhere", "app.toml"), image(world), "--no-wait"]);
    expect(absolute.stderr).toBe("");
    expect(absolute.code).toBe(0);
    expect(absolute.stdout).toContain("  result: started\n");
    expect(await serviceTaskDefinition(world)).toMatch(/:2$/);
  });

  it("speaks in its flags and arguments, not in the action's inputs", async () => {
    const world = await seed("cli-words");
    const run = await deployCli(guideDirectory(world), ["config.toml", image(world), "--no-wait"]);
    expect(run.stdout).toContain("Not waiting for the rollout (--no-wait)");
    expect(run.stdout + run.stderr).not.toMatch(/wait: false|input `/);
    const missing = await deployCli(guideDirectory(world), ["nowhere.toml", image(world), "--no-wait"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("config file nowhere.toml not found (from ");
    expect(missing.stderr).not.toContain("`config` input");
  });

  it("documents itself, and refuses a call without an image", async () => {
    const world = await seed("cli-help");
    const help = await deployCli(guideDirectory(world), ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: deploy-action CONFIG IMAGE... [options]");
    expect(help.calls).toEqual([]);

    const usage = await deployCli(guideDirectory(world), ["config.toml"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("error: expected a config file and at least one image");
  });
});

/** The guide's config split in two: account, region and the roles in a shared base; the rest in the app's file. */
function splitConfig(config: string): [string, string] {
  const shared = /^(account|region|execution_role_arn) = /;
  const lines = config.split("\n");
  return [lines.filter((l) => shared.test(l)).join("\n"), lines.filter((l) => !shared.test(l)).join("\n")];
}
