// [[pre_deploy]]: read from the config with its defaults, refused where RunTask would refuse it, checked against the
// task definition and the service by the pre-flight, and turned into the RunTask request of the new revision.
import type { Service } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import {
  commandText,
  judgePreDeploy,
  preDeployTasks,
  runIdentity,
  runTaskRequest,
  startedBy,
} from "../../../src/plan/run/pre-deploy-tasks.js";
import { guideProblems, guideToml } from "../../support/config.js";

const MIGRATE = '[[pre_deploy]]\ncommand = ["bin/rails", "db:migrate"]\n';
const config = (extra: string) => parseConfig(`${guideToml}${extra}`, "deploy.toml");
const network = {
  awsvpcConfiguration: {
    subnets: ["subnet-0a0a0a0a"],
    securityGroups: ["sg-0b0b0b0b"],
    assignPublicIp: "DISABLED" as const,
  },
};
const service: Service = { serviceName: "NAME-test", launchType: "FARGATE", networkConfiguration: network };
const definitions = { containerDefinitions: [{ name: "NAME-test" }, { name: "worker" }] };

describe("[[pre_deploy]] in the config", () => {
  it("fills in the main container, the 15-minute timeout and a name from the command", () => {
    const tasks = preDeployTasks(
      config(
        `${MIGRATE}[[pre_deploy]]\nname = "warm"\ncommand = ["bin/warm", "a b"]\ntimeout = 0.5\nenvironment = { LEVEL = 2 }\n`,
      ),
    );
    expect(tasks).toEqual([
      {
        index: 0,
        name: "bin/rails db:migrate",
        container: "NAME-test",
        command: ["bin/rails", "db:migrate"],
        environment: {},
        timeoutMs: 900_000,
        // A job log may be public: a task's lines show only when it fails, by default.
        printLogs: "failure",
      },
      {
        index: 1,
        name: "warm",
        container: "NAME-test",
        command: ["bin/warm", "a b"],
        environment: { LEVEL: "2" },
        timeoutMs: 30_000,
        printLogs: "failure",
      },
    ]);
    expect(commandText(["sh", "-c", 'echo "hi"'])).toBe('sh -c "echo \\"hi\\""');
  });

  it("refuses an empty command, an unknown container and overrides past RunTask's 8192 characters, at the task's key", () => {
    expect(guideProblems("[[pre_deploy]]\ncommand = []\n")[0]?.key).toBe("pre_deploy[0].command");
    const unknown = guideProblems('[[pre_deploy]]\ncommand = ["x"]\ncontainer = "nope"\n');
    expect(unknown[0]?.message).toContain("`pre_deploy[0].container` names `nope`, which is not a container here");
    const big = guideProblems(`[[pre_deploy]]\ncommand = ["x"]\nenvironment = { BLOB = "${"x".repeat(8200)}" }\n`);
    expect(big[0]?.message).toMatch(/take \d+ characters in RunTask's overrides; ECS allows 8192/);
    expect(guideProblems('[[pre_deploy]]\ncommand = ["x"]\ntimeout = 0\n')[0]?.key).toBe("pre_deploy[0].timeout");
  });
});

describe("judgePreDeploy", () => {
  const found = { service, cluster: undefined };

  it("runs the tasks with the network the service will have and its launch type", () => {
    const { problems, launch } = judgePreDeploy(config(MIGRATE), definitions, found, undefined);
    expect(problems).toEqual([]);
    expect(launch).toEqual({
      networkConfiguration: network,
      launchType: "FARGATE",
      compute: "launch type FARGATE (the service's)",
    });
    const other = { awsvpcConfiguration: { subnets: ["subnet-0c0c0c0c"] } };
    expect(
      judgePreDeploy(config(MIGRATE), definitions, found, { networkConfiguration: other }).launch?.networkConfiguration,
    ).toBe(other);
  });

  it("uses the service's capacity provider strategy, else the cluster's default, never with a launch type", () => {
    const spot = [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];
    const own = judgePreDeploy(
      config(MIGRATE),
      definitions,
      {
        service: { ...service, launchType: undefined, capacityProviderStrategy: spot, platformVersion: "1.4.0" },
        cluster: undefined,
      },
      undefined,
    );
    expect(own.launch).toMatchObject({ capacityProviderStrategy: spot, platformVersion: "1.4.0" });
    expect(own.launch).not.toHaveProperty("launchType");
    const defaults = [{ capacityProvider: "FARGATE", weight: 1, base: 1 }];
    const cluster = judgePreDeploy(
      config(MIGRATE),
      definitions,
      { service: { ...service, launchType: undefined }, cluster: { defaultCapacityProviderStrategy: defaults } },
      undefined,
    );
    expect(cluster.launch).toMatchObject({
      capacityProviderStrategy: defaults,
      compute: "capacity providers FARGATE base 1 weight 1 (the cluster's default strategy)",
    });
  });

  it("refuses a container the new task definition lacks and a service without a network", () => {
    const toml = `[containers.worker]\nimage = "public.ecr.aws/nginx/nginx:1.27-alpine"\n[[pre_deploy]]\ncommand = ["x"]\ncontainer = "worker"\n`;
    const lacking = judgePreDeploy(config(toml), { containerDefinitions: [{ name: "NAME-test" }] }, found, undefined);
    expect(lacking.problems[0]?.message).toContain(
      "runs in container `worker`, which the new task definition does not have",
    );
    const bare = judgePreDeploy(
      config(MIGRATE),
      definitions,
      { service: { serviceName: "NAME-test" }, cluster: undefined },
      undefined,
    );
    expect(bare.launch).toBeUndefined();
    expect(bare.problems[0]?.message).toContain("service `NAME-test` has no network configuration (awsvpc subnets)");
  });
});

describe("runTaskRequest", () => {
  const task = preDeployTasks(
    config(`[[pre_deploy]]\nname = "db migrate!"\ncommand = ["bin/migrate"]\nenvironment = { STEP = "1" }\n`),
  )[0];
  const launch = { networkConfiguration: network, launchType: "FARGATE" as const, compute: "" };
  const run = runIdentity({ repository: "ocf/shop", runId: "4242", runAttempt: "2" }, "ignored");
  if (!task) throw new Error("no task");

  it("asks for the new revision, once, with the command and environment as its container's override", () => {
    const request = runTaskRequest({ cluster: "c", taskDefinitionArn: "arn:td:7", launch, task, run });
    expect(request).toMatchObject({
      cluster: "c",
      taskDefinition: "arn:td:7",
      count: 1,
      networkConfiguration: network,
      launchType: "FARGATE",
      startedBy: "deploy-action/run-4242-2/1-db-migrate",
      overrides: {
        containerOverrides: [
          { name: "NAME-test", command: ["bin/migrate"], environment: [{ name: "STEP", value: "1" }] },
        ],
      },
    });
    expect(request).not.toHaveProperty("capacityProviderStrategy");
    const none = { networkConfiguration: network, capacityProviderStrategy: [], compute: "" };
    const bare = runTaskRequest({ cluster: "c", taskDefinitionArn: "arn:td:7", launch: none, task, run });
    expect(bare).not.toHaveProperty("capacityProviderStrategy");
    expect(bare).not.toHaveProperty("launchType");
  });

  it("gives the same run and request the same clientToken, and another run another", () => {
    const token = (r: typeof run) =>
      runTaskRequest({ cluster: "c", taskDefinitionArn: "arn:td:7", launch, task, run: r }).clientToken;
    expect(token(run)).toMatch(/^deploy-action-[0-9a-f]{40}$/);
    expect(token(run)).toBe(token(runIdentity({ repository: "ocf/shop", runId: "4242", runAttempt: "2" }, "other")));
    expect(token(runIdentity({ repository: "ocf/shop", runId: "4242", runAttempt: "3" }, ""))).not.toBe(token(run));
    expect(token(runIdentity(undefined, "a1"))).not.toBe(token(runIdentity(undefined, "b2")));
  });

  it("keeps startedBy to RunTask's characters and 128 of them", () => {
    const long = startedBy(run, { index: 0, name: `${"é".repeat(3)}${"x".repeat(200)}` });
    expect(long).toMatch(/^[A-Za-z0-9/_-]{1,128}$/);
    expect(startedBy(runIdentity(undefined, "3f-2a!"), { index: 2, name: "!!" })).toBe(
      "deploy-action/local-3f2a/3-task",
    );
  });
});
