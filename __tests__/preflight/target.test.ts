import type { Cluster, Service } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { checkTarget, unsettledBecause } from "../../src/preflight/target.js";

const names = { cluster: "c", service: "s" };
const cluster: Cluster = { clusterName: "c", clusterArn: "arn:aws:ecs:us-east-1:1:cluster/c", status: "ACTIVE" };
const service: Service = {
  serviceName: "s",
  serviceArn: "arn:aws:ecs:us-east-1:1:service/c/s",
  status: "ACTIVE",
  launchType: "FARGATE",
  desiredCount: 2,
  taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/s:41",
  loadBalancers: [{ targetGroupArn: "tg", containerName: "s", containerPort: 80 }],
};

describe("checkTarget", () => {
  it("returns the state a deploy needs", () => {
    const { state, problems } = checkTarget(names, { cluster, service });
    expect(problems).toEqual([]);
    expect(state).toMatchObject({ taskDefinition: service.taskDefinition, desiredCount: 2 });
    expect(state?.loadBalancers).toHaveLength(1);
  });

  it.each([
    [{ cluster: undefined, service: undefined }, "cluster `c` does not exist in this account and region"],
    [{ cluster: { ...cluster, status: "INACTIVE" }, service }, "cluster `c` is INACTIVE in this account and region"],
    [{ cluster, service: undefined }, "service `s` does not exist in cluster `c`"],
    [{ cluster, service: { ...service, status: "DRAINING" } }, "service `s` is DRAINING in cluster `c`"],
    [{ cluster, service: { ...service, launchType: "EC2" as const } }, "service `s` runs on EC2, not Fargate"],
    [
      { cluster, service: { ...service, deploymentController: { type: "CODE_DEPLOY" as const } } },
      'service `s` uses the CODE_DEPLOY deployment controller; this action deploys services whose controller is ECS: deploy it through CodeDeploy (an AppSpec and `aws deploy create-deployment`), or move it to the ECS controller and `deployment.strategy = "BLUE_GREEN"`',
    ],
    [
      { cluster, service: { ...service, deploymentController: { type: "EXTERNAL" as const } } },
      "service `s` uses the EXTERNAL deployment controller; this action deploys services whose controller is ECS: deploy it with the tool that manages its task sets (CreateTaskSet and UpdateServicePrimaryTaskSet)",
    ],
    [
      { cluster, service: { ...service, resourceManagementType: "ECS" as const } },
      "service `s` is an Express Mode service, which ECS manages itself (resourceManagementType ECS); this action updates services you manage: update it with `aws ecs update-express-gateway-service` or in the ECS console",
    ],
  ])("refuses %#", (found, message) => {
    expect(checkTarget(names, found).problems.map((p) => p.message)).toEqual([message]);
  });

  it("deploys a service you manage (resourceManagementType CUSTOMER)", () => {
    const customer = { ...service, resourceManagementType: "CUSTOMER" as const };
    expect(checkTarget(names, { cluster, service: customer }).problems).toEqual([]);
  });

  it("accepts Fargate through a capacity provider strategy", () => {
    const spot = { ...service, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] };
    delete spot.launchType;
    expect(checkTarget(names, { cluster, service: spot }).problems).toEqual([]);
  });

  it("follows the cluster's default strategy when the service names neither a launch type nor a strategy", () => {
    const bare: Service = { ...service };
    delete bare.launchType;
    const fargateDefault = {
      ...cluster,
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
    };
    expect(checkTarget(names, { cluster: fargateDefault, service: bare }).problems).toEqual([]);
    expect(checkTarget(names, { cluster, service: bare }).problems.map((p) => p.message)).toEqual([
      "service `s` runs on EC2 (no launch type or capacity provider is set), not Fargate",
    ]);
  });
});

describe("unsettledBecause", () => {
  const deployment = {
    id: "ecs-svc/1",
    status: "PRIMARY",
    taskDefinition: service.taskDefinition,
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    rolloutState: "COMPLETED" as const,
  };

  it("is undefined for one completed deployment at full count", () => {
    expect(unsettledBecause({ ...service, deployments: [deployment] })).toBeUndefined();
  });

  it.each([
    [[], "it has no PRIMARY deployment"],
    [[deployment, { ...deployment, id: "ecs-svc/0", status: "ACTIVE" }], "2 deployments are active"],
    [[{ ...deployment, rolloutState: "IN_PROGRESS" as const }], "its deployment ecs-svc/1 is IN_PROGRESS"],
    [[{ ...deployment, runningCount: 1 }], "1 of 2 tasks are running"],
  ])("says what is still going on %#", (deployments, text) => {
    expect(unsettledBecause({ ...service, deployments })).toBe(text);
  });
});
