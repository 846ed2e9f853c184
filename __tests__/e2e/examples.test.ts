// End to end: each config in examples/ is deployed by the bundled action against moto, and what AWS then holds is
// read back. moto needs what the files reference (network, roles, log groups, clusters, services, images, the
// explicit secrets): the test seeds them, and puts the IDs moto chose in place of the examples' placeholder IDs.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, seedNetwork, seedService } from "../../scripts/lib/seed.mjs";
import { deployAction, describeService, ecsClient, endpoint, settled, type World } from "../support/e2e.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const region = "us-east-1";
const registry = `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com`;

/** The placeholders the examples use, replaced by what moto created. */
let replacements: [string, string][] = [];
let workspace = "";

/** Every TOML file of a folder tree. */
function tomlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".toml"))
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  const network = await seedNetwork({ endpoint: endpoint(), cidr: "10.42", name: `examples-${process.pid}` });
  const sm = new SecretsManagerClient({
    region,
    endpoint: endpoint(),
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  const secret = await sm.send(
    new CreateSecretCommand({ Name: "cms/prod/database-url", SecretString: "postgres://never-read" }),
  );
  sm.destroy();
  replacements = [
    ["subnet-0a1b2c3d4e5f60001", network.subnetIds[0] ?? ""],
    ["subnet-0a1b2c3d4e5f60002", network.subnetIds[1] ?? ""],
    ["sg-0a1b2c3d4e5f60003", network.securityGroupId],
    ["arn:aws:secretsmanager:us-east-1:123456789012:secret:cms/prod/database-url-AbCdEf", secret.ARN ?? ""],
    // The guide's file names its own account; moto has one.
    ["879613780019", ACCOUNT],
  ];
  workspace = mkdtempSync(join(tmpdir(), "examples-ws-"));
  cpSync(join(root, "examples"), workspace, { recursive: true });
  for (const file of tomlFiles(workspace)) {
    let text = readFileSync(file, "utf8");
    for (const [from, to] of replacements) text = text.replaceAll(from, to);
    writeFileSync(file, text);
  }
  const services = [
    { cluster: "apps-dev", service: "web-dev", roles: ["ecs-task-execution", "web-dev-task"] },
    { cluster: "apps-prod", service: "web-prod", roles: ["ecs-task-execution", "web-prod-task"] },
    { cluster: "apps-prod", service: "cms-prod", roles: ["ecs-task-execution", "cms-prod-task"] },
    { cluster: "NAME-test", service: "NAME-test", roles: [] },
  ];
  // One after another: services share clusters, roles and the execution role.
  for (const s of services) {
    await seedService({
      endpoint: endpoint(),
      ...s,
      repository: s.service.toLowerCase(),
      logGroup: `/aws/ecs/fargate/${s.service}`,
      network,
      parameters:
        s.service === "cms-prod" ? [{ Name: "/shared/mail/API_KEY", Value: "never-read", Type: "SecureString" }] : [],
    });
  }
}, 120_000);

const world = (cluster: string, service: string) => ({ cluster, service, region }) as World;

async function taskDefinitionOf(arn: string) {
  const ecs = ecsClient(world("", ""));
  try {
    return await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }));
  } finally {
    ecs.destroy();
  }
}

async function deployExample(config: string, service: string) {
  const run = await deployAction(
    { workspace, config },
    { images: `${registry}/${service.toLowerCase()}:r2`, wait: "false" },
  );
  expect(run.code, run.stdout).toBe(0);
  return run;
}

