// End to end: the bundled action, run as the runner runs it, against a moto server; then read back
// what AWS holds. moto never moves a deployment forward, so these runs use `wait: false` or a short timeout.
import { readFileSync, writeFileSync } from "node:fs";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { defaultParameters } from "../../scripts/lib/seed.mjs";
import {
  clientConfig,
  deployAction,
  ecsClient,
  errorLines,
  guideWorkspace,
  image,
  revisions,
  seed,
  serviceTaskDefinition,
} from "../support/e2e.js";

describe("deploying the guide's config.toml unchanged", () => {
  it("registers the task definition, updates the service and reports it", async () => {
    const world = await seed("guide");
    const run = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const arn = run.outputs["task-definition-arn"] ?? "";
    expect(arn).toMatch(new RegExp(`task-definition/${world.service}:2$`));
    expect(run.outputs["task-definition-revision"]).toBe("2");
    expect(run.outputs.result).toBe("started");

    const ecs = ecsClient(world);
    const { taskDefinition: td } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] })))
      .services?.[0];
    ecs.destroy();

    expect(td?.family).toBe(world.service);
    expect([td?.cpu, td?.memory]).toEqual(["256", "512"]);
    expect(td?.networkMode).toBe("awsvpc");
    expect(td?.requiresCompatibilities).toEqual(["FARGATE"]);
    expect(td?.executionRoleArn).toBe(world.executionRoleArn);
    expect(td?.taskRoleArn).toBe(world.taskRoleArn);
    const container = td?.containerDefinitions?.[0];
    expect(td?.containerDefinitions).toHaveLength(1);
    expect(container?.name).toBe(world.service);
    // Pinned by default: the digest ECR gave the tag, so a re-pushed tag can never change what runs.
    const digest = JSON.parse(run.outputs["image-digests"] ?? "{}")[world.service]?.digest;
    expect(container?.image).toBe(`${image(world).replace(/:r254$/, "")}@${digest}`);
    expect(container?.portMappings?.[0]?.containerPort).toBe(80);
    expect(container?.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": `/aws/ecs/fargate/${world.service}`,
        "awslogs-region": world.region,
        "awslogs-stream-prefix": world.service,
      },
    });

    // Every parameter under /<service>, nested ones too, as an ARN; never a value.
    const expected = defaultParameters(world.service).map((p) => ({
      name: p.Name.split("/").pop(),
      valueFrom: `arn:aws:ssm:${world.region}:${world.account}:parameter${p.Name}`,
    }));
    expect(container?.secrets).toEqual(expected.sort((a, b) => ((a.name ?? "") < (b.name ?? "") ? -1 : 1)));

    expect(service?.taskDefinition).toBe(arn);
    const primary = service?.deployments?.find((d) => d.status === "PRIMARY");
    expect(run.outputs["deployment-id"]).toBe(primary?.id);

    for (const parameter of defaultParameters(world.service)) {
      expect(run.stdout).not.toContain(parameter.Value);
      expect(run.summary).not.toContain(parameter.Value);
    }
    for (const group of [
      "Read config",
      "Pre-flight checks",
      "Render task definition",
      "Register task definition",
      "Update service",
    ]) {
      expect(run.stdout).toContain(`::group::${group}`);
    }
    expect(run.summary).toContain(`\`${world.service}:2\``);
    expect(run.summary).toContain("`SESSION_SECRET`");
    expect(run.summary).toContain(`${image(world)}\` → \`${digest}`);
    expect(run.summary).toContain(`https://${world.region}.console.aws.amazon.com/ecs/v2/clusters/${world.cluster}`);
  });

  it("waits, times out truthfully on a rollout that never finishes, and rolls back", async () => {
    const world = await seed("stuck");
    const run = await deployAction(guideWorkspace(world), {
      images: image(world),
      "wait-timeout": "0.05",
      "poll-interval": "1",
    });

    expect(run.code).toBe(1);
    expect(run.outputs["task-definition-arn"]).toMatch(/:2$/);
    expect(run.outputs.result).toBe("timed-out");
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(/timed out/i);
    // The rollback put the service back on the revision it ran before.
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
    expect(run.summary).toMatch(/roll(ed)? ?back/i);
  });
});

