// The service's own settings, sent in UpdateService only when the config sets them: anything left out stays as it
// is in AWS (a setting managed by Terraform survives a deploy). `[deployment]` is one table: the strategy keys
// (strategy.ts) sit beside these; `[load_balancer]` (load-balancer.ts) wires the staged strategies.

import * as z from "zod";
import { bool, INT32_MAX, intIn, matching, mustBe, withExamples } from "./fields.js";
import { loadBalancerSchema } from "./load-balancer.js";
import { strategyFields } from "./strategy.js";

/** ECS's default quota of tasks per service (it can be raised, which a team then says here by asking us to). */
export const MAX_DESIRED_COUNT = 5000;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;
const ALARM_NAME = /^[^\p{Cc}\p{Cf}]{1,255}$/u;

export const THRESHOLD_TYPES = ["COUNT", "BOUNDED_PERCENT", "UNBOUNDED_PERCENT"] as const;

// ECS's breaker trips at a number of failed tasks: COUNT is that number; the percent types multiply the value by the
// desired count (BOUNDED_PERCENT then holds it within 3 to 200). The API takes any integer; 0 would trip on nothing
// at all or on the first failure, so a value is at least 1 (SDK ThresholdConfiguration, ThresholdType).
const threshold = z
  .strictObject(
    withExamples(
      {
        type: z
          .enum(THRESHOLD_TYPES, { error: mustBe(`one of ${THRESHOLD_TYPES.map((t) => `"${t}"`).join(", ")}`) })
          .describe(
            "COUNT: the value is the number of failed tasks; BOUNDED_PERCENT (ECS's default): a percent of the desired count, held within 3 to 200 tasks; UNBOUNDED_PERCENT: the same without the bounds.",
          ),
        value: intIn(1, INT32_MAX, `an integer from 1 to ${INT32_MAX}`).describe(
          "The failed tasks (COUNT), or the percent of the desired count (ECS's default: BOUNDED_PERCENT 50).",
        ),
      },
      { type: "COUNT", value: 3 },
    ),
    { error: mustBe('a table { type = "COUNT", value = 3 }') },
  )
  .describe('How many failed tasks trip the breaker: threshold = { type = "COUNT", value = 3 }.');

const circuitBreaker = z
  .strictObject(
    withExamples(
      {
        enable: bool().describe("Fail a deployment whose tasks keep failing to start or stay healthy."),
        rollback: bool().describe("Roll a failed deployment back to the last one that completed."),
        threshold: threshold.optional(),
        reset_on_healthy_task: bool()
          .optional()
          .describe("Start the failure count again from 0 each time a task turns healthy (ECS's default: true)."),
      },
      { enable: true, rollback: true, threshold: { type: "COUNT", value: 3 }, reset_on_healthy_task: true },
    ),
    { error: mustBe("a table { enable = true, rollback = true }") },
  )
  .describe("The deployment circuit breaker: circuit_breaker = { enable = true, rollback = true }.");

export const CLEANUPS = ["BLOCKING", "DEFERRED"] as const;

// ROLLING only (SDK DeploymentEarlySuccessCriteria): the deployment is SUCCESSFUL once this share of the desired
// count runs healthy on the new revision; ECS then no longer rolls it back on the breaker or alarms.
const earlySuccess = z
  .strictObject(
    withExamples(
      {
        healthy_percent: intIn(0, 100).describe(
          "The percent of the desired count that must run healthy on the new revision for ECS to call the deployment successful; at least minimum_healthy_percent.",
        ),
        cleanup: z
          .enum(CLEANUPS, { error: mustBe('"BLOCKING" or "DEFERRED"') })
          .describe(
            "BLOCKING: ECS stops the old revision's tasks before it calls the deployment successful; DEFERRED: after, in the background.",
          ),
      },
      { healthy_percent: 50, cleanup: "DEFERRED" },
    ),
    { error: mustBe('a table { healthy_percent = 50, cleanup = "DEFERRED" }') },
  )
  .describe(
    'ROLLING: the deployment succeeds once healthy_percent of the tasks run the new revision healthy: early_success = { healthy_percent = 50, cleanup = "DEFERRED" }.',
  );

