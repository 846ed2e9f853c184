// [[pre_deploy]] tasks through the bundled action. moto runs the action's RunTask for real (it checks and stores
// the request); the proxy plays what moto cannot (scripts/lib/scripted-task.mjs): the task's states over real time
// as ECS moves them, its exit codes, its log lines written into moto's CloudWatch Logs, RunTask's refusals. These
// are scripted tasks, not AWS: the verdicts and the order of calls are what they prove.
import { DescribeTasksCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { scriptedTasks } from "../../scripts/lib/scripted-task.mjs";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import {
  deployAction,
  ecsClient,
  endpoint,
  errorLines,
  image,
  seed,
  serviceTaskDefinition,
  settled,
  type World,
  workspaceWith,
} from "../support/e2e.js";

type TaskScript = Parameters<typeof scriptedTasks>[0]["tasks"][number];
type Answer = NonNullable<Parameters<typeof deployAction>[2]>;

const MIGRATE = '[[pre_deploy]]\nname = "migrate"\ncommand = ["bin/migrate", "--all"]\nenvironment = { STEP = "1" }\n';

async function deployWith(
  world: World,
  tasks: TaskScript[],
  /** settle: the service shows its rollout COMPLETED (moto never completes one), as after an earlier deploy. */
  options: { toml?: string; inputs?: Record<string, string>; cancelOn?: RegExp; settle?: boolean } = {},
) {
  const script = scriptedTasks({ endpoint: endpoint(), region: world.region, tasks });
  const answer: Answer = async (call) =>
    (await script.hook(call as Parameters<typeof script.hook>[0])) ?? (options.settle ? settled?.(call) : undefined);
  const config = `${guideConfig(world)}${options.toml ?? MIGRATE}`;
  const inputs = { images: image(world), wait: "false", "poll-interval": "1", ...options.inputs };
  const before = await serviceTaskDefinition(world);
  try {
    const run = await deployAction(workspaceWith(config), inputs, answer, {}, options.cancelOn);
    const operations = run.calls.map((c) => c.operation);
    return { run, operations, script, before };
  } finally {
    script.stop();
  }
}

const comesBefore = (operations: string[], first: string, then: string) =>
  operations.indexOf(first) >= 0 && operations.indexOf(first) < operations.indexOf(then);

describe.concurrent("pre-deploy tasks, scripted over real time", () => {
  it("runs the task after RegisterTaskDefinition, prints its lines redacted and inert, and deploys once it exits 0", async () => {
    const world = await seed("pre-ok");
    const lines = [
      { atMs: 1200, text: "migrating 3 tables" },
      { atMs: 1500, text: "::error::not a command password=hunter2" },
      { atMs: 2500, text: "done" },
    ];
    const toml = `${MIGRATE}print_logs = "all"\n`;
    const { run, operations } = await deployWith(world, [{ startMs: 1000, runMs: 3000, exitCode: 0, lines }], { toml });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("started");
    expect(comesBefore(operations, "RegisterTaskDefinition", "RunTask")).toBe(true);
    expect(comesBefore(operations, "RunTask", "UpdateService")).toBe(true);
    expect(operations.filter((o) => o === "DescribeTasks").length).toBeGreaterThanOrEqual(2);
    expect(run.stdout).toContain("::group::Pre-deploy task 1 of 1: migrate");
    expect(run.stdout).toContain("migrating 3 tables");
    expect(run.stdout).toContain('Pre-deploy task "migrate" exited with code 0');
    // The app's line is printed inside stop-commands, redacted: never read as a workflow command.
    expect(run.stdout).not.toContain("hunter2");
    expect(run.stdout).not.toMatch(/^::error::not a command/m);
    expect(run.stdout).toMatch(/^::stop-commands::/m);
    expect(await serviceTaskDefinition(world)).toMatch(new RegExp(`task-definition/${world.service}:2$`));
    expect(run.summary).toContain("### Pre-deploy tasks");
    expect(run.summary).toContain("✅ 1. `migrate`: succeeded");
    expect(run.summary).toContain("exit code: 0");
  });

  it("by default prints no line of a task that succeeds, and with print_logs = none not even a failed one's", async () => {
    const lines = [{ atMs: 1200, text: "customer alice@example.com migrated" }];
    const [ok, failed] = await Promise.all([
      seed("pre-quiet").then((world) => deployWith(world, [{ startMs: 1000, runMs: 2000, exitCode: 0, lines }])),
      seed("pre-none").then((world) =>
        deployWith(world, [{ startMs: 1000, runMs: 2000, exitCode: 1, lines }], {
          toml: `${MIGRATE}print_logs = "none"\n`,
        }),
      ),
    ]);
    expect(ok.run.code).toBe(0);
    expect(ok.run.stdout).toContain('Pre-deploy task "migrate" exited with code 0');
    expect(failed.run.code).toBe(1);
    expect(failed.run.stdout).toContain('Pre-deploy task "migrate" exited with code 1');
    for (const { run } of [ok, failed]) {
      expect(run.stdout).not.toContain("alice@example.com");
      expect(run.summary).not.toContain("alice@example.com");
    }
  });

  it("stops the deploy when the task exits 1, with its log lines, and makes no UpdateService", async () => {
    const world = await seed("pre-exit");
    const lines = [
      { atMs: 1200, text: "applying 0042_add_index" },
      { atMs: 1600, text: 'ERROR: relation "orders" does not exist' },
    ];
    const { run, operations, before } = await deployWith(world, [{ runMs: 2500, exitCode: 1, lines }]);

    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(operations).toContain("RunTask");
    expect(operations).not.toContain("UpdateService");
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(
      new RegExp(
        `^Pre-deploy task "migrate" exited with code 1; nothing was deployed: the service still runs ${world.service}:1 \\(${world.service}:2 is registered, not deployed\\)`,
      ),
    );
    expect(await serviceTaskDefinition(world)).toBe(before);
    expect(run.summary).toContain('ERROR: relation "orders" does not exist');
    expect(run.summary).toContain("❌ 1. `migrate`: failed");
  });

  it("says a task that never started, with ECS's reason", async () => {
    const world = await seed("pre-pull");
    const reason = `CannotPullContainerError: pull image manifest has been retried 7 time(s): ${image(world)}: not found`;
    const { run, operations } = await deployWith(world, [{ startMs: 1500, neverStarts: reason }]);

    expect(run.code).toBe(1);
    expect(operations).not.toContain("UpdateService");
    const [first] = errorLines(run.stdout);
    expect(first).toContain('Pre-deploy task "migrate" never started: CannotPullContainerError');
    expect(first).toContain("(TaskFailedToStart)");
    expect(first).toContain("nothing was deployed");
  });

  it("says RunTask's refusal, with its reason, and follows nothing", async () => {
    const world = await seed("pre-refused");
    const { run, operations } = await deployWith(world, [{ failures: [{ reason: "RESOURCE:ENI" }] }]);

    expect(run.code).toBe(1);
    expect(operations).not.toContain("DescribeTasks");
    expect(operations).not.toContain("UpdateService");
    expect(errorLines(run.stdout)[0]).toMatch(/^Pre-deploy task "migrate" was refused by RunTask: RESOURCE:ENI; /);
  });

  it("stops a task that runs past its timeout (StopTask) and says so", async () => {
    const world = await seed("pre-timeout");
    const toml = '[[pre_deploy]]\nname = "warm cache"\ncommand = ["bin/warm"]\ntimeout = 0.05\n';
    const { run, operations, script } = await deployWith(world, [{ runMs: Number.POSITIVE_INFINITY }], { toml });

    expect(run.code).toBe(1);
    expect(comesBefore(operations, "RunTask", "StopTask")).toBe(true);
    expect(operations).not.toContain("UpdateService");
    expect(errorLines(run.stdout)[0]).toMatch(
      /^Pre-deploy task "warm cache" ran past its timeout of 3s: stopped it \(StopTask\); nothing was deployed/,
    );
    expect(script.runs[0]?.stopped?.reason).toBe("the pre-deploy task ran past its timeout of 3s");
  });

  it("fails when an essential sidecar exits and stops the task under the command", async () => {
    const world = await seed("pre-sidecar");
    const toml = `[containers.proxy]\nimage = "public.ecr.aws/nginx/nginx:1.27-alpine"\nessential = true\n${MIGRATE}`;
    const tasks = [{ runMs: 6000, sidecar: { name: "proxy", exitCode: 2, atMs: 2000 } }];
    const { run, operations } = await deployWith(world, tasks, { toml });

    expect(run.code).toBe(1);
    expect(operations).not.toContain("UpdateService");
    expect(errorLines(run.stdout)[0]).toContain(
      'Pre-deploy task "migrate" was stopped by its essential container proxy, which exited with code 2 before the command finished',
    );
  });

  it("stops the running task on cancel (StopTask), says so, and deploys nothing", async () => {
    const world = await seed("pre-cancel");
    const { run, operations, script, before } = await deployWith(world, [{ runMs: Number.POSITIVE_INFINITY }], {
      // The runner's cancel once the task runs (the log says so).
      cancelOn: / is RUNNING/,
    });

    expect(run.outputs.result).toBe("cancelled");
    expect(operations).toContain("StopTask");
    expect(operations).not.toContain("UpdateService");
    expect(script.runs[0]?.stopped?.reason).toBe("the deploy was cancelled");
    // The cancel aborts the log read in flight: that is not news about the logs.
    expect(run.stdout).not.toContain("GetLogEvents");
    expect(errorLines(run.stdout)[0]).toMatch(
      /^Pre-deploy task "migrate" was cancelled while it ran: stopped it \(StopTask\); nothing was deployed/,
    );
    expect(await serviceTaskDefinition(world)).toBe(before);
  });
});

describe("pre-deploy tasks on moto", () => {
  it("sends RunTask the new revision, the service's network and the command override (read back with DescribeTasks)", async () => {
    const world = await seed("pre-moto");
    const { run, script } = await deployWith(world, [{ runMs: 2000, exitCode: 0 }]);
    expect(run.code).toBe(0);

    const [ran] = script.runs;
    const revision = `arn:aws:ecs:${world.region}:${world.account}:task-definition/${world.service}:2`;
    expect(ran?.request.taskDefinition).toBe(revision);
    const ecs = ecsClient(world);
    try {
      const described = await ecs.send(
        new DescribeTasksCommand({ cluster: world.cluster, tasks: [ran?.taskArn ?? ""] }),
      );
      const task = described.tasks?.[0];
      // moto ran the revision's twin (the same containers with a memoryReservation: see scripted-task.mjs).
      expect(task?.taskDefinitionArn).toBe(ran?.twinArn);
      expect(task?.launchType).toBe("FARGATE");
      expect(task?.startedBy).toMatch(/^deploy-action\/local-[0-9a-f]{16}\/1-migrate$/);
      expect(task?.overrides?.containerOverrides).toEqual([
        { name: world.service, command: ["bin/migrate", "--all"], environment: [{ name: "STEP", value: "1" }] },
      ]);
      const eni = task?.attachments?.find((a) => a.type === "ElasticNetworkInterface");
      expect(eni?.details?.find((d) => d.name === "subnetId")?.value).toBe(world.subnetIds[0]);
    } finally {
      ecs.destroy();
    }
    expect(ran?.request.networkConfiguration).toMatchObject({
      awsvpcConfiguration: { subnets: world.subnetIds, securityGroups: [world.securityGroupId] },
    });
    expect(ran?.request.clientToken).toMatch(/^deploy-action-[0-9a-f]{40}$/);
  });

  it("does not run the tasks again when nothing is deployed, and says so", async () => {
    const world = await seed("pre-same");
    const first = await deployWith(world, [{ runMs: 1500, exitCode: 0 }]);
    expect(first.run.outputs.result).toBe("started");
    const { run, operations } = await deployWith(world, [{ runMs: 1500, exitCode: 0 }], { settle: true });

    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("unchanged");
    expect(operations).not.toContain("RunTask");
    expect(run.stdout).toContain(
      `Pre-deploy tasks not run: nothing is deployed (the service runs ${world.service}:2 already, which equals the rendered task definition)`,
    );
    expect(run.summary).toContain("⏭️ 1. `migrate`: not-run");
  });

  it("lists the tasks in a dry run, with their commands and network, and makes no RunTask call", async () => {
    const world = await seed("pre-dry");
    const { run, operations } = await deployWith(world, [{}], { inputs: { "dry-run": "true" } });

    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("dry-run");
    expect(operations).not.toContain("RunTask");
    expect(operations).not.toContain("RegisterTaskDefinition");
    expect(run.stdout).toContain('1. "migrate": bin/migrate --all (container');
    expect(run.stdout).toContain(
      `network: subnets ${world.subnetIds.join(", ")}; security groups ${world.securityGroupId}`,
    );
    expect(run.summary).toContain("🔍 1. `migrate`: dry-run");
  });
});
