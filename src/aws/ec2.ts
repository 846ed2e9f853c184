// EC2: do the config's subnets and security groups exist, and in which VPC? Two read-only describes, by ID, through
// the small Query client (ec2-query.ts says why not the SDK's EC2 client).
import type { NetworkFound } from "../plan/network.js";
import { childText, type Ec2Query, type XmlNode } from "./ec2-query.js";
import { AwsError, awsCall, isAccessDenied } from "./errors.js";

/** The subnets and security groups by ID, with their VPCs; IDs EC2 does not know are listed as missing. */
export async function describeNetwork(
  ec2: Ec2Query,
  ids: { subnets: readonly string[]; securityGroups: readonly string[] },
): Promise<NetworkFound> {
  const [subnets, securityGroups] = await Promise.all([
    describe(ec2, "DescribeSubnets", "SubnetId", ids.subnets, ["subnetSet", "subnetId"], "InvalidSubnetID.NotFound"),
    describe(
      ec2,
      "DescribeSecurityGroups",
      "GroupId",
      ids.securityGroups,
      ["securityGroupInfo", "groupId"],
      "InvalidGroup.NotFound",
    ),
  ]);
  return { subnets, securityGroups };
}

async function describe(
  ec2: Ec2Query,
  action: string,
  param: string,
  ids: readonly string[],
  [set, idField]: [string, string],
  notFound: string,
): Promise<{ found: { id: string; vpcId: string }[]; missing: string[] }> {
  if (ids.length === 0) return { found: [], missing: [] };
  const params = Object.fromEntries(ids.map((id, i) => [`${param}.${i + 1}`, id]));
  try {
    const root = await awsCall(action, () => ec2.call(action, params));
    const items = topLevel(root, set)?.children.filter((c) => c.name === "item") ?? [];
    return {
      found: items.map((item) => ({ id: childText(item, idField) ?? "", vpcId: childText(item, "vpcId") ?? "" })),
      missing: [],
    };
  } catch (error) {
    // EC2's AccessDenied names no action: say which one to grant.
    if (error instanceof AwsError && isAccessDenied(error.cause)) {
      throw new AwsError(error.message.replace("grant the permission", `grant ec2:${action}`), error.cause);
    }
    return { found: [], missing: missingIds(error, notFound, ids) };
  }
}

/** `<DescribeSubnetsResponse><subnetSet>`: the set directly under the answer, not a nested one of the same name. */
function topLevel(root: XmlNode, set: string): XmlNode | undefined {
  return root.children[0]?.children.find((c) => c.name === set);
}

/**
 * One unknown ID fails the whole describe, naming the ID in the message: that is an answer (the ID is missing), not
 * an error. Anything else (UnauthorizedOperation, say) is rethrown for the pre-flight to report.
 */
function missingIds(error: unknown, code: string, ids: readonly string[]): string[] {
  const cause = error instanceof AwsError ? (error.cause as { name?: string; message?: string }) : undefined;
  if (cause?.name !== code) throw error;
  const named = ids.filter((id) => cause.message?.includes(id));
  if (named.length === 0) throw error;
  return named;
}
