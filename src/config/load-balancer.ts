// `[load_balancer]`: the blue/green wiring of the service's load balancer (ECS's
// loadBalancers[].advancedConfiguration): the second target group the new revision starts in, the listener rules ECS
// moves traffic with, and the role it does that as. Usually written once, in a shared file the services extend.
// Every key is optional here: a key left out keeps what the service has, and the pre-flight says what is missing.

import * as z from "zod";
import { matching, mustBe, withExamples } from "./fields.js";
import { IAM_ROLE_ARN } from "./strategy.js";

const PARTITION = "aws[a-z-]*";
const ELB = `arn:${PARTITION}:elasticloadbalancing:[a-z0-9-]+:\\d{12}`;
export const TARGET_GROUP_ARN = new RegExp(`^${ELB}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`);
/** An ALB listener rule, or (for a Network Load Balancer) the listener itself. */
export const LISTENER_RULE_ARN = new RegExp(
  `^${ELB}:(listener-rule/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}|listener/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16})$`,
);

const rule = (what: string) =>
  matching(
    LISTENER_RULE_ARN,
    `the ARN of a listener rule (arn:aws:elasticloadbalancing:…:listener-rule/…), or of a Network Load Balancer's listener, for ${what}`,
  );

export const loadBalancerSchema = z
  .strictObject(
    withExamples(
      {
        alternate_target_group: matching(
          TARGET_GROUP_ARN,
          "a target group ARN (arn:aws:elasticloadbalancing:…:targetgroup/<name>/<id>)",
        )
          .optional()
          .describe(
            "The second target group: the new revision registers there while the old one serves from the first (same VPC, protocol and target type).",
          ),
        production_listener_rule: rule("production traffic")
          .optional()
          .describe(
            "The listener rule that forwards production traffic; ECS moves its weights between the two target groups.",
          ),
        test_listener_rule: rule("test traffic")
          .optional()
          .describe("A listener rule for test traffic, which reaches the new revision before production traffic does."),
        role_arn: matching(IAM_ROLE_ARN, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
          .optional()
          .describe(
            "The role ECS assumes to change the listener rules (the ECS infrastructure role for load balancers).",
          ),
      },
      {
        alternate_target_group:
          "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-prod-green/0123456789abcdef",
        production_listener_rule:
          "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web-prod/0123456789abcdef/fedcba9876543210/1111222233334444",
        test_listener_rule:
          "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web-prod/0123456789abcdef/0a1b2c3d4e5f6071/5555666677778888",
        role_arn: "arn:aws:iam::123456789012:role/ecs-infrastructure-load-balancers",
      },
    ),
    { error: mustBe("a table") },
  )
  .describe(
    "The blue/green wiring of the service's load balancer, for BLUE_GREEN, LINEAR and CANARY deployments. A key left out keeps the service's current value.",
  );

export type LoadBalancerConfig = z.output<typeof loadBalancerSchema>;
