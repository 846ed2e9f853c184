// The EC2 describes against moto: subnets and security groups found with their VPCs, an unknown ID turned into an
// answer, and an AWS error into an AwsError that names the permission.
import { createServer } from "node:http";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { describeNetwork } from "../../src/aws/ec2.js";
import { AwsError } from "../../src/aws/errors.js";

const region = "us-east-1";
const credentials = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" };
let world: { vpcs: string[]; subnets: string[]; groups: string[] };

beforeAll(async () => {
  Object.assign(process.env, credentials);
  const ec2 = new EC2Client({
    region,
    endpoint: inject("motoEndpoint"),
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  try {
    const vpcs = await Promise.all(
      ["10.1.0.0/16", "10.2.0.0/16"].map((CidrBlock) => ec2.send(new CreateVpcCommand({ CidrBlock }))),
    );
    const [a = "", b = ""] = vpcs.map((v) => v.Vpc?.VpcId ?? "");
    const subnets = await Promise.all([
      ec2.send(new CreateSubnetCommand({ VpcId: a, CidrBlock: "10.1.1.0/24" })),
      ec2.send(new CreateSubnetCommand({ VpcId: b, CidrBlock: "10.2.1.0/24" })),
    ]);
    const groups = await Promise.all([
      ec2.send(new CreateSecurityGroupCommand({ GroupName: `ec2-test-a-${process.pid}`, Description: "a", VpcId: a })),
      ec2.send(new CreateSecurityGroupCommand({ GroupName: `ec2-test-b-${process.pid}`, Description: "b", VpcId: b })),
    ]);
    world = {
      vpcs: [a, b],
      subnets: subnets.map((s) => s.Subnet?.SubnetId ?? ""),
      groups: groups.map((g) => g.GroupId ?? ""),
    };
  } finally {
    ec2.destroy();
  }
});

const client = (endpoint = inject("motoEndpoint"), maxAttempts = 3) =>
  new EC2Client({ region, endpoint, maxAttempts, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
const query = () => client();

describe("describeNetwork against moto", () => {
  it("finds each subnet and security group with its VPC", async () => {
    const found = await describeNetwork(query(), { subnets: world.subnets, securityGroups: world.groups });
    expect(found.subnets.found).toEqual(
      expect.arrayContaining([
        { id: world.subnets[0], vpcId: world.vpcs[0] },
        { id: world.subnets[1], vpcId: world.vpcs[1] },
      ]),
    );
    expect(found.subnets.found).toHaveLength(2);
    expect(found.securityGroups.found.map((g) => g.vpcId).sort()).toEqual([...world.vpcs].sort());
  });

  it("an unknown ID is an answer, not an error", async () => {
    const found = await describeNetwork(query(), {
      subnets: ["subnet-0123456789abcdef0"],
      securityGroups: ["sg-0123456789abcdef0"],
    });
    expect(found.subnets.missing).toEqual(["subnet-0123456789abcdef0"]);
    expect(found.securityGroups.missing).toEqual(["sg-0123456789abcdef0"]);
  });

  it("makes no call for an empty list", async () => {
    const ec2 = { send: () => Promise.reject(new Error("no call expected")) } as unknown as EC2Client;
    expect(await describeNetwork(ec2, { subnets: [], securityGroups: [] })).toEqual({
      subnets: { found: [], missing: [] },
      securityGroups: { found: [], missing: [] },
    });
  });
});

describe("errors and retries", () => {
  let calls = 0;
  const server = createServer((req, res) => {
    calls += 1;
    const throttled = calls === 1;
    res.writeHead(throttled ? 503 : 403, { "content-type": "text/xml" });
    const code = throttled ? "RequestLimitExceeded" : "UnauthorizedOperation";
    res.end(
      `<Response><Errors><Error><Code>${code}</Code><Message>You are not authorized to perform this operation. &amp; more</Message></Error></Errors></Response>`,
    );
    expect(req.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/ec2\/aws4_request/,
    );
  });
  let endpoint = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("retries a throttled call, then reports AccessDenied as an AwsError naming the operation", async () => {
    const error = await describeNetwork(client(endpoint), {
      subnets: ["subnet-0a0a0a0a"],
      securityGroups: [],
    }).catch((e: unknown) => e);
    expect(calls).toBe(2);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).message).toMatch(
      /^DescribeSubnets failed: UnauthorizedOperation: You are not authorized to perform this operation\. & more — grant ec2:DescribeSubnets to the role/,
    );
  });
});
