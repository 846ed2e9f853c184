// run() without the bundle: a recording Host and scripted AWS (aws-sdk-client-mock), one test per Result the run
// can end with. The result is decided in one place (main.ts): each test checks the output, the job summary's
// heading and the log agree on it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeImagesCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  ContinueServiceDeploymentCommand,
  type Deployment,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Inputs } from "../src/inputs.js";
import { run } from "../src/main.js";
import type { Result } from "../src/result.js";
import { fixturePath } from "./support/config.js";
import { recordingHost } from "./support/host.js";

const ecs = mockClient(ECSClient);
const ssm = mockClient(SSMClient);
const sts = mockClient(STSClient);
const ecr = mockClient(ECRClient);

const ACCOUNT = "879613780019";
const TD = (revision: number) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/NAME-test:${revision}`;
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/app:r254`;
const OURS = "ecs-svc/2222222222222222222";

/** What ECS holds: the service on a revision, and our deployment once UpdateService made one. */
interface World {
  service: Service;
  registered: RegisterTaskDefinitionCommandInput[];
  /** how our deployment looks once it started */
  rollout: Partial<Deployment>;
}

function workspace(extra = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "main-test-"));
  const guide = readFileSync(fixturePath("guide.toml"), "utf8");
  writeFileSync(join(dir, "app.toml"), `${guide}${extra}`);
  return dir;
}

function inputs(dir: string, change: Partial<Inputs> = {}): Inputs {
  return {
    config: "app.toml",
    images: IMAGE,
    environment: "",
    wait: true,
    waitTimeoutMs: 60_000,
    pollIntervalMs: 20,
    waitUntil: "completed",
    maxFailedTasks: 3,
    onFailure: "rollback",
    forceNewDeployment: false,
    dryRun: false,
    pinImages: false,
    keepRevisions: 0,
    continueArn: undefined,
    answer: "continue",
    tempDir: dir,
    workspace: dir,
    endpoint: undefined,
    githubToken: undefined,
    retryScale: 0.001,
    ...change,
  };
}

function script(): World {
  const world: World = {
    service: {
      serviceName: "NAME-test",
      serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/NAME-test/NAME-test`,
      clusterArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/NAME-test`,
      status: "ACTIVE",
      launchType: "FARGATE",
      desiredCount: 1,
      taskDefinition: TD(41),
      deployments: [
        {
          id: "ecs-svc/1111111111111111111",
          status: "PRIMARY",
          taskDefinition: TD(41),
          desiredCount: 1,
          runningCount: 1,
          pendingCount: 0,
          failedTasks: 0,
          rolloutState: "COMPLETED",
          createdAt: new Date("2026-12-01T10:00:00Z"),
        },
      ],
      events: [],
    },
    registered: [],
    rollout: { rolloutState: "COMPLETED", runningCount: 1, pendingCount: 0 },
  };
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: "NAME-test", status: "ACTIVE" }] });
  ecs.on(DescribeServicesCommand).callsFake(async () => ({ services: [world.service], failures: [] }));
  ecs.on(DescribeTaskDefinitionCommand).callsFake(async () => {
    throw Object.assign(new Error("Unable to describe task definition."), { name: "ClientException" });
  });
  ecs.on(RegisterTaskDefinitionCommand).callsFake(async (input: RegisterTaskDefinitionCommandInput) => {
    world.registered.push(input);
    return { taskDefinition: { ...input, taskDefinitionArn: TD(42), revision: 42 } };
  });
  ecs.on(UpdateServiceCommand).callsFake(async (input: { taskDefinition?: string; desiredCount?: number }) => {
    const ours: Deployment = {
      id: OURS,
      status: "PRIMARY",
      taskDefinition: input.taskDefinition ?? world.service.taskDefinition,
      desiredCount: input.desiredCount ?? 1,
      runningCount: 0,
      pendingCount: 1,
      failedTasks: 0,
      rolloutState: "IN_PROGRESS",
      createdAt: new Date(),
      ...world.rollout,
    };
    world.service = {
      ...world.service,
      taskDefinition: ours.taskDefinition,
      deployments: [ours],
      ...(input.desiredCount !== undefined ? { desiredCount: input.desiredCount } : {}),
    };
    return { service: world.service };
  });
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  ecs.on(DescribeTasksCommand).resolves({ tasks: [] });
  ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
  ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
  ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: `sha256:${"c".repeat(64)}` }] });
  return world;
}

async function runWith(dir: string, change: Partial<Inputs> = {}) {
  const host = recordingHost();
  await run(host, () => inputs(dir, change));
  const result = host.outputs.get("result") as Result | undefined;
  return { host, result, summary: host.summaries.join("\n") };
}

beforeEach(() => {
  delete process.env.GITHUB_RUN_ID;
});

afterEach(() => {
  for (const mock of [ecs, ssm, sts, ecr]) mock.reset();
});

