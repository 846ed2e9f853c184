// End to end on moto: the service's own settings and its network arrive in the service (read back with
// DescribeServices), and a config that sets none of them leaves a service whose settings were changed beforehand
// exactly as it was. moto 5.2.1 stores every field UpdateService sends (checked in moto/ecs/models.py: update_service
// sets each given property on the service), so nothing here is scripted beyond the proxy's usual correction.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import { deployAction, describeService, ecsClient, image, seed, workspaceWith } from "../support/e2e.js";

/** The settings a deploy may touch, as DescribeServices shows them. */
function settingsOf(service: Awaited<ReturnType<typeof describeService>>) {
  return {
    enableExecuteCommand: service?.enableExecuteCommand,
    healthCheckGracePeriodSeconds: service?.healthCheckGracePeriodSeconds,
    propagateTags: service?.propagateTags,
    deploymentConfiguration: service?.deploymentConfiguration,
    networkConfiguration: service?.networkConfiguration,
  };
}

describe.concurrent("service settings", () => {
  it("a service setting and a network setting arrive in the service, and the plan lists them", async () => {
    const world = await seed("svc-set");
    const config = [
      guideConfig(world),
      "enable_execute_command = true",
      "health_check_grace_period = 45",
      'propagate_tags = "SERVICE"',
      "[deployment]",
      "minimum_healthy_percent = 50",
      "maximum_percent = 150",
      "circuit_breaker = { enable = true, rollback = false }",
      'alarms = { names = ["svc-5xx"], rollback = true }',
      "[network]",
      `subnets = ["${world.subnetIds[0]}"]`,
      "assign_public_ip = true",
      "",
    ].join("\n");
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });

    expect(run.code, run.stdout).toBe(0);
    expect(settingsOf(await describeService(world))).toEqual({
      enableExecuteCommand: true,
      healthCheckGracePeriodSeconds: 45,
      propagateTags: "SERVICE",
      deploymentConfiguration: {
        minimumHealthyPercent: 50,
        maximumPercent: 150,
        deploymentCircuitBreaker: { enable: true, rollback: false },
        alarms: { alarmNames: ["svc-5xx"], rollback: true, enable: true },
      },
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: [world.subnetIds[0]],
          securityGroups: [world.securityGroupId],
          assignPublicIp: "ENABLED",
        },
      },
    });
    // The subnets were checked (EC2) before anything changed, and every service change is in the plan.
    const operations = run.calls.map((c) => c.operation);
    expect(operations.indexOf("DescribeSubnets")).toBeLessThan(operations.indexOf("RegisterTaskDefinition"));
    for (const line of [
      "~ service execute command: disabled → enabled",
      "~ service health check grace period: none → 45s",
      "~ service propagate tags: NONE → SERVICE",
      "~ service minimum healthy percent: default → 50%",
      "~ service alarms: none → svc-5xx, with rollback",
      `~ service subnets: ${[...world.subnetIds].sort().join(", ")} → ${world.subnetIds[0]}`,
      "~ service public IP: DISABLED → ENABLED",
    ]) {
      expect(run.summary).toContain(line);
    }
  });

  it("early success and the breaker's threshold reach ECS: the UpdateService body at the proxy, and the plan", async () => {
    const world = await seed("svc-early");
    const config = [
      guideConfig(world),
      "[deployment]",
      "minimum_healthy_percent = 50",
      'early_success = { healthy_percent = 75, cleanup = "DEFERRED" }',
      'circuit_breaker = { enable = true, rollback = true, threshold = { type = "COUNT", value = 2 }, reset_on_healthy_task = false }',
      "",
    ].join("\n");
    const sent: string[] = [];
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" }, async (c) => {
      if (c.operation === "UpdateService") sent.push(c.body);
      return undefined;
    });

    expect(run.code, run.stdout).toBe(0);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0] ?? "{}").deploymentConfiguration).toMatchObject({
      minimumHealthyPercent: 50,
      earlySuccessCriteria: { enable: true, healthyPercent: 75, sourceServiceRevisionCleanup: "DEFERRED" },
      deploymentCircuitBreaker: {
        enable: true,
        rollback: true,
        resetOnHealthyTask: false,
        thresholdConfiguration: { type: "COUNT", value: 2 },
      },
    });
    expect(run.summary).toContain("~ service early success: off → at 75% healthy, old tasks removed after");
  });

  it("early success below the service's minimum healthy percent fails the pre-flight, nothing registered", async () => {
    const world = await seed("svc-early-min");
    const config = `${guideConfig(world)}[deployment]\nearly_success = { healthy_percent = 40, cleanup = "BLOCKING" }\n`;
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("`deployment.early_success.healthy_percent` is 40, below the minimum healthy percent");
    const operations = run.calls.map((c) => c.operation);
    expect(operations).not.toContain("RegisterTaskDefinition");
    expect(operations).not.toContain("UpdateService");
  });

  it("a config that sets none of them leaves settings changed beforehand untouched", async () => {
    const world = await seed("svc-keep");
    const before = {
      cluster: world.cluster,
      service: world.service,
      enableExecuteCommand: true,
      healthCheckGracePeriodSeconds: 90,
      propagateTags: "TASK_DEFINITION" as const,
      deploymentConfiguration: {
        minimumHealthyPercent: 50,
        maximumPercent: 150,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: [world.subnetIds[1] ?? ""],
          securityGroups: [world.securityGroupId],
          assignPublicIp: "ENABLED" as const,
        },
      },
    };
    const ecs = ecsClient(world);
    try {
      // What Terraform (or a person in the console) set: the deploy must not undo it.
      await ecs.send(new UpdateServiceCommand(before));
    } finally {
      ecs.destroy();
    }
    const set = settingsOf(await describeService(world));

    const sent: string[] = [];
    const run = await deployAction(
      workspaceWith(guideConfig(world)),
      { images: image(world), wait: "false" },
      async ({ operation, body }) => {
        if (operation === "UpdateService") sent.push(body);
        return undefined;
      },
    );

    expect(run.code, run.stdout).toBe(0);
    expect(settingsOf(await describeService(world))).toEqual(set);
    expect(set.healthCheckGracePeriodSeconds).toBe(90);
    // And not by luck: the UpdateService request named none of them.
    expect(sent).toHaveLength(1);
    expect(Object.keys(JSON.parse(sent[0] ?? "{}")).sort()).toEqual([
      "cluster",
      "forceNewDeployment",
      "service",
      "taskDefinition",
    ]);
  });

  it("a pre-flight problem about a key the shared file writes is annotated in the shared file", async () => {
    const world = await seed("svc-shared");
    const ws = workspaceWith(`extends = "../shared/universe.toml"\n${guideConfig(world)}`);
    mkdirSync(join(ws.workspace, "shared"));
    writeFileSync(
      join(ws.workspace, "shared/universe.toml"),
      '# network\n[network]\nsubnets = ["subnet-0123456789abcdef0"]\n',
    );
    const run = await deployAction(ws, { images: image(world), wait: "false" });

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error [^:]*file=shared\/universe\.toml,line=3,[^:]*::shared\/universe\.toml:3:1: subnet subnet-0123456789abcdef0 \(`network\.subnets`\) does not exist/,
    );
    expect(run.stdout).toContain("network from shared/universe.toml");
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
  });
});
