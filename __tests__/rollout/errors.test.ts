// AWS errors mid-wait are not verdicts about the rollout: the wait fails with the error's own first line (what to
// grant or renew), and keeps the timeline and where the rollout stood.
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { awsError, scenarioWatch, stateAt } from "../support/aws.js";

const setup = scenarioWatch;

describe("errors that are not verdicts: the wait fails with the error first and keeps what it saw", () => {
  it("AccessDenied mid-wait names the operation and the missing permission, with the timeline and progress", async () => {
    const { aws, clock, options, scenario } = setup("healthy-rolling-alb");
    const denied =
      "User: arn:aws:sts::879613780019:assumed-role/deploy/GitHubActions is not authorized to perform: " +
      "elasticloadbalancing:DescribeTargetHealth because no identity-based policy allows the elasticloadbalancing:DescribeTargetHealth action";
    // Allowed until 15 s (someone edits the role mid-wait), denied from then on.
    aws.elb.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn: string }) =>
      clock.now() < 15_000
        ? {
            TargetHealthDescriptions:
              stateAt(scenario, clock.now()).describeTargetHealth[input.TargetGroupArn]?.TargetHealthDescriptions ?? [],
          }
        : Promise.reject(Object.assign(new Error(denied), { name: "AccessDenied" })),
    );
    const result = await watchRollout(options);
    expect(result).toMatchObject({ outcome: "failed", cause: "wait-error" });
    expect(result.message).toMatch(
      /^DescribeTargetHealth failed: AccessDenied: User: .* — grant elasticloadbalancing:DescribeTargetHealth to the role/,
    );
    expect(result.details[0]).toBe(
      "where the rollout stood: 0/2 running · 2 pending · 0/2 healthy in tg-app · old revision serving",
    );
    expect(result.timeline.length).toBeGreaterThan(3);
    expect(result.timeline.at(-1)?.text).toBe(`failed: ${result.message}`);
    expect(result.rolledBackTo).toBeUndefined();
  });

  it("expired credentials say so, and how to make the role session last the wait", async () => {
    const { aws, options } = setup("healthy-rolling-alb");
    aws.ecs
      .on(DescribeServicesCommand)
      .rejects(awsError("ExpiredTokenException", "The security token included in the request is expired"));
    const result = await watchRollout(options);
    expect(result).toMatchObject({ outcome: "failed", cause: "wait-error", polls: 1 });
    expect(result.message).toMatch(
      /^AWS credentials expired or missing while waiting for the rollout \(DescribeServices: ExpiredTokenException: .*role-duration-seconds/,
    );
    expect(result.details).toContain("where the rollout stood: no answer from ECS yet");
  });

  it("other AWS errors are wrapped with the operation", async () => {
    const { aws, options } = setup("healthy-rolling-alb");
    aws.ecs.on(DescribeServicesCommand).rejects(awsError("ClusterNotFoundException", "Cluster not found."));
    const result = await watchRollout(options);
    expect(result.message).toBe(
      "DescribeServices failed: ClusterNotFoundException: Cluster not found. (while waiting for the rollout)",
    );
  });
});
