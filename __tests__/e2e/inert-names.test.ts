// Every printed name inert (issue 19.3): a file name, a key and a tag holding `\n::error::` reach the log (the "keys
// from file" line, the problems, the annotations) and the job summary, and the runner, reading the bundled action's
// output as it does (support/runner.ts), finds no command in them. A deploy-action: tag is refused with nothing changed.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import { deployAction, image, revisions, seed, serviceTaskDefinition, workspaceWith } from "../support/e2e.js";
import { runnerCommands } from "../support/runner.js";

const FORGE = "\\n::error::FORGED";

/** No command but the action's own kinds, none of them forged, and processing resumed at the end. */
function expectNoForgedCommand(stdout: string) {
  const { commands, stoppedAtEnd } = runnerCommands(stdout);
  expect(stoppedAtEnd).toBe(false);
  const own = ["group", "endgroup", "error", "notice", "warning", "stop-commands", "resume-commands"];
  expect(commands.filter((c) => !own.includes(c.name))).toEqual([]);
  expect(commands.filter((c) => c.data.startsWith("FORGED"))).toEqual([]);
  for (const stop of commands.filter((c) => c.name === "stop-commands")) expect(stop.data).toMatch(/^[0-9a-f]{32}$/);
}

describe.concurrent("names from files and inputs forge no runner command", () => {
  it("an extends file name: printed in the 'keys from' line, inert, and the deploy goes on", async () => {
    const world = await seed("inert-file");
    const lines = guideConfig(world).split("\n");
    const role = lines.find((l: string) => l.startsWith("task_role_arn")) ?? "";
    const base = "u\n::error::FORGED-file.toml";
    const app = lines.filter((l: string) => l !== role).join("\n");
    const { workspace, config } = workspaceWith(`extends = "../shared/u${FORGE}-file.toml"\n${app}`);
    mkdirSync(join(workspace, "shared"), { recursive: true });
    writeFileSync(join(workspace, "shared", base), `${role}\n`);

    const run = await deployAction({ workspace, config }, { images: image(world), wait: "false" });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("task_role_arn from ");
    expect(run.stdout).toContain("::error::FORGED-file.toml");
    expectNoForgedCommand(run.stdout);
  });

  it.each([
    ["a key", `[environment]\n"X${FORGE}-key" = "1"\n`, "FORGED-key"],
    ["a tag key", `[tags]\n"t${FORGE}-tag" = "v"\n`, "FORGED-tag"],
  ])("%s: refused, quoted inert, nothing changed", async (_name, table, marker) => {
    const world = await seed("inert-key");
    const { workspace, config } = workspaceWith(`${guideConfig(world)}${table}`);

    const run = await deployAction({ workspace, config }, { images: image(world), wait: "false" });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(marker);
    expectNoForgedCommand(run.stdout);
    expect(run.summary).not.toMatch(/^::error::/m);
    expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
  });

  it("a deploy-action:commit tag: refused at the key, with the reason, and nothing changed", async () => {
    const world = await seed("forged-commit");
    const forged = `[tags]\n"deploy-action:commit" = "${"0".repeat(40)}"\n`;
    const { workspace, config } = workspaceWith(`${guideConfig(world)}${forged}`);

    const run = await deployAction({ workspace, config }, { images: image(world), wait: "false" });

    expect(run.code).toBe(1);
    const { commands } = runnerCommands(run.stdout);
    const errors = commands.filter((c) => c.name === "error");
    expect(errors[0]?.properties).toMatchObject({ file: config, line: "10" });
    expect(errors[0]?.data).toContain(
      '`tags."deploy-action:commit"` is the action\'s own tag: tags under deploy-action: record the commit',
    );
    expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
  });
});
