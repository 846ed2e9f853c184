// readHistory and chooseRevision against a mocked ECS: the path moto cannot play (ListServiceDeployments answered,
// its service revisions resolved to task definitions), and the fallback when the list is missing or refused.

import { DescribeImagesCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  DescribeClustersCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { readHistory } from "../../src/app/history.js";
import { chooseRevision } from "../../src/app/rollback.js";

const ecsMock = mockClient(ECSClient);
const ecrMock = mockClient(ECRClient);
const credentials = { accessKeyId: "a", secretAccessKey: "b" };
const ecr = new ECRClient({ region: "us-east-1", credentials });
const clients = { ecs: new ECSClient({ region: "us-east-1", credentials }), ecrFor: () => ecr };
const config = { cluster: "apps", service: "web", family: "web" };
const arn = (n: number, family = "web") => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${n}`;
const revisionArn = (n: number) => `arn:aws:ecs:us-east-1:123456789012:service-revision/apps/web/r${n}`;
const sha = (c: string) => c.repeat(40);

beforeEach(() => {
  ecsMock.reset();
  ecrMock.reset();
  ecsMock.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: "apps", status: "ACTIVE" }] });
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [
      { serviceName: "web", taskDefinition: arn(7), deployments: [{ status: "PRIMARY", taskDefinition: arn(7) }] },
    ],
  });
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const n = Number(input.taskDefinition.split(":").pop());
    return {
      taskDefinition: {
        taskDefinitionArn: arn(n),
        family: "web",
        revision: n,
        containerDefinitions: [{ name: "web", image: `r.example/web:r${n}` }],
      },
      tags: [
        { key: "deploy-action:commit", value: sha(String(n)) },
        { key: "deploy-action:repository", value: "octo/app" },
      ],
    };
  });
});

describe("from ECS's service deployments", () => {
  beforeEach(() => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { targetServiceRevisionArn: revisionArn(6), status: "SUCCESSFUL", startedAt: new Date(2000) },
        { targetServiceRevisionArn: revisionArn(7), status: "SUCCESSFUL", startedAt: new Date(4000) },
        { targetServiceRevisionArn: revisionArn(8), status: "ROLLBACK_SUCCESSFUL", startedAt: new Date(3000) },
      ],
    });
    ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
      serviceRevisions: input.serviceRevisionArns.map((r) => ({
        serviceRevisionArn: r,
        taskDefinition: arn(Number(r.split("/r").pop())),
      })),
    }));
  });

  it("asks for one page of the service's deployments, resolves their revisions, and tags each with its commit", async () => {
    const history = await readHistory(clients, config, 10);

    expect(history.source).toBe("deployments");
    expect(history.current).toBe(arn(7));
    expect(history.entries.map((e) => [e.revision, e.status, e.commit?.slice(0, 1)])).toEqual([
      ["web:7", "SUCCESSFUL", "7"],
      ["web:8", "ROLLBACK_SUCCESSFUL", "8"],
      ["web:6", "SUCCESSFUL", "6"],
    ]);
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)[0]?.args[0].input).toEqual({
      cluster: "apps",
      service: "web",
      maxResults: 100,
    });
    expect(ecsMock.commandCalls(DescribeServiceRevisionsCommand)[0]?.args[0].input.serviceRevisionArns).toHaveLength(3);
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)).toHaveLength(0);
    const described = ecsMock.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input);
    expect(described.every((input) => input.include?.includes("TAGS"))).toBe(true);
  });

  it("resolves and describes only the revisions of the deployments it shows", async () => {
    const history = await readHistory(clients, config, 1);

    expect(history.entries.map((e) => e.revision)).toEqual(["web:7"]);
    const asked = ecsMock.commandCalls(DescribeServiceRevisionsCommand)[0]?.args[0].input.serviceRevisionArns;
    expect(asked).toEqual([revisionArn(7)]);
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition)).toEqual([
      arn(7),
    ]);
  });

  it("names pinned ECR images by their tags: one DescribeImages per repository; a failed lookup leaves digests", async () => {
    const pinned = (n: number) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:${String(n).repeat(64)}`;
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
      const n = Number(input.taskDefinition.split(":").pop());
      const definition = { taskDefinitionArn: arn(n), family: "web", revision: n };
      return { taskDefinition: { ...definition, containerDefinitions: [{ name: "web", image: pinned(n) }] } };
    });
    ecrMock.on(DescribeImagesCommand).resolves({
      imageDetails: [6, 7].map((n) => ({ imageDigest: `sha256:${String(n).repeat(64)}`, imageTags: [`r${n}`] })),
    });

    const history = await readHistory(clients, config, 10);

    expect(history.entries.map((e) => e.images)).toEqual([["r7"], ["@sha256:888888888888"], ["r6"]]);
    const asked = ecrMock.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ registryId: "123456789012", repositoryName: "web" });
    expect(asked[0]?.imageIds).toHaveLength(3);

    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error("gone"), { name: "ImageNotFoundException" }));
    const unnamed = await readHistory(clients, config, 10);
    expect(unnamed.entries[0]?.images).toEqual(["@sha256:777777777777"]);
  });

  it("a rollback goes back past the rolled-back web:8 to web:6, and says so with both commits", async () => {
    const chosen = await chooseRevision(clients, config, undefined);

    expect(chosen.revision).toBe(arn(6));
    // Chosen from the list alone: only the two revisions it names are described, for their commits.
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input.taskDefinition)).toEqual([
      arn(7),
      arn(6),
    ]);
    expect(chosen.line).toBe(
      `Rolling back web: from web:7 (7777777 octo/app) to web:6 (6666666 octo/app), the revision of the service's last successful deployment before`,
    );
  });

  it("--to is taken as named: the pre-flight judges it", async () => {
    const chosen = await chooseRevision(clients, config, "web:3");
    expect(chosen.revision).toBe("web:3");
    expect(chosen.line).toMatch(/to web:3 \(3333333 octo\/app\), as --to names it$/);
  });
});

