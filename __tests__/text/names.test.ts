// Short names in the lines people read: ARNs cut to what a developer looks for, the whole ARN left to the summary.
import { describe, expect, it } from "vitest";
import { shortenArns, shortTaskId } from "../../src/text/names.js";

describe("shortenArns", () => {
  it.each([
    [
      "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/a1c6e2f3b4d5c6e7)",
      "Task failed ELB health checks in (target-group web-tg)",
    ],
    [
      "(service web) (task 9d85800c30b349039d104d52b506b930) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:eu-central-1:000000000000:targetgroup/api-service-alb-http/4d2246e3635cc45b) due to (reason Health checks failed with these codes: [503]).",
      "(service web) (task 9d85800c…) (port 8080) is unhealthy in (target-group api-service-alb-http) due to (reason Health checks failed with these codes: [503]).",
    ],
    ["runs arn:aws:ecs:us-east-1:1:task-definition/web:2 now", "runs web:2 now"],
    ["stopped arn:aws:ecs:us-east-1:1:task/prod/3f2a9c1e0b7d4e5fa1c2d3e4f5a6b7c8", "stopped task 3f2a9c1e…"],
    ["(task arn:aws:ecs:us-east-1:1:task/prod/3f2a9c1e0b7d4e5fa1c2d3e4f5a6b7c8)", "(task 3f2a9c1e…)"],
    ["in arn:aws:ecs:us-east-1:1:service/prod/web on arn:aws:ecs:us-east-1:1:cluster/prod", "in web on prod"],
  ])("%s", (text, short) => {
    expect(shortenArns(text)).toBe(short);
  });

  it("keeps the ARNs that say what to fix: roles and secrets", () => {
    const text =
      "ResourceInitializationError: User: arn:aws:sts::1:assumed-role/exec/1a2b is not authorized to perform: " +
      "secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:1:secret:app/db-AbCdEf";
    expect(shortenArns(text)).toBe(text);
  });

  it("short task ids keep 8 characters", () => {
    expect(shortTaskId("3f2a9c1e0b7d4e5fa1c2d3e4f5a6b7c8")).toBe("3f2a9c1e…");
    expect(shortTaskId("short")).toBe("short");
  });
});