describe("run", () => {
  it("succeeded: registered, updated, the rollout followed to COMPLETED", async () => {
    const world = script();
    const { host, result, summary } = await runWith(workspace());
    expect(result).toBe("succeeded");
    expect(host.failed).toBeUndefined();
    expect(host.outputs.get("task-definition-arn")).toBe(TD(42));
    expect(host.outputs.get("deployment-id")).toBe(OURS);
    expect(world.registered[0]?.containerDefinitions?.[0]?.image).toBe(IMAGE);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toMatchObject({ taskDefinition: TD(42) });
    expect(summary).toMatch(/succeeded/i);
  });

  it("started: wait false ends the run once UpdateService answered", async () => {
    script();
    const { host, result } = await runWith(workspace(), { wait: false });
    expect(result).toBe("started");
    expect(host.log).toContain("Not waiting for the rollout (wait: false)");
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  it("dry-run: every check, nothing registered or updated", async () => {
    script();
    const { host, result } = await runWith(workspace(), { dryRun: true });
    expect(result).toBe("dry-run");
    expect(host.log).toContain("Dry run: every check passed; nothing was changed in AWS");
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it("failed: a pre-flight problem fails the step, and nothing is changed in AWS", async () => {
    script();
    ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: "NAME-test", status: "INACTIVE" }] });
    const { host, result } = await runWith(workspace());
    expect(result).toBe("failed");
    expect(host.failed).toMatch(/found by the pre-flight checks.*; nothing was changed in AWS$/);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it("failed: the rollout fails (ECS's circuit breaker), its cause on the step's one line", async () => {
    const world = script();
    world.rollout = {
      rolloutState: "FAILED",
      rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
    };
    const { host, result } = await runWith(workspace(), { onFailure: "leave" });
    expect(result).toBe("failed");
    expect(host.failed).toMatch(/^deployment circuit breaker stopped the deployment/);
  });

  it("timed-out: the rollout is still going at the wait's timeout", async () => {
    const world = script();
    world.rollout = { rolloutState: "IN_PROGRESS", runningCount: 0, pendingCount: 1 };
    const { host, result } = await runWith(workspace(), { waitTimeoutMs: 200, onFailure: "leave" });
    expect(result).toBe("timed-out");
    expect(host.failed).toMatch(/timed out|timeout/i);
  });

  it("registered: UpdateService fails for good after our revision was registered", async () => {
    script();
    ecs
      .on(UpdateServiceCommand)
      .rejects(Object.assign(new Error("Service not found."), { name: "ServiceNotFoundException", $fault: "client" }));
    const { host, result } = await runWith(workspace());
    expect(result).toBe("registered");
    expect(host.failed).toMatch(/NAME-test:42 is registered, not deployed: re-run the workflow to deploy it$/);
  });

  it("cancelled: a SIGINT during the registration stops the run before UpdateService", async () => {
    const world = script();
    ecs.on(RegisterTaskDefinitionCommand).callsFake(async (input: RegisterTaskDefinitionCommandInput) => {
      world.registered.push(input);
      process.emit("SIGINT");
      return { taskDefinition: { ...input, taskDefinitionArn: TD(42), revision: 42 } };
    });
    const { host, result } = await runWith(workspace());
    expect(result).toBe("cancelled");
    expect(host.failed).toMatch(/^Cancelled before UpdateService: .*NAME-test:42 is registered/);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it("paused: a blue/green deployment's pause hook awaits an answer; the run ends, not failed", async () => {
    const world = script();
    world.service = { ...world.service, deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 0 } };
    world.rollout = { rolloutState: "IN_PROGRESS", runningCount: 1, pendingCount: 0 };
    const sd = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/NAME-test/NAME-test/Xk7rT2mPq9wLs3vB`;
    const revision = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-revision/NAME-test/NAME-test/2222222222222222222`;
    ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: sd, targetServiceRevisionArn: revision, status: "IN_PROGRESS" }],
    });
    ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [{ serviceRevisionArn: revision, taskDefinition: TD(42) }],
    });
    ecs.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: sd,
          status: "IN_PROGRESS",
          lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
          targetServiceRevision: { arn: revision },
          lifecycleHookDetails: [{ targetType: "PAUSE", status: "AWAITING_ACTION", hookId: "ecs-pause-1" } as never],
        },
      ],
    });
    const { host, result } = await runWith(workspace());
    expect(result).toBe("paused");
    expect(host.failed).toBeUndefined();
    expect(host.outputs.get("service-deployment")).toBe(sd);
    expect(host.annotations).toContainEqual(
      expect.objectContaining({
        kind: "notice",
        message: expect.stringMatching(/^paused by a pause hook at POST_TEST_TRAFFIC_SHIFT/),
      }),
    );
    expect(host.untrustedLines).toContain(
      `to go on, run this action with \`continue: ${sd}\` (the output service-deployment) and \`answer: continue\` or \`answer: rollback\``,
    );
  });

  it("started: `continue` with no images answers the pause and deploys nothing, as documented", async () => {
    const world = script();
    // The paused canary's revision 42 is the service's PRIMARY deployment, revision 41 ACTIVE beside it.
    const [old] = world.service.deployments ?? [];
    world.service = {
      ...world.service,
      deploymentConfiguration: { strategy: "CANARY", bakeTimeInMinutes: 0 },
      deployments: [
        { ...old, id: OURS, taskDefinition: TD(42), rolloutState: "IN_PROGRESS" },
        { ...old, status: "ACTIVE" },
      ],
    };
    const sd = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/NAME-test/NAME-test/Xk7rT2mPq9wLs3vB`;
    const revision = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-revision/NAME-test/NAME-test/2222222222222222222`;
    const paused = {
      serviceDeploymentArn: sd,
      status: "IN_PROGRESS" as const,
      lifecycleStage: "POST_TEST_TRAFFIC_SHIFT" as const,
      targetServiceRevision: { arn: revision },
      lifecycleHookDetails: [{ targetType: "PAUSE", status: "AWAITING_ACTION", hookId: "ecs-pause-1" } as never],
    };
    ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [paused] });
    ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [{ serviceRevisionArn: revision, taskDefinition: TD(42) }],
    });
    ecs.on(ContinueServiceDeploymentCommand).callsFake(() => {
      ecs.on(DescribeServiceDeploymentsCommand).resolves({
        serviceDeployments: [{ ...paused, lifecycleStage: "PRODUCTION_TRAFFIC_SHIFT", lifecycleHookDetails: [] }],
      });
      return { serviceDeploymentArn: sd };
    });
    const { host, result } = await runWith(workspace(), {
      images: "",
      continueArn: sd,
      answer: "continue",
      wait: false,
    });
    expect(host.failed).toBeUndefined();
    expect(result).toBe("started");
    expect(ecs.commandCalls(ContinueServiceDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { serviceDeploymentArn: sd, hookId: "ecs-pause-1", action: "CONTINUE" },
    ]);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(world.registered).toEqual([]);
  });

  it("started: an existing revision (task-definition) is deployed as it is; the summary lists its secrets' names", async () => {
    script();
    const parameter = (name: string) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/NAME-test/${name}`;
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: "NAME-test:40" }).resolves({
      taskDefinition: {
        taskDefinitionArn: TD(40),
        family: "NAME-test",
        revision: 40,
        status: "ACTIVE",
        containerDefinitions: [
          {
            name: "NAME-test",
            image: IMAGE,
            secrets: [
              { name: "DB_PASSWORD", valueFrom: parameter("DB_PASSWORD") },
              { name: "API_KEY", valueFrom: parameter("API_KEY") },
            ],
          },
        ],
      },
    });
    // The pre-flight looks each parameter up by name (metadata only): both exist.
    ssm.on(DescribeParametersCommand).callsFake(async (input: { ParameterFilters?: { Values?: string[] }[] }) => ({
      Parameters: (input.ParameterFilters?.[0]?.Values ?? []).map((Name) => ({ Name, Type: "SecureString" })),
    }));
    const { host, result, summary } = await runWith(workspace(), {
      images: "",
      taskDefinition: "NAME-test:40",
      wait: false,
    });
    expect(result, host.log.join("\n")).toBe("started");
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    // Names only, as the revision holds them (sorted by name), never a value nor where it is kept.
    expect(summary).toContain("| Secrets (SSM ARNs, values never read) | `API_KEY`, `DB_PASSWORD` |");
    expect(summary).not.toContain("parameter/NAME-test/DB_PASSWORD");
    expect(summary).toContain(`| Images | \`NAME-test\`: \`${IMAGE}\``);
    expect(summary).toContain("| Task definition | `NAME-test:40` |");
    expect(host.log).toContain("Secrets of NAME-test:40: API_KEY, DB_PASSWORD");
  });

  it("unchanged and scaled: the service runs the rendered revision already", async () => {
    // A first run registers the rendered task definition; the second finds the service on it.
    const first = script();
    // Images pinned by digest: a tag alone may point at a new image, and is deployed again.
    await runWith(workspace(), { wait: false, pinImages: true });
    const rendered = first.registered[0];
    expect(rendered).toBeDefined();
    for (const [extra, expected] of [
      ["", "unchanged"],
      ["desired_count = 2\n", "scaled"],
    ] as const) {
      ecs.reset();
      const world = script();
      world.service = { ...world.service, taskDefinition: TD(42) };
      world.rollout = { rolloutState: "COMPLETED", runningCount: 2, pendingCount: 0 };
      world.service.deployments = [{ ...world.service.deployments?.[0], taskDefinition: TD(42) }];
      ecs.on(DescribeTaskDefinitionCommand).resolves({
        taskDefinition: { ...rendered, taskDefinitionArn: TD(42), revision: 42, status: "ACTIVE" },
        tags: rendered?.tags ?? [],
      });
      const { host, result } = await runWith(workspace(extra), { pinImages: true });
      expect(result, host.log.join("\n")).toBe(expected);
      expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
      const updates = ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input);
      expect(updates).toEqual(expected === "scaled" ? [expect.objectContaining({ desiredCount: 2 })] : []);
    }
  });
});
