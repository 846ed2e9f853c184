// What is read back after a lost answer, before a change is tried again: a lost UpdateService must not start a
// second deployment, a lost RegisterTaskDefinition must not register a second identical revision.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { deployOnce, registerOnce } from "../../src/aws/ecs-changes.js";
import type { RetryDeps } from "../../src/aws/retry.js";

const deps: RetryDeps = { now: Date.now, sleep: async () => undefined, random: () => 0.5 };
const lost = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
const ecsWith = () => {
  const ecs = new ECSClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  return { ecs, mock: mockClient(ecs) };
};

const arn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;
const update = { cluster: "c", service: "web", taskDefinition: arn(8), forceNewDeployment: true };

describe("deployOnce", () => {
  it("after a lost answer, takes the deployment of our revision started since as the one it started", async () => {
    const { ecs, mock } = ecsWith();
    mock.on(UpdateServiceCommand).rejects(lost());
    const ours = { id: "ecs-svc/2", status: "PRIMARY", taskDefinition: arn(8), createdAt: new Date() };
    mock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: "web", deployments: [ours] }] });
    const out = await deployOnce(ecs, update, { deps });
    expect(out.service?.deployments?.[0]?.id).toBe("ecs-svc/2");
    expect(mock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(mock.commandCalls(DescribeServicesCommand)[0]?.args[0].input).toEqual({ cluster: "c", services: ["web"] });
  });

  it("an older deployment of the same revision is not ours: UpdateService is tried again", async () => {
    const { ecs, mock } = ecsWith();
    const old = {
      id: "ecs-svc/1",
      status: "PRIMARY",
      taskDefinition: arn(8),
      createdAt: new Date(Date.now() - 3600e3),
    };
    const fresh = { id: "ecs-svc/3", status: "PRIMARY", taskDefinition: arn(8), createdAt: new Date() };
    mock
      .on(UpdateServiceCommand)
      .rejectsOnce(lost())
      .resolves({ service: { deployments: [fresh] } });
    mock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: "web", deployments: [old] }] });
    const out = await deployOnce(ecs, update, { deps });
    expect(out.service?.deployments?.[0]?.id).toBe("ecs-svc/3");
    expect(mock.commandCalls(UpdateServiceCommand)).toHaveLength(2);
    // Two checks a settle apart before believing that nothing happened.
    expect(mock.commandCalls(DescribeServicesCommand)).toHaveLength(2);
  });
});

describe("registerOnce", () => {
  const input = {
    family: "web",
    requiresCompatibilities: ["FARGATE" as const],
    networkMode: "awsvpc" as const,
    cpu: "256",
    memory: "512",
    containerDefinitions: [{ name: "web", image: "nginx:1.27", essential: true }],
  };

  it("after a lost answer, takes the family's newest revision when it is the one sent", async () => {
    const { ecs, mock } = ecsWith();
    mock.on(RegisterTaskDefinitionCommand).rejects(lost());
    const newest = { ...input, taskDefinitionArn: arn(8), revision: 8, status: "ACTIVE" as const };
    mock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: newest, tags: [] });
    const out = await registerOnce(ecs, input, { deps });
    expect(out.taskDefinition?.taskDefinitionArn).toBe(arn(8));
    expect(mock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
    expect(mock.commandCalls(DescribeTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      taskDefinition: "web",
      include: ["TAGS"],
    });
  });

  it("registers again when the newest revision is another one", async () => {
    const { ecs, mock } = ecsWith();
    const registered = { ...input, taskDefinitionArn: arn(8), revision: 8 };
    mock.on(RegisterTaskDefinitionCommand).rejectsOnce(lost()).resolves({ taskDefinition: registered });
    const other = { ...input, containerDefinitions: [{ name: "web", image: "nginx:1.26", essential: true }] };
    mock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { ...other, revision: 7 }, tags: [] });
    const out = await registerOnce(ecs, input, { deps });
    expect(out.taskDefinition?.revision).toBe(8);
    expect(mock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(2);
  });
});
