// The documented IAM policy (docs/iam-policy.json) against the AWS calls end-to-end runs make. The recording proxy
// names each call's service (the SigV4 signing name, which is the IAM prefix) and operation, so a call is its IAM
// action: `ecs:UpdateService`.
import { readFileSync } from "node:fs";

export const POLICY_FILE = new URL("../../docs/iam-policy.json", import.meta.url);

export interface Statement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

export function policy(): { Version: string; Statement: Statement[] } {
  return JSON.parse(readFileSync(POLICY_FILE, "utf8"));
}

export function documentedActions(): Set<string> {
  return new Set(policy().Statement.flatMap((s) => s.Action));
}

/**
 * Permissions that no API call of their own names: AWS checks them inside another call. Each is documented as
 * needed only when the call that needs it was made.
 */
export const IMPLIED: Record<string, string> = {
  // RegisterTaskDefinition with tags (the config's, the commit's) is also authorized as ecs:TagResource.
  "ecs:TagResource": "ecs:RegisterTaskDefinition",
  // RegisterTaskDefinition passes the task and execution roles to ECS tasks.
  "iam:PassRole": "ecs:RegisterTaskDefinition",
};

/**
 * Actions that take no resource-level permission (Service Authorization Reference: no resource type, or, for
 * ecs:ListTasks, only a condition on the cluster), so "Resource": "*" is as narrow as AWS allows. Any other action
 * must name its resources.
 */
export const UNSCOPABLE = new Set([
  "sts:GetCallerIdentity",
  "ecs:DescribeTaskDefinition",
  "ecs:ListTaskDefinitions",
  "ecs:DeregisterTaskDefinition",
  "ecs:ListTasks",
  "ssm:DescribeParameters",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetGroupAttributes",
  "elasticloadbalancing:DescribeTargetHealth",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeRules",
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
]);

export function actionOf(call: { service: string; operation: string }): string {
  return `${call.service}:${call.operation}`;
}

/** The IAM actions of calls that the documented policy does not allow. */
export function undocumented(calls: readonly { service: string; operation: string }[]): string[] {
  const documented = documentedActions();
  return [...new Set(calls.map(actionOf))].filter((action) => !documented.has(action)).sort();
}

/** Actions of the policy that none of `calls` needs (an implied one counts as needed when its call was made). */
export function unused(calls: readonly { service: string; operation: string }[]): string[] {
  const made = new Set(calls.map(actionOf));
  return [...documentedActions()].filter((action) => !made.has(action) && !made.has(IMPLIED[action] ?? "")).sort();
}
