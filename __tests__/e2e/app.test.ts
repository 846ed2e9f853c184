// An app of three services through the bundled command line (`deploy-action CONFIG... --image TEMPLATE`), against
// moto through the recording proxy: an API whose [[pre_deploy]] migration must finish first (deploy_order = 1), then
// a web service and a worker without a port (deploy_order = 2) side by side. moto runs the migration's RunTask and
// takes each UpdateService; the rollouts' reads are scripted over real time, each service's on its own clock.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { byCluster, firstOf } from "../../scripts/lib/app-scripts.mjs";
import { matchDrain, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import { scriptedTasks } from "../../scripts/lib/scripted-task.mjs";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import {
  deployAction,
  deployCli,
  ecsClient,
  endpoint,
  revisions,
  seed,
  serviceTaskDefinition,
  type World,
  workspaceWith,
} from "../support/e2e.js";

type TaskScript = Parameters<typeof scriptedTasks>[0]["tasks"][number];

const MIGRATE = '[[pre_deploy]]\nname = "migrate"\ncommand = ["bin/migrate"]\n';
const TEMPLATE = "{account}.dkr.ecr.{region}.amazonaws.com/{service}:{version}";
const SCENARIO = "healthy-short-drain";

/** A worker's config: the guide's keys without `port`. */
function workerConfig(world: World): string {
  return guideConfig(world)
    .split("\n")
    .filter((line) => !line.startsWith("port ="))
    .join("\n");
}

async function seedApp(prefix: string) {
  const [api, web, worker] = await Promise.all([
    seed(`${prefix}-api`),
    seed(`${prefix}-web`),
    seed(`${prefix}-wrk`, { loadBalancer: false }),
  ]);
  await Promise.all([api, web].map((world) => matchDrain(endpoint(), world, SCENARIO, 0.1)));
  const dir = mkdtempSync(join(tmpdir(), "deploy-action-app-"));
  writeFileSync(join(dir, "api.toml"), `${guideConfig(api)}deploy_order = 1\n${MIGRATE}`);
  writeFileSync(join(dir, "web.toml"), `${guideConfig(web)}deploy_order = 2\n`);
  writeFileSync(join(dir, "worker.toml"), `${workerConfig(worker)}deploy_order = 2\n`);
  return { api, web, worker, dir };
}

/** Each service's rollout scripted on its own clock; the API's migration run by moto and scripted. */
function appScripts(app: Awaited<ReturnType<typeof seedApp>>, migration: TaskScript) {
  const tasks = scriptedTasks({ endpoint: endpoint(), region: app.api.region, tasks: [migration] });
  const rollouts = {
    api: scriptedRollout(SCENARIO, app.api, { scale: 0.1 }),
    web: scriptedRollout(SCENARIO, app.web, { scale: 0.1 }),
    worker: scriptedRollout(SCENARIO, app.worker, { scale: 0.1 }),
  };
  const routes = byCluster([
    { world: app.api, hook: firstOf(rollouts.api.hook, tasks.hook) },
    { world: app.web, hook: rollouts.web.hook },
    { world: app.worker, hook: rollouts.worker.hook },
  ]);
  return { routes, tasks, rollouts };
}

/** When each world's calls began and ended, from the router's log. */
function span(log: { operation: string; cluster: string | undefined; at: number }[], world: World, from: string) {
  const mine = log.filter((c) => c.cluster === world.cluster);
  const start = mine.find((c) => c.operation === from)?.at ?? Number.NaN;
  return { start, end: mine.at(-1)?.at ?? Number.NaN };
}

// Three worlds seeded and three runs each: more than one service's time on a busy machine.
describe.concurrent("an app through the command line", () => {
  it("runs the API's migration first, then the web and the worker side by side, and lists all three", async () => {
    const app = await seedApp("app");
    const { routes, tasks } = appScripts(app, { startMs: 500, runMs: 1500, exitCode: 0 });
    const args = ["*.toml", "--image", TEMPLATE, "--version", "r254", "--poll-interval", "1"];
    try {
      const run = await deployCli(app.dir, args, routes.hook);

      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        `3 services in 2 waves: 1. ${app.api.service} (api.toml); 2. ${app.web.service} (web.toml), ${app.worker.service} (worker.toml)`,
      );
      // The migration ran, and the API's rollout ended, before either service of wave 2 was touched.
      expect(tasks.runs).toHaveLength(1);
      const api = span(routes.log, app.api, "RunTask");
      const web = span(routes.log, app.web, "UpdateService");
      const worker = span(routes.log, app.worker, "UpdateService");
      expect(api.end).toBeLessThan(Math.min(web.start, worker.start));
      // Side by side: each of wave 2 was updated before the other's rollout ended.
      expect(web.start).toBeLessThan(worker.end);
      expect(worker.start).toBeLessThan(web.end);
      // Each service's lines are labelled with it.
      expect(run.stdout).toContain(`[${app.worker.service}] ==> Wait for rollout`);
      // The summary: one row per service, in the order of the waves.
      const summary = run.stdout.slice(run.stdout.indexOf("==> Summary"));
      const rows = summary.split("\n").filter((line) => /succeeded/.test(line));
      expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([app.api.service, app.web.service, app.worker.service]);
      for (const row of rows) expect(row).toMatch(/ r254 +[\w-]+:2 +succeeded +\d+s/);
      // Read back: each service runs its new revision; the worker's main container maps no port.
      for (const world of [app.api, app.web, app.worker]) {
        expect(await serviceTaskDefinition(world)).toMatch(new RegExp(`task-definition/${world.service}:2$`));
      }
      const ecs = ecsClient(app.worker);
      try {
        const { taskDefinition } = await ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: `${app.worker.service}:2` }),
        );
        expect(taskDefinition?.containerDefinitions?.[0]?.portMappings ?? []).toEqual([]);
      } finally {
        ecs.destroy();
      }
    } finally {
      tasks.stop();
    }
  }, 120_000);

  it("with the API's migration failing, starts neither of wave 2 and says why in the summary", async () => {
    const app = await seedApp("appfail");
    const { routes, tasks } = appScripts(app, { startMs: 500, runMs: 1500, exitCode: 1 });
    const args = ["api.toml", "web.toml", "worker.toml", "--image", TEMPLATE, "--version", "r254"];
    try {
      const run = await deployCli(app.dir, args, routes.hook);

      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`${app.api.service} failed: the later waves are not started`);
      const summary = run.stdout.slice(run.stdout.indexOf("==> Summary"));
      expect(summary).toMatch(
        new RegExp(`${app.api.service} +r254 +[\\w-]+:2 +failed +\\d+s +Pre-deploy task "migrate" exited with code 1`),
      );
      for (const world of [app.web, app.worker]) {
        expect(summary).toMatch(
          new RegExp(`${world.service} +not started +not started: an earlier wave failed \\(${app.api.service}\\)`),
        );
        // Read back: neither was updated, nor was anything registered for it.
        expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
        expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
        expect(routes.log.filter((c) => c.cluster === world.cluster)).toEqual([]);
      }
      expect(run.stderr).toContain(
        `error: 3 of 3 services failed or did not start: ${app.api.service}, ${app.web.service}, ${app.worker.service}`,
      );
    } finally {
      tasks.stop();
    }
  }, 120_000);

  it("--dry-run shows every service's plan and changes nothing", async () => {
    const app = await seedApp("appdry");
    const run = await deployCli(app.dir, ["*.toml", "--image", TEMPLATE, "--version", "r254", "--dry-run"]);

    expect(run.code).toBe(0);
    for (const world of [app.api, app.web, app.worker]) {
      expect(run.stdout).toContain(`[${world.service}] ==> Dry run: what would be deployed`);
      expect(run.stdout).toMatch(new RegExp(`\\n${world.service} +r254 +dry-run`));
      expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
    }
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(run.calls.map((c) => c.operation)).not.toContain("UpdateService");
  }, 120_000);
});