describe.concurrent("examples/ deploy", () => {
  it("web-dev: the universe's network and settings, one task, its port name", async () => {
    const run = await deployExample("applications/web/jobs/web-dev.toml", "web-dev");
    expect(run.stdout).toContain("from shared/universe.toml");
    const service = await describeService(world("apps-dev", "web-dev"));
    expect(service?.desiredCount).toBe(1);
    expect(service?.propagateTags).toBe("SERVICE");
    expect(service?.healthCheckGracePeriodSeconds).toBe(30);
    expect(service?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(service?.networkConfiguration?.awsvpcConfiguration).toMatchObject({ assignPublicIp: "DISABLED" });
    const { taskDefinition, tags } = await taskDefinitionOf(run.outputs["task-definition-arn"] ?? "");
    expect(taskDefinition?.containerDefinitions?.[0]?.portMappings?.[0]).toMatchObject({
      containerPort: 8080,
      name: "http",
      appProtocol: "http",
    });
    expect(taskDefinition?.taskRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/web-dev-task`);
    expect(tags).toEqual(
      expect.arrayContaining([
        { key: "team", value: "storefront" },
        { key: "environment", value: "dev" },
      ]),
    );
  });

  it("web-prod: more tasks, alarms, a different role, a larger task", async () => {
    const run = await deployExample("applications/web/jobs/web-prod.toml", "web-prod");
    const service = await describeService(world("apps-prod", "web-prod"));
    expect(service?.desiredCount).toBe(4);
    expect(service?.deploymentConfiguration).toMatchObject({
      minimumHealthyPercent: 100,
      maximumPercent: 150,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: ["web-prod-5xx", "web-prod-latency"], rollback: true, enable: true },
    });
    const { taskDefinition } = await taskDefinitionOf(run.outputs["task-definition-arn"] ?? "");
    expect(taskDefinition).toMatchObject({
      cpu: "1024",
      memory: "2048",
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-prod-task`,
    });
    expect(taskDefinition?.containerDefinitions?.[0]).toMatchObject({ readonlyRootFilesystem: true, stopTimeout: 60 });
  });

  it("cms-prod: a sidecar, an EFS volume through an access point, explicit secrets, ARM64", async () => {
    const run = await deployExample("applications/cms/jobs/cms-prod.toml", "cms-prod");
    const operations = run.calls.map((c) => c.operation);
    expect(operations).toContain("DescribeSecret");
    expect(operations).not.toContain("GetSecretValue");
    const { taskDefinition } = await taskDefinitionOf(run.outputs["task-definition-arn"] ?? "");
    expect(taskDefinition?.runtimePlatform).toEqual({ cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" });
    expect(taskDefinition?.ephemeralStorage).toEqual({ sizeInGiB: 30 });
    expect(taskDefinition?.volumes).toEqual([
      {
        name: "uploads",
        efsVolumeConfiguration: {
          fileSystemId: "fs-0a1b2c3d4e5f60004",
          // What describe fills in for a definition that left it out (normalize.ts does the same).
          rootDirectory: "/",
          transitEncryption: "ENABLED",
          authorizationConfig: { accessPointId: "fsap-0a1b2c3d4e5f60005", iam: "ENABLED" },
        },
      },
    ]);
    const [app, nginx] = taskDefinition?.containerDefinitions ?? [];
    expect(app).toMatchObject({
      name: "app",
      user: "1000:1000",
      linuxParameters: { initProcessEnabled: true },
      ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
      mountPoints: [{ sourceVolume: "uploads", containerPath: "/srv/uploads", readOnly: false }],
    });
    expect(app?.secrets?.map((s) => s.name)).toEqual(["DATABASE_URL", "MAIL_API_KEY"]);
    expect(nginx).toMatchObject({
      name: "nginx",
      image: expect.stringMatching(/^public\.ecr\.aws\/nginx\/nginx:1\.27-alpine$/),
      dependsOn: [{ containerName: "app", condition: "HEALTHY" }],
      mountPoints: [{ sourceVolume: "uploads", containerPath: "/usr/share/nginx/html/uploads", readOnly: true }],
      dockerLabels: { "com.example.role": "static" },
    });
    // public.ecr.aws is allowed by the universe file, and said to be neither checked nor pinned.
    expect(run.stdout).toMatch(/::warning::image `public\.ecr\.aws\/nginx\/nginx:1\.27-alpine` is on ECR Public/);

    // Deployed again unchanged, the revision compares equal to what ECS describes (EFS, ulimits, labels and all):
    // nothing is registered; only the sidecar's tag-named image is a reason to roll the same revision again.
    const again = await deployAction(
      { workspace, config: "applications/cms/jobs/cms-prod.toml" },
      { images: `${registry}/cms-prod:r2`, wait: "false" },
      settled,
    );
    expect(again.code, again.stdout).toBe(0);
    expect(again.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(again.stdout).toMatch(
      /Plan: deploy revision \d+ again: image public\.ecr\.aws\/nginx\/nginx:1\.27-alpine is named by tag/,
    );
  });

  it("the guide's own config.toml", async () => {
    const run = await deployExample("config.toml", "NAME-test");
    const service = await describeService(world("NAME-test", "NAME-test"));
    expect(service?.taskDefinition).toBe(run.outputs["task-definition-arn"]);
    const { taskDefinition } = await taskDefinitionOf(run.outputs["task-definition-arn"] ?? "");
    expect(taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.options).toMatchObject({
      "awslogs-group": "/aws/ecs/fargate/NAME-test",
    });
  });
});
