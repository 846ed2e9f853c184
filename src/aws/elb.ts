// Elastic Load Balancing v2: how the service's targets stand, and what their target groups check.
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2/dist-es/index.js";
import type { CallOptions } from "./ecs.js";

export async function describeTargetHealth(elb: ElasticLoadBalancingV2Client, arn: string, options: CallOptions) {
  const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }), options);
  return out.TargetHealthDescriptions ?? [];
}

export async function describeTargetGroups(elb: ElasticLoadBalancingV2Client, arns: string[], options: CallOptions) {
  const out = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns }), options);
  return out.TargetGroups ?? [];
}

/** A target group's attributes: `deregistration_delay.timeout_seconds` says how long the old revision drains. */
export async function describeTargetGroupAttributes(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
  options: CallOptions,
) {
  const out = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }), options);
  return out.Attributes ?? [];
}
