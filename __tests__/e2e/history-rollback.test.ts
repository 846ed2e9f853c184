// End to end on moto: `deploy-action history` and `deploy-action rollback`, the bundled command line against what
// the bundled action deployed (two revisions, each tagged with its commit by a run with GITHUB_* set). moto answers
// no ListServiceDeployments (HTTP 500), so the history comes from the family's revisions and their tags, and the
// revision before is the family's previous ACTIVE one; ECS's list is read in __tests__/app/history.test.ts. Read back
// with DescribeServices.
import { describe, expect, it } from "vitest";
import { matchDrain, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import {
  deployAction,
  deployCli,
  endpoint,
  guideWorkspace,
  image,
  revisions,
  seed,
  serviceTaskDefinition,
  type World,
  workspaceWith,
} from "../support/e2e.js";

const commit = (c: string) => c.repeat(40);
const operations = (run: { calls: { operation: string }[] }) => run.calls.map((c) => c.operation);

/** The variables the runner sets for a run of `sha`. */
const runOf = (sha: string, runId: string) => ({
  GITHUB_SHA: sha,
  GITHUB_REPOSITORY: "octo/app",
  GITHUB_RUN_ID: runId,
  GITHUB_WORKFLOW: "Deploy",
});

/** A service on its third revision: web:2 from commit aaa… (r253), web:3 from commit bbb… (r254). */
async function deployedTwice(prefix: string): Promise<{ world: World; cwd: string }> {
  const world = await seed(prefix);
  const workspace = guideWorkspace(world);
  for (const [tag, sha, runId] of [
    ["r253", commit("a"), "100"],
    ["r254", commit("b"), "101"],
  ] as const) {
    const run = await deployAction(
      workspace,
      { images: image(world, tag), wait: "false" },
      undefined,
      runOf(sha, runId),
    );
    expect(run.code, run.stdout).toBe(0);
  }
  expect(await serviceTaskDefinition(world)).toMatch(/:3$/);
  return { world, cwd: workspaceWith(guideConfig(world), "config.toml").workspace };
}

describe.concurrent("history and rollback by hand", () => {
  it("history lists the revisions the deploys registered, newest first, with their commits", async () => {
    const { world, cwd } = await deployedTwice("hist");

    const run = await deployCli(cwd, ["history", "config.toml"]);

    expect(run.code, run.stderr).toBe(0);
    const s = world.service;
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(
      `${s} (cluster ${world.cluster}), newest first, from the family's ACTIVE revisions (ECS answered no list of service deployments here: only the one the service runs is known to have run):`,
    );
    const rows = lines.filter((l) => l.startsWith(`  ${s}:`));
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual([`${s}:3`, `${s}:2`, `${s}:1`]);
    expect(rows[0]).toMatch(/ bbbbbbb octo\/app .*the service runs it/);
    expect(rows[1]).toMatch(/ aaaaaaa octo\/app .*registered/);
    // The run that registered each revision, from its tag: the page a developer opens.
    expect(rows[0]).toMatch(/ bbbbbbb octo\/app +https:\/\/github\.com\/octo\/app\/actions\/runs\/101 /);
    expect(rows[1]).toMatch(/ aaaaaaa octo\/app +https:\/\/github\.com\/octo\/app\/actions\/runs\/100 /);
    expect(rows[2]).toMatch(/ - +- +registered/); // the seeded revision: no commit tag, no time from moto
    // Pinned by digest at deploy: ECR names each digest's tag again.
    expect(rows[0]).toMatch(new RegExp(`^  ${s}:3 +r254 `));
    expect(rows[1]).toMatch(new RegExp(`^  ${s}:2 +r253 `));
    expect(operations(run)).toContain("DescribeImages");
    expect(operations(run)).toContain("ListServiceDeployments");
    expect(operations(run)).not.toContain("UpdateService");

    const limited = await deployCli(cwd, ["history", "config.toml", "--limit", "1"]);
    expect(limited.stdout.split("\n").filter((l) => l.startsWith(`  ${s}:`))).toHaveLength(1);
  });

  it("rollback deploys the revision before the current one, says so first, and waits for it", async () => {
    const { world, cwd } = await deployedTwice("rb-prev");
    await matchDrain(endpoint(), world, "healthy-short-drain", 0.1);
    const script = scriptedRollout("healthy-short-drain", world, { scale: 0.1 });

    const run = await deployCli(cwd, ["rollback", "config.toml", "--poll-interval", "1"], script.hook);

    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const s = world.service;
    expect(run.stdout).toContain(
      `Rolling back ${s}: from ${s}:3 (bbbbbbb octo/app) to ${s}:2 (aaaaaaa octo/app), the family's newest ACTIVE revision before it`,
    );
    // Said before anything changes, then the deploy's own steps.
    expect(run.stdout.indexOf("Rolling back")).toBeLessThan(run.stdout.indexOf("==> Pre-flight checks"));
    expect(run.stdout).toContain("  result: succeeded\n");
    expect(operations(run)).not.toContain("RegisterTaskDefinition");
    expect(await serviceTaskDefinition(world)).toMatch(new RegExp(`/${s}:2$`));
    expect(await revisions(world)).toHaveLength(3);
  });

  it("a rollback whose revision fails goes back to the one the service ran, as a deploy does", async () => {
    const { world, cwd } = await deployedTwice("rb-fail");
    await matchDrain(endpoint(), world, "crash-loop-without-breaker", 0.1);
    const script = scriptedRollout("crash-loop-without-breaker", world, { scale: 0.1 });
    const args = ["rollback", "config.toml", "--poll-interval", "1", "--wait-timeout", "1"];

    const run = await deployCli(cwd, args, script.hook);

    expect(run.code).toBe(1);
    const s = world.service;
    expect(run.stderr).toMatch(new RegExp(`; rolled back to ${s}:3: the service is healthy on it again`));
    expect(script.started.map((d: { taskDefinition: string }) => d.taskDefinition.split(":").pop())).toEqual([
      "2",
      "3",
    ]);
    expect(await serviceTaskDefinition(world)).toMatch(new RegExp(`/${s}:3$`));
  });

  it("rollback --to deploys the named revision", async () => {
    const { world, cwd } = await deployedTwice("rb-to");

    const run = await deployCli(cwd, ["rollback", "config.toml", "--to", `${world.service}:1`, "--no-wait"]);

    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain(`to ${world.service}:1 (no commit tag), as --to names it`);
    expect(run.stdout).toContain("  result: started\n");
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
  });

  it("a bad --to is refused with nothing changed: another family's revision, a missing one, not a revision", async () => {
    const [{ world, cwd }, other] = await Promise.all([deployedTwice("rb-bad"), seed("rb-other")]);
    const before = await serviceTaskDefinition(world);

    const family = await deployCli(cwd, ["rollback", "config.toml", "--to", `${other.service}:1`]);
    expect(family.code).toBe(1);
    expect(family.stderr).toContain(
      `error: --to: ${other.service}:1 is a revision of family ${other.service}, but the config's service runs family ${world.service}`,
    );

    const missing = await deployCli(cwd, ["rollback", "config.toml", "--to", `${world.service}:9`]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`to ${world.service}:9 (not found)`);
    expect(missing.stderr).toContain(`${world.service}:9 does not exist`);

    const malformed = await deployCli(cwd, ["rollback", "config.toml", "--to", "latest"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--to: expected a revision as family:revision (web:2) or its ARN, got "latest"');
    expect(operations(malformed)).toEqual([]);

    for (const run of [family, missing, malformed]) {
      expect(operations(run)).not.toContain("UpdateService");
      expect(operations(run)).not.toContain("RegisterTaskDefinition");
    }
    expect(await serviceTaskDefinition(world)).toBe(before);
    expect(await revisions(world)).toHaveLength(3);
  });

  it("with one revision only, there is nothing to roll back to", async () => {
    const world = await seed("rb-first");
    const cwd = workspaceWith(guideConfig(world), "config.toml").workspace;

    const run = await deployCli(cwd, ["rollback", "config.toml"]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: Nothing to roll back to: the family has no ACTIVE revision before ${world.service}:1: name one with --to`,
    );
    expect(operations(run)).not.toContain("UpdateService");
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
  });
});