const alarms = z
  .strictObject(
    withExamples(
      {
        names: z
          .array(matching(ALARM_NAME, "a CloudWatch alarm name"), { error: mustBe("an array of alarm names") })
          .min(1, { error: "must name at least one alarm" })
          .max(10, { error: "may name at most 10 alarms" })
          .describe("The CloudWatch alarms that fail the deployment when they go into ALARM."),
        rollback: bool().describe("Roll the deployment back when an alarm fails it."),
        enable: bool().default(true).describe("Watch the alarms (false keeps them configured but ignored)."),
      },
      { names: ["web-prod-5xx"], rollback: true, enable: true },
    ),
    { error: mustBe('a table { names = ["…"], rollback = true }') },
  )
  .describe('CloudWatch alarms that fail a deployment: alarms = { names = ["web-5xx"], rollback = true }.');

export const deploymentSchema = z
  .strictObject(
    withExamples(
      {
        minimum_healthy_percent: intIn(0, 100)
          .optional()
          .describe(
            "Tasks that must stay running during a deployment, in percent of desired_count (ECS's default: 100).",
          ),
        maximum_percent: intIn(100, INT32_MAX)
          .optional()
          .describe("Tasks that may run during a deployment, in percent of desired_count (ECS's default: 200)."),
        circuit_breaker: circuitBreaker.optional(),
        alarms: alarms.optional(),
        early_success: earlySuccess.optional(),
        ...strategyFields,
      },
      {
        minimum_healthy_percent: 50,
        maximum_percent: 200,
        circuit_breaker: { enable: true, rollback: true },
        alarms: { names: ["web-prod-5xx"], rollback: true },
        early_success: { healthy_percent: 50, cleanup: "DEFERRED" },
      },
    ),
    { error: mustBe("a table") },
  )
  .describe("How ECS rolls out a deployment of the service. Each key is sent only when set.");

export const networkSchema = z
  .strictObject(
    withExamples(
      {
        subnets: z
          .array(matching(SUBNET, "a subnet ID like subnet-0a1b2c3d4e5f67890"), {
            error: mustBe("an array of subnet IDs"),
          })
          .min(1, { error: "must name at least one subnet" })
          .max(16, { error: "may name at most 16 subnets (ECS's limit)" })
          .optional()
          .describe("The subnets the tasks run in. The pre-flight checks they exist and share one VPC."),
        security_groups: z
          .array(matching(SECURITY_GROUP, "a security group ID like sg-0a1b2c3d4e5f67890"), {
            error: mustBe("an array of security group IDs"),
          })
          .min(1, { error: "must name at least one security group" })
          .max(5, { error: "may name at most 5 security groups (ECS's limit)" })
          .optional()
          .describe("The security groups of the tasks. The pre-flight checks they exist, in the subnets' VPC."),
        assign_public_ip: bool()
          .optional()
          .describe("Give each task a public IP (needed in a public subnet without a NAT gateway to pull images)."),
      },
      {
        subnets: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        security_groups: ["sg-0a1b2c3d4e5f60003"],
        assign_public_ip: false,
      },
    ),
    { error: mustBe("a table") },
  )
  .describe("The tasks' network (awsvpc). A key left out keeps the service's current value.");

export const serviceShape = withExamples(
  {
    desired_count: intIn(
      0,
      MAX_DESIRED_COUNT,
      `an integer from 0 to ${MAX_DESIRED_COUNT} (ECS's tasks-per-service quota)`,
    )
      .optional()
      .describe("How many tasks to run. Unset: the service keeps its current count."),
    enable_execute_command: bool()
      .optional()
      .describe("Allow `aws ecs execute-command` into the service's tasks (new tasks are started for it)."),
    health_check_grace_period: intIn(0, INT32_MAX)
      .optional()
      .describe("Seconds ECS ignores failing load balancer and container health checks after a task starts."),
    propagate_tags: z
      .enum(["SERVICE", "TASK_DEFINITION", "NONE"], { error: mustBe('"SERVICE", "TASK_DEFINITION" or "NONE"') })
      .optional()
      .describe("Which tags the service's tasks get: the service's, the task definition's, or none."),
    deployment: deploymentSchema.optional(),
    network: networkSchema.optional(),
    load_balancer: loadBalancerSchema.optional(),
  },
  {
    desired_count: 4,
    enable_execute_command: true,
    health_check_grace_period: 60,
    propagate_tags: "SERVICE",
    deployment: { minimum_healthy_percent: 100, maximum_percent: 200 },
    network: { subnets: ["subnet-0a1b2c3d4e5f60001"], security_groups: ["sg-0a1b2c3d4e5f60003"] },
    load_balancer: {
      alternate_target_group:
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-prod-green/0123456789abcdef",
      production_listener_rule:
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web-prod/0123456789abcdef/fedcba9876543210/1111222233334444",
      role_arn: "arn:aws:iam::123456789012:role/ecs-infrastructure-load-balancers",
    },
  },
);
