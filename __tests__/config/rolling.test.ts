// Early success and the breaker's threshold: ECS's ranges, refused at their key, and the cross-checks (ROLLING only,
// healthy_percent at least minimum_healthy_percent).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { guideProblems, guideToml } from "../support/config.js";

const problems = (extra: string) => guideProblems(extra).map((p) => [p.key, p.message]);

describe("early success and breaker tuning", () => {
  it("reads both as written", () => {
    const config = parseConfig(
      `${guideToml}[deployment]\nminimum_healthy_percent = 50\nearly_success = { healthy_percent = 60, cleanup = "DEFERRED" }\ncircuit_breaker = { enable = true, rollback = true, threshold = { type = "COUNT", value = 2 }, reset_on_healthy_task = false }\n`,
      "deploy.toml",
    );
    expect(config.deployment?.early_success).toEqual({ healthy_percent: 60, cleanup: "DEFERRED" });
    expect(config.deployment?.circuit_breaker).toEqual({
      enable: true,
      rollback: true,
      threshold: { type: "COUNT", value: 2 },
      reset_on_healthy_task: false,
    });
  });

  it.each([
    [
      'early_success = { healthy_percent = 101, cleanup = "BLOCKING" }',
      "deployment.early_success.healthy_percent",
      /from 0 to 100/,
    ],
    [
      'early_success = { healthy_percent = 50, cleanup = "LATER" }',
      "deployment.early_success.cleanup",
      /"BLOCKING" or "DEFERRED"/,
    ],
    ["early_success = { healthy_percent = 50 }", "deployment.early_success.cleanup", /BLOCKING/],
    [
      'circuit_breaker = { enable = true, rollback = true, threshold = { type = "SOME", value = 2 } }',
      "deployment.circuit_breaker.threshold.type",
      /"COUNT", "BOUNDED_PERCENT", "UNBOUNDED_PERCENT"/,
    ],
    [
      'circuit_breaker = { enable = true, rollback = true, threshold = { type = "COUNT", value = 0 } }',
      "deployment.circuit_breaker.threshold.value",
      /from 1 to 2147483647/,
    ],
    [
      'circuit_breaker = { enable = true, rollback = true, threshold = { type = "COUNT", value = 2147483648 } }',
      "deployment.circuit_breaker.threshold.value",
      /from 1 to 2147483647/,
    ],
  ])("%s", (line, key, message) => {
    expect(problems(`[deployment]\n${line}\n`)).toContainEqual([key, expect.stringMatching(message)]);
  });

  it("early success on a staged strategy names the key to remove", () => {
    const found = problems(
      '[deployment]\nstrategy = "BLUE_GREEN"\nbake_time = 5\nearly_success = { healthy_percent = 100, cleanup = "BLOCKING" }\n',
    );
    expect(found).toContainEqual([
      "deployment.early_success",
      '`deployment.early_success` applies to ROLLING deployments, but the strategy is BLUE_GREEN: remove it, or set `deployment.strategy = "ROLLING"`',
    ]);
  });

  it("healthy_percent below minimum_healthy_percent is refused, equal is fine", () => {
    expect(
      problems(
        '[deployment]\nminimum_healthy_percent = 75\nearly_success = { healthy_percent = 50, cleanup = "BLOCKING" }\n',
      ),
    ).toContainEqual([
      "deployment.early_success.healthy_percent",
      "`deployment.early_success.healthy_percent` is 50, below the minimum healthy percent (75): ECS needs at least as many healthy tasks for success as it keeps during the deployment; raise it to 75 or more",
    ]);
    const config = parseConfig(
      `${guideToml}[deployment]\nminimum_healthy_percent = 50\nearly_success = { healthy_percent = 50, cleanup = "BLOCKING" }\n`,
      "deploy.toml",
    );
    expect(config.deployment?.early_success?.healthy_percent).toBe(50);
  });
});
