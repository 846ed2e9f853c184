import type { LoadBalancer, RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { callerAccount } from "../../src/aws/sts.js";
import { checkAccount, checkLoadBalancers } from "../../src/preflight/checks.js";

describe("callerAccount", () => {
  const sts = new STSClient({ region: "us-east-1" });
  const stsMock = mockClient(sts);
  beforeEach(() => stsMock.reset());

  it("returns the account of the credentials", async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: "879613780019", Arn: "arn:aws:sts::879613780019:x" });

    await expect(callerAccount(sts)).resolves.toBe("879613780019");
    expect(stsMock.commandCalls(GetCallerIdentityCommand).map((c) => c.args[0].input)).toEqual([{}]);
  });

  it("names the operation when the call fails", async () => {
    const expired = Object.assign(new Error("The security token included in the request is expired"), {
      name: "ExpiredTokenException",
    });
    stsMock.on(GetCallerIdentityCommand).rejects(expired);

    await expect(callerAccount(sts)).rejects.toThrow(
      /^GetCallerIdentity failed: ExpiredTokenException: .* the AWS credentials are missing, invalid or expired/,
    );
  });

  it("fails when AWS gives no account", async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({});

    await expect(callerAccount(sts)).rejects.toThrow("GetCallerIdentity returned no account");
  });
});

describe("checkAccount", () => {
  it("accepts credentials for the config's account", () => {
    expect(checkAccount("879613780019", { account: "879613780019" })).toEqual([]);
  });

  it("names both accounts and what to check", () => {
    expect(checkAccount("111111111111", { account: "879613780019" })).toEqual([
      {
        key: "account",
        message:
          "the AWS credentials are for account 111111111111, but the config deploys to 879613780019 (`account`): check the role in configure-aws-credentials",
      },
    ]);
  });
});

describe("checkLoadBalancers", () => {
  const TG = "arn:aws:elasticloadbalancing:us-east-1:879613780019:targetgroup/tg-app/0123456789abcdef";
  const taskDefinition: Pick<RegisterTaskDefinitionCommandInput, "containerDefinitions"> = {
    containerDefinitions: [
      { name: "app", image: "app:1", portMappings: [{ containerPort: 80, protocol: "tcp" }] },
      { name: "proxy", image: "envoy:1", portMappings: [{ containerPort: 9901 }, { containerPort: 15000 }] },
      { name: "logs", image: "fluent-bit:1" },
    ],
  };
  const lb = (containerName: string, containerPort: number): LoadBalancer => ({
    targetGroupArn: TG,
    containerName,
    containerPort,
  });

  it("accepts load balancers whose container and port exist, main or sidecar", () => {
    expect(checkLoadBalancers([lb("app", 80), lb("proxy", 15000)], taskDefinition)).toEqual([]);
    expect(checkLoadBalancers([], taskDefinition)).toEqual([]);
  });

  it("flags a container the task definition does not have", () => {
    expect(checkLoadBalancers([lb("web", 8080)], taskDefinition)).toEqual([
      {
        key: "container_name",
        message:
          "the service's load balancer (target group tg-app) sends traffic to container `web` port 8080, but the new task definition has no container `web`",
      },
    ]);
  });

  it("flags a missing port, keyed to the container's port setting", () => {
    expect(checkLoadBalancers([lb("app", 8080), lb("proxy", 80), lb("logs", 24224)], taskDefinition)).toEqual([
      {
        key: "port",
        message:
          "the service's load balancer (target group tg-app) sends traffic to container `app` port 8080, but the new task definition's container `app` has no port 8080 (its ports: 80)",
      },
      {
        key: "containers.proxy.port",
        message:
          "the service's load balancer (target group tg-app) sends traffic to container `proxy` port 80, but the new task definition's container `proxy` has no port 80 (its ports: 9901, 15000)",
      },
      {
        key: "containers.logs.port",
        message:
          "the service's load balancer (target group tg-app) sends traffic to container `logs` port 24224, but the new task definition's container `logs` has no port 24224 (it has no ports)",
      },
    ]);
  });

  it("refuses a config without `port` (a worker) for a service behind a load balancer, and says what to do", () => {
    const worker: Pick<RegisterTaskDefinitionCommandInput, "containerDefinitions"> = {
      containerDefinitions: [{ name: "app", image: "app:1" }],
    };
    expect(checkLoadBalancers([lb("app", 8080)], worker)).toEqual([
      {
        key: "port",
        message:
          "the service's load balancer (target group tg-app) sends traffic to container `app` port 8080, but the config sets no `port` (a worker): set `port = 8080` if it serves traffic, or deploy the worker to a service without a load balancer",
      },
    ]);
    expect(checkLoadBalancers([], worker)).toEqual([]);
  });

  it("names a Classic Load Balancer, and skips entries that name no container", () => {
    const classic: LoadBalancer = { loadBalancerName: "legacy", containerName: "web", containerPort: 80 };
    expect(checkLoadBalancers([classic, { targetGroupArn: TG }], taskDefinition).map((p) => p.message)).toEqual([
      "the service's load balancer (load balancer legacy) sends traffic to container `web` port 80, but the new task definition has no container `web`",
    ]);
  });
});
