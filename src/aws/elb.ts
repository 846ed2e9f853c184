// Elastic Load Balancing v2: how the service's targets stand, and what their target groups check; and the
// pre-flight's reads of the blue/green wiring. Each call imports its command: the client is a chunk of its own, loaded
// once the first target is read (clients.ts).
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { RuleFound } from "../preflight/wiring-rules.js";
import type { CallOptions } from "./ecs.js";
import { awsCall } from "./errors.js";

export async function describeTargetHealth(elb: ElasticLoadBalancingV2Client, arn: string, options: CallOptions) {
  const { DescribeTargetHealthCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
  const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }), options);
  return out.TargetHealthDescriptions ?? [];
}

export async function describeTargetGroups(elb: ElasticLoadBalancingV2Client, arns: string[], options: CallOptions) {
  const { DescribeTargetGroupsCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
  const out = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns }), options);
  return out.TargetGroups ?? [];
}

/** A target group's attributes: `deregistration_delay.timeout_seconds` says how long the old revision drains. */
export async function describeTargetGroupAttributes(
  elb: ElasticLoadBalancingV2Client,
  arn: string,
  options: CallOptions,
) {
  const { DescribeTargetGroupAttributesCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
  const out = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }), options);
  return out.Attributes ?? [];
}

// The pre-flight's reads of the blue/green wiring. A missing resource is an answer (undefined), not an error: the
// pre-flight reports it with the key that names it. One ARN a call, since one missing ARN fails a call of several.

function notFound(error: unknown, name: string): boolean {
  return (error as Error)?.name === name || ((error as Error)?.cause as Error | undefined)?.name === name;
}

/** One target group, or undefined when it does not exist. */
export async function findTargetGroup(elb: ElasticLoadBalancingV2Client, arn: string) {
  const { DescribeTargetGroupsCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
  try {
    const out = await awsCall("DescribeTargetGroups", () =>
      elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
    );
    return out.TargetGroups?.[0];
  } catch (error) {
    if (notFound(error, "TargetGroupNotFoundException")) return undefined;
    throw error;
  }
}

/**
 * The actions of a listener rule (ALB), or the default actions of a listener with its protocol (a Network Load
 * Balancer's productionListenerRule is its listener; an HTTP listener is an ALB's); undefined when there is no such
 * rule or listener.
 */
export async function findRuleActions(elb: ElasticLoadBalancingV2Client, arn: string): Promise<RuleFound | undefined> {
  const { DescribeListenersCommand, DescribeRulesCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
  try {
    if (arn.includes(":listener-rule/")) {
      const out = await awsCall("DescribeRules", () => elb.send(new DescribeRulesCommand({ RuleArns: [arn] })));
      const actions = out.Rules?.[0]?.Actions;
      return actions && { actions };
    }
    const out = await awsCall("DescribeListeners", () =>
      elb.send(new DescribeListenersCommand({ ListenerArns: [arn] })),
    );
    const listener = out.Listeners?.[0];
    return listener?.DefaultActions && { actions: listener.DefaultActions, protocol: listener.Protocol };
  } catch (error) {
    if (notFound(error, "RuleNotFoundException") || notFound(error, "ListenerNotFoundException")) return undefined;
    throw error;
  }
}

/** The registered targets of a target group, with their health (pre-flight: errors translated). */
export function registeredTargets(elb: ElasticLoadBalancingV2Client, arn: string) {
  return awsCall("DescribeTargetHealth", () => describeTargetHealth(elb, arn, {}));
}