describe("refusing bad input before any change", () => {
  const cases: [string, (toml: string) => string, Record<string, string>, RegExp][] = [
    ["malformed TOML", (t) => `${t}port = = 80\n`, {}, /deploy\/app\.toml:\d+:\d+/],
    ["an unknown key", (t) => `${t}prot = 8080\n`, {}, /unknown key `prot`.*did you mean `port`/],
    ["a wrong type", (t) => t.replace("port = 80", 'port = "80"'), {}, /port.*integer/],
    [
      "a missing cluster",
      (t) => t.replace(/cluster = ".*"/, 'cluster = "no-such-cluster"'),
      {},
      /cluster `no-such-cluster` does not exist/,
    ],
    [
      "a missing service",
      (t) => t.replace(/service = ".*"/, 'service = "no-such-service"'),
      {},
      /service `no-such-service` does not exist/,
    ],
    ["an image for an unknown container", (t) => t, { images: "worker=nginx:1" }, /no container `worker`/],
    ["an empty version tag", (t) => t, { images: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:" }, /empty tag/],
    // The record of what shipped is the action's: a config cannot make a revision claim another commit.
    [
      "a deploy-action:commit tag",
      (t) => `${t}[tags]\n"deploy-action:commit" = "${"0".repeat(40)}"\n`,
      {},
      /deploy\/app\.toml:\d+:\d+: `tags\."deploy-action:commit"` is the action's own tag/,
    ],
    ["wait-timeout in hex", (t) => t, { wait: "true", "wait-timeout": "0x10" }, /wait-timeout/],
    [
      "an empty answer to a pause",
      (t) => t,
      { continue: "arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s/Xk7rT2mPq9wLs3vB", answer: " " },
      /^input `answer`: expected one of continue, rollback, got ""$/,
    ],
  ];

  it.each(cases)("%s", async (_name, edit, inputs, message) => {
    const world = await seed("bad");
    const { workspace, config } = guideWorkspace(world);
    const file = `${workspace}/${config}`;
    writeFileSync(file, edit(readFileSync(file, "utf8")));

    const run = await deployAction({ workspace, config }, { images: image(world), wait: "false", ...inputs });

    expect(run.code).not.toBe(0);
    expect(errorLines(run.stdout)[0]).toMatch(message);
    // The step's last line counts the problems in words, where they were found, and that AWS is untouched.
    expect(errorLines(run.stdout).at(-1)).toMatch(
      /^1 problem (in the config|found by the pre-flight checks|in the action's inputs); nothing was changed in AWS$/,
    );
    expect(run.outputs["task-definition-arn"]).toBeUndefined();
    expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
  });

  it("refuses SSM parameters that cannot be environment variable names", async () => {
    const world = await seed("badsecret", { parameters: [] });
    const ssm = new SSMClient(clientConfig(world));
    await ssm.send(new PutParameterCommand({ Name: `/${world.service}/bad-name`, Value: "x", Type: "SecureString" }));
    await ssm.send(new PutParameterCommand({ Name: `/${world.service}/a/TOKEN`, Value: "x", Type: "String" }));
    await ssm.send(new PutParameterCommand({ Name: `/${world.service}/b/TOKEN`, Value: "x", Type: "String" }));
    ssm.destroy();

    const run = await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });

    expect(run.code).not.toBe(0);
    const errors = errorLines(run.stdout).join("\n");
    expect(errors).toContain("`bad-name` is not a valid environment variable name");
    expect(errors).toMatch(/a\/TOKEN and .*b\/TOKEN both give the secret `TOKEN`/);
    expect(await revisions(world)).toEqual([world.initialTaskDefinitionArn]);
  });
});
