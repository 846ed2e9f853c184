// Pre-flight with scripted AWS answers: errors of single calls become problems beside the other checks' findings.
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeImagesCommand, ECRClient, ImageNotFoundException } from "@aws-sdk/client-ecr";
import {
  ClientException,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from "@aws-sdk/client-ecs";
import {
  DescribeSecretCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeClients } from "../../src/aws/clients.js";
import { parseConfig } from "../../src/config/index.js";
import { PreflightError } from "../../src/errors.js";
import { preflight } from "../../src/steps/preflight.js";
import { guideToml } from "../support/config.js";

const ecs = mockClient(ECSClient);
const ssm = mockClient(SSMClient);
const sts = mockClient(STSClient);
const ecr = mockClient(ECRClient);
const sm = mockClient(SecretsManagerClient);
const ec2 = mockClient(EC2Client);
const config = parseConfig(guideToml, "deploy.toml");
const image = `879613780019.dkr.ecr.us-east-1.amazonaws.com/app:r254`;

function accessDenied(action: string) {
  return Object.assign(
    new Error(`User: arn:aws:sts::879613780019:assumed-role/deploy/gh is not authorized to perform: ${action}`),
    { name: "AccessDeniedException" },
  );
}

beforeEach(() => {
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: config.cluster, status: "ACTIVE" }] });
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: config.service, status: "ACTIVE", launchType: "FARGATE", desiredCount: 1 }],
  });
  ecs
    .on(DescribeTaskDefinitionCommand)
    .rejects(new ClientException({ message: "Unable to describe task definition.", $metadata: {} }));
  ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
  sts.on(GetCallerIdentityCommand).resolves({ Account: config.account });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: `sha256:${"c".repeat(64)}` }] });
  ec2.onAnyCommand().rejects(new Error("no EC2 call expected"));
});

afterEach(() => {
  for (const mock of [ecs, ssm, sts, ecr, sm, ec2]) mock.reset();
});

async function problems(planConfig = config): Promise<{ key?: string; message: string }[]> {
  const clients = makeClients({ region: config.region });
  const plan = { config: planConfig, images: new Map([[planConfig.container_name, image]]), locate: () => undefined };
  try {
    await preflight(clients, plan, { pin: true });
  } catch (error) {
    if (error instanceof PreflightError) return error.problems;
    throw error;
  }
  return [];
}

describe("preflight", () => {
  it("passes when every check passes", async () => {
    expect(await problems()).toEqual([]);
  });

  it("reports an AccessDenied of one call beside what the other checks found", async () => {
    ssm.on(DescribeParametersCommand).rejects(accessDenied("ssm:DescribeParameters"));
    ecr
      .on(DescribeImagesCommand)
      .rejects(new ImageNotFoundException({ message: "The image requested does not exist", $metadata: {} }));
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111" });

    const found = await problems();
    // The AccessDenied names no config key: the fix is in IAM, not in the file.
    expect(found.map((p) => p.key)).toEqual([undefined, "account", "images"]);
    expect(found[0]?.message).toMatch(
      /^DescribeParameters failed: AccessDeniedException: .* grant ssm:DescribeParameters/,
    );
    expect(found[1]?.message).toMatch(/credentials are for account 111111111111/);
    expect(found[2]?.message).toMatch(/not found in ECR repository `app`/);
  });

  it("says a credentials problem once, not once per call", async () => {
    const expired = Object.assign(new Error("The security token included in the request is expired"), {
      name: "ExpiredTokenException",
    });
    ecs.onAnyCommand().rejects(expired);
    ssm.onAnyCommand().rejects(expired);
    sts.onAnyCommand().rejects(expired);
    ecr.onAnyCommand().rejects(expired);
    const found = await problems();
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/credentials are missing, invalid or expired/);
  });

  it("does not call a cluster missing when describing it was denied", async () => {
    ecs.on(DescribeClustersCommand).rejects(accessDenied("ecs:DescribeClusters"));
    const found = await problems();
    expect(found.map((p) => p.message)).toEqual([expect.stringMatching(/grant ecs:DescribeClusters/)]);
  });

  it("checks the config's subnets and security groups and its explicit secrets in the same round", async () => {
    const SM = "arn:aws:secretsmanager:us-east-1:879613780019:secret:db-AbCdEf";
    const withNetwork = parseConfig(
      `${guideToml}[secrets]\nDB = "${SM}"\nKEY = "arn:aws:ssm:us-east-1:879613780019:parameter/shared/KEY"\n[network]\nsubnets = ["subnet-0a0a0a0a"]\nsecurity_groups = ["sg-0b0b0b0b"]\n`,
      "deploy.toml",
    );
    ec2.reset();
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: "subnet-0a0a0a0a", VpcId: "vpc-1" }] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: "sg-0b0b0b0b", VpcId: "vpc-2" }] });
    sm.on(DescribeSecretCommand, { SecretId: SM }).rejects(
      new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }),
    );
    ssm
      .on(DescribeParametersCommand, { ParameterFilters: [{ Key: "Name", Option: "Equals", Values: ["/shared/KEY"] }] })
      .resolves({ Parameters: [{ Name: "/shared/KEY" }] });

    const found = await problems(withNetwork);
    expect(found.map((p) => [p.key, p.message])).toEqual([
      [
        "network.security_groups",
        "security groups must be in the VPC of the subnets: sg-0b0b0b0b in vpc-2; the subnets are in vpc-1",
      ],
      ["secrets.DB", `\`secrets.DB\`: secret ${SM} does not exist in Secrets Manager: create it, or fix the ARN`],
    ]);
    // Metadata only: no call that reads a value.
    expect(sm.calls().map((c) => c.args[0].constructor.name)).toEqual(["DescribeSecretCommand"]);
  });
});
