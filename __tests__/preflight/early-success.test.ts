// The pre-flight's early-success checks against the service as AWS has it: the file leaves the strategy or the
// minimum healthy percent to the service, and the service's values decide.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { strategyProblems } from "../../src/preflight/strategy.js";
import type { ServiceState } from "../../src/preflight/target.js";
import { guideToml } from "../support/config.js";

const state = (deploymentConfiguration: NonNullable<ServiceState["settings"]["deploymentConfiguration"]>) =>
  ({
    serviceArn: "arn:aws:ecs:us-east-1:123456789012:service/apps/web",
    clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/apps",
    taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
    desiredCount: 2,
    loadBalancers: [],
    unsettledBecause: undefined,
    deployedAt: undefined,
    settings: { deploymentConfiguration },
  }) satisfies ServiceState;

const early = (percent: number) =>
  parseConfig(
    `${guideToml}[deployment]\nearly_success = { healthy_percent = ${percent}, cleanup = "BLOCKING" }\n`,
    "d.toml",
  );

describe("early success in the pre-flight", () => {
  it("is refused below the service's minimum healthy percent", () => {
    expect(strategyProblems(early(50), state({ minimumHealthyPercent: 100, strategy: "ROLLING" }))).toEqual([
      {
        key: "deployment.early_success.healthy_percent",
        message:
          "`deployment.early_success.healthy_percent` is 50, below the minimum healthy percent (100): ECS needs at least as many healthy tasks for success as it keeps during the deployment; raise it to 100 or more (the service's, as AWS has it)",
      },
    ]);
    expect(strategyProblems(early(100), state({ minimumHealthyPercent: 100, strategy: "ROLLING" }))).toEqual([]);
  });

  it("is refused on a service whose strategy is a staged one", () => {
    const found = strategyProblems(early(100), state({ minimumHealthyPercent: 100, strategy: "CANARY" }));
    expect(found.map((p) => p.key)).toEqual(["deployment.early_success"]);
  });
});