describe.concurrent("a worker (no port)", () => {
  it("deploys to a service without a load balancer, judged on its tasks", async () => {
    const world = await seed("worker", { loadBalancer: false });
    const dir = mkdtempSync(join(tmpdir(), "deploy-action-worker-"));
    writeFileSync(join(dir, "config.toml"), workerConfig(world));
    const script = scriptedRollout(SCENARIO, world, { scale: 0.1 });
    const image = `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`;
    const run = await deployCli(dir, ["config.toml", image, "--poll-interval", "1"], script.hook);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("  result: succeeded\n");
    expect(run.calls.map((c) => c.operation)).not.toContain("DescribeTargetHealth");
    expect(await serviceTaskDefinition(world)).toMatch(new RegExp(`task-definition/${world.service}:2$`));
  });

  it("is refused, with the reason, when the service has a target group, and nothing is changed", async () => {
    const world = await seed("worker-tg");
    const dir = mkdtempSync(join(tmpdir(), "deploy-action-worker-"));
    writeFileSync(join(dir, "config.toml"), workerConfig(world));
    const image = `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`;
    const run = await deployCli(dir, ["config.toml", image]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `sends traffic to container \`${world.service}\` port ${world.port}, but the config sets no \`port\` (a worker): set \`port = ${world.port}\` if it serves traffic, or deploy the worker to a service without a load balancer`,
    );
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
  });
});

describe.concurrent("the action's record output", () => {
  it("is one line of JSON with the service, its environment, version, result, duration and first error line", async () => {
    const world = await seed("record");
    const image = `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`;
    const run = await deployAction(workspaceWith(workerConfig(world)), { images: image, environment: "production" });

    expect(run.code).toBe(1);
    const record = JSON.parse(run.outputs.record ?? "");
    expect(record).toEqual({
      service: world.service,
      cluster: world.cluster,
      environment: "production",
      version: "r254",
      result: "failed",
      seconds: expect.any(Number),
      error: expect.stringContaining("but the config sets no `port` (a worker)"),
    });
    expect(run.outputs.result).toBe("failed");
  });
});
