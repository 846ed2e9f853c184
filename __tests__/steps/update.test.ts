// After a revision is registered, an UpdateService that fails for good says "registered, not deployed" and what to
// do; a cancel during it says cancelled.
import { describe, expect, it } from "vitest";
import { AwsError } from "../../src/aws/errors.js";
import { ChangeCancelled } from "../../src/aws/retry.js";
import { DeployError } from "../../src/errors.js";
import { changeOptions } from "../../src/steps/change-options.js";
import { notDeployed } from "../../src/steps/update.js";

const arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:42";
const thrown = (f: () => never): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("did not throw");
};

describe("notDeployed", () => {
  it("a revision registered by this run: result registered, the cause first, then what to do", () => {
    const error = new AwsError(
      "UpdateService failed: ThrottlingException: Rate exceeded (still failing after 12 attempt(s) in 58 s)",
      undefined,
    );
    const out = thrown(() => notDeployed(arn, true)(error));
    expect(out).toBeInstanceOf(DeployError);
    expect((out as Error).message).toBe(
      "UpdateService failed: ThrottlingException: Rate exceeded (still failing after 12 attempt(s) in 58 s); " +
        "web:42 is registered, not deployed: re-run the workflow to deploy it",
    );
    expect((out as DeployError).result).toBe("registered");
  });

  it("a reused revision was not registered by this run: the error as it is", () => {
    const error = new AwsError("UpdateService failed: ServiceNotFoundException: Service not found.", undefined);
    const out = thrown(() => notDeployed(arn, false)(error));
    expect(out).toBe(error);
    // no result of its own: the run's is decided by main.ts (failed)
    expect((out as DeployError).result).toBeUndefined();
  });

  it("cancelled during UpdateService: result cancelled, and whether it may have reached ECS", () => {
    const error = new AwsError("UpdateService failed", new ChangeCancelled("UpdateService", true));
    const out = thrown(() => notDeployed(arn, true)(error)) as Error;
    expect(out.message).toBe(
      "Cancelled during UpdateService: it may have reached ECS; re-run the workflow to deploy web:42",
    );
    expect((out as DeployError).result).toBe("cancelled");
  });
});

describe("changeOptions", () => {
  it("passes the run's signal and the clients' policy, and prints what the retries say as untrusted text", () => {
    const printed: string[][] = [];
    const host = { untrusted: (lines: string[]) => printed.push(lines) } as unknown as Parameters<
      typeof changeOptions
    >[0];
    const signal = new AbortController().signal;
    const policy = { budgetMs: 1, firstDelayMs: 1, maxDelayMs: 1, attemptTimeoutMs: 1, settleMs: 1 };
    const options = changeOptions(host, { changePolicy: policy }, signal);
    expect(options.signal).toBe(signal);
    expect(options.policy).toBe(policy);
    options.note?.("ECS is throttling UpdateService (Rate exceeded): retrying");
    expect(printed).toEqual([["ECS is throttling UpdateService (Rate exceeded): retrying"]]);
    expect("policy" in changeOptions(host, {}, signal)).toBe(false);
  });
});