describe("without ECS's list of service deployments", () => {
  const listed = { taskDefinitionArns: [arn(5), arn(6), arn(7), arn(2, "web-worker")] };

  it("an endpoint without the API (moto's HTML 500): the family's revisions, other families left out", async () => {
    const html500 = Object.assign(new SyntaxError("Unexpected token <"), { $metadata: { httpStatusCode: 500 } });
    ecsMock.on(ListServiceDeploymentsCommand).rejects(html500);
    ecsMock.on(ListTaskDefinitionsCommand).resolves(listed);

    const history = await readHistory(clients, config, 10);

    expect(history.source).toBe("revisions");
    expect(history.entries.map((e) => e.revision)).toEqual(["web:7", "web:6", "web:5"]);
    expect(history.entries[0]?.ended).toBe("the service runs it");
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(1); // not retried
    expect(ecsMock.commandCalls(ListTaskDefinitionsCommand)[0]?.args[0].input).toMatchObject({
      familyPrefix: "web",
      status: "ACTIVE",
      sort: "DESC",
    });
    const choice = await chooseRevision(clients, config, undefined);
    expect(choice.revision).toBe(arn(6));
  });

  it("a service whose deployments predate the list (an empty page): the revisions too", async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    ecsMock.on(ListTaskDefinitionsCommand).resolves(listed);
    expect((await readHistory(clients, config, 2)).entries.map((e) => e.revision)).toEqual(["web:7", "web:6"]);
  });

  it("a refusal is not taken for a missing API: it fails with the permission to grant", async () => {
    const denied = Object.assign(new Error("User is not authorized to perform: ecs:ListServiceDeployments"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    ecsMock.on(ListServiceDeploymentsCommand).rejects(denied);
    await expect(readHistory(clients, config, 10)).rejects.toThrow(/grant ecs:ListServiceDeployments/);
  });

  it("a missing service is said in words", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: "MISSING" }] });
    await expect(readHistory(clients, config, 10)).rejects.toThrow("service web not found in cluster apps");
  });
});
