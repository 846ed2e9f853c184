// EC2: do the config's subnets and security groups exist, and in which VPC? Two read-only describes, by ID, side by
// side. The client's ES build adds about 15 KB to dist/: webpack keeps these two commands' shapes and drops the rest.
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { NetworkFound } from "../preflight/network.js";
import { AwsError, awsCall, isAccessDenied } from "./errors.js";

type Found = NetworkFound["subnets"];

/** The subnets and security groups by ID, with their VPCs; IDs EC2 does not know are listed as missing. */
export async function describeNetwork(
  ec2: EC2Client,
  ids: { subnets: readonly string[]; securityGroups: readonly string[] },
): Promise<NetworkFound> {
  // Imported here, not at the top: the EC2 client is a chunk of its own, loaded by the deploys that name a network.
  const { DescribeSecurityGroupsCommand, DescribeSubnetsCommand } = await import("@aws-sdk/client-ec2");
  const [subnets, securityGroups] = await Promise.all([
    describe("DescribeSubnets", ids.subnets, "InvalidSubnetID.NotFound", async () => {
      const out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...ids.subnets] }));
      return (out.Subnets ?? []).map((s) => ({ id: s.SubnetId ?? "", vpcId: s.VpcId ?? "" }));
    }),
    describe("DescribeSecurityGroups", ids.securityGroups, "InvalidGroup.NotFound", async () => {
      const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...ids.securityGroups] }));
      return (out.SecurityGroups ?? []).map((g) => ({ id: g.GroupId ?? "", vpcId: g.VpcId ?? "" }));
    }),
  ]);
  return { subnets, securityGroups };
}

async function describe(
  action: string,
  ids: readonly string[],
  notFound: string,
  call: () => Promise<Found["found"]>,
): Promise<Found> {
  if (ids.length === 0) return { found: [], missing: [] };
  try {
    return { found: await awsCall(action, call), missing: [] };
  } catch (error) {
    // EC2's AccessDenied (UnauthorizedOperation) names no action: say which one to grant.
    if (error instanceof AwsError && isAccessDenied(error.cause)) {
      throw new AwsError(error.message.replace("grant the permission", `grant ec2:${action}`), error.cause);
    }
    return { found: [], missing: missingIds(error, notFound, ids) };
  }
}

/**
 * One unknown ID fails the whole describe, naming the ID in the message: that is an answer (the ID is missing), not
 * an error. Anything else is rethrown for the pre-flight to report.
 */
function missingIds(error: unknown, code: string, ids: readonly string[]): string[] {
  const cause = error instanceof AwsError ? (error.cause as { name?: string; message?: string }) : undefined;
  if (cause?.name !== code) throw error;
  const named = ids.filter((id) => cause.message?.includes(id));
  if (named.length === 0) throw error;
  return named;
}
