// Pure: do the config's subnets and security groups exist, and share one VPC? A task cannot start in subnets of two
// VPCs, nor with a security group of another VPC; ECS would accept UpdateService and fail every task launch.
import type { Config } from "../config/index.js";
import type { Problem } from "../errors.js";

interface Found {
  found: { id: string; vpcId: string }[];
  missing: string[];
}

/** What EC2 answered for the config's IDs. */
export interface NetworkFound {
  subnets: Found;
  securityGroups: Found;
}

/** The IDs to describe: only those the config sets (the service's own are not ours to check). */
export function networkIds(config: Pick<Config, "network">): { subnets: string[]; securityGroups: string[] } {
  return { subnets: config.network?.subnets ?? [], securityGroups: config.network?.security_groups ?? [] };
}

export function checkNetwork(found: NetworkFound): Problem[] {
  const problems: Problem[] = [
    ...found.subnets.missing.map((id) => ({
      key: "network.subnets",
      message: `subnet ${id} (\`network.subnets\`) does not exist in this account and region`,
    })),
    ...found.securityGroups.missing.map((id) => ({
      key: "network.security_groups",
      message: `security group ${id} (\`network.security_groups\`) does not exist in this account and region`,
    })),
  ];
  const subnetVpcs = groupByVpc(found.subnets.found);
  if (subnetVpcs.size > 1) {
    problems.push({
      key: "network.subnets",
      message: `the subnets (\`network.subnets\`) are in ${subnetVpcs.size} VPCs (${describeVpcs(subnetVpcs)}): a task's subnets must share one VPC`,
    });
  }
  const vpc = subnetVpcs.size === 1 ? [...subnetVpcs.keys()][0] : undefined;
  const groupVpcs = groupByVpc(found.securityGroups.found);
  const strays = vpc ? [...groupVpcs].filter(([other]) => other !== vpc) : groupVpcs.size > 1 ? [...groupVpcs] : [];
  if (strays.length > 0) {
    const where = vpc ? `the subnets are in ${vpc}` : "the security groups are in several VPCs";
    problems.push({
      key: "network.security_groups",
      message: `security groups must be in the VPC of the subnets: ${describeVpcs(new Map(strays))}; ${where}`,
    });
  }
  return problems;
}

function groupByVpc(items: { id: string; vpcId: string }[]): Map<string, string[]> {
  const byVpc = new Map<string, string[]>();
  for (const { id, vpcId } of items) byVpc.set(vpcId, [...(byVpc.get(vpcId) ?? []), id]);
  return byVpc;
}

function describeVpcs(byVpc: ReadonlyMap<string, string[]>): string {
  return [...byVpc].map(([vpc, ids]) => `${ids.join(", ")} in ${vpc}`).join("; ");
}
