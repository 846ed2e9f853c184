// What a rollback sends back besides the revision: each setting the deploy changed, as the service had it.
import { describe, expect, it } from "vitest";
import { restoredText, restorePlan } from "../../../src/plan/service/restore.js";
import type { CurrentService } from "../../../src/plan/service/settings.js";

const current: CurrentService = {
  enableExecuteCommand: false,
  healthCheckGracePeriodSeconds: 0,
  propagateTags: "NONE",
  deploymentConfiguration: {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    deploymentCircuitBreaker: { enable: false, rollback: false },
    earlySuccessCriteria: { enable: false },
    strategy: "ROLLING",
  },
};

describe("restorePlan", () => {
  it("sends back each setting the deploy changes, whole, and the desired count it changed", () => {
    const sent = {
      propagateTags: "SERVICE" as const,
      healthCheckGracePeriodSeconds: 0,
      deploymentConfiguration: {
        ...current.deploymentConfiguration,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    };
    const restore = restorePlan(sent, current, { from: 2, to: 4 });
    expect(restore.settings).toEqual({
      propagateTags: "NONE",
      deploymentConfiguration: current.deploymentConfiguration,
    });
    expect(restore.desiredCount).toBe(2);
    expect(restore.lines).toEqual([
      "service propagate tags: SERVICE → NONE",
      "service circuit breaker: on, with rollback → off",
      "desired count: 4 → 2",
    ]);
    expect(restoredText(restore)).toBe("propagate tags, circuit breaker and desired count");
  });

  it("sends nothing back when the deploy changes no setting", () => {
    const restore = restorePlan({ propagateTags: "NONE" }, current, { from: 2 });
    expect(restore).toEqual({ settings: {}, lines: [] });
    expect(restoredText(restore)).toBe("");
  });

  it("a breaker the service showed none of goes back off", () => {
    const bare: CurrentService = { deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 } };
    const sent = {
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    };
    expect(restorePlan(sent, bare, { from: 1 }).settings.deploymentConfiguration).toEqual({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: false, rollback: false },
      earlySuccessCriteria: { enable: false },
    });
  });
});
