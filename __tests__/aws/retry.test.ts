// The retry policy of the calls that change AWS, on a fake clock: the schedule, the budget, the checks after a lost
// answer, what is said, and the cancel.
import { Readable } from "node:stream";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import {
  CHANGE_POLICY,
  type Change,
  ChangeCancelled,
  change,
  faultOf,
  once,
  type RetryDeps,
  scaledPolicy,
  underneath,
} from "../../src/aws/retry.js";
import { fakeClock } from "../support/aws.js";

function fakeDeps(random = 0.5): RetryDeps & { sleeps: number[] } {
  return { ...fakeClock(), random: () => random };
}

const throttled = () =>
  Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
const serverError = () =>
  Object.assign(new Error("We encountered an internal error"), {
    name: "ServerException",
    $fault: "server",
    $metadata: { httpStatusCode: 500 },
  });
const lost = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
const refused = () =>
  Object.assign(new Error("Too many containers."), { name: "ClientException", $metadata: { httpStatusCode: 400 } });

/** A change whose attempts fail with `faults` in turn, then answer "done"; `check` answers `found` in turn. */
function scripted(faults: (() => Error)[], found: (string | undefined)[] | undefined = undefined) {
  const calls = { attempts: 0, checks: 0 };
  const spec: Change<string> = {
    service: "ECS",
    operation: "UpdateService",
    attempt: async () => {
      const fault = faults[calls.attempts];
      calls.attempts += 1;
      if (fault) throw fault();
      return "done";
    },
    ...(found
      ? {
          check: async () => {
            calls.checks += 1;
            return found[calls.checks - 1];
          },
        }
      : {}),
  };
  return { spec, calls };
}

describe("change: throttling and failures", () => {
  it("is tried again while throttled, with jittered, growing waits, and says so once", async () => {
    const deps = fakeDeps(0.5);
    const notes: string[] = [];
    const { spec, calls } = scripted(Array(5).fill(throttled));
    await expect(change(spec, { deps, note: (line) => notes.push(line) })).resolves.toBe("done");
    expect(calls.attempts).toBe(6);
    // Half to all of 500·2ⁿ ms (capped at 8 s); random 0.5 gives three quarters.
    expect(deps.sleeps).toEqual([375, 750, 1500, 3000, 6000]);
    expect(notes).toEqual(["ECS is throttling UpdateService (Rate exceeded): retrying"]);
  });

  it("never waits nothing, nor more than the cap", async () => {
    const low = fakeDeps(0);
    await change(scripted(Array(8).fill(throttled)).spec, { deps: low });
    expect(low.sleeps.every((ms) => ms >= 250)).toBe(true);
    const high = fakeDeps(1);
    await change(scripted(Array(8).fill(throttled)).spec, { deps: high });
    expect(Math.max(...high.sleeps)).toBe(CHANGE_POLICY.maxDelayMs);
  });

  it("gives up when the next wait would pass the budget, saying how long it tried", async () => {
    const deps = fakeDeps(1);
    const { spec, calls } = scripted(Array(100).fill(throttled));
    const error = (await change(spec, { deps }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ThrottlingException");
    expect(error.message).toMatch(/^Rate exceeded \(still failing after \d+ attempt\(s\) in \d+ s\)$/);
    expect(deps.now()).toBeLessThanOrEqual(CHANGE_POLICY.budgetMs);
    // Tens of seconds of retries, not the SDK's 3 attempts.
    expect(calls.attempts).toBeGreaterThanOrEqual(10);
  });

  it("throws a refusal at once: trying again would not help", async () => {
    const deps = fakeDeps();
    const { spec, calls } = scripted([refused]);
    await expect(change(spec, { deps })).rejects.toThrow("Too many containers.");
    expect(calls.attempts).toBe(1);
    expect(deps.sleeps).toEqual([]);
  });

  it("tries an idempotent change again after a 5xx, without a check", async () => {
    const deps = fakeDeps();
    const notes: string[] = [];
    const { spec, calls } = scripted([serverError]);
    await expect(change(spec, { deps, note: (line) => notes.push(line) })).resolves.toBe("done");
    expect(calls.attempts).toBe(2);
    expect(notes).toEqual([
      "ECS gave no answer to UpdateService (500 ServerException: We encountered an internal error): retrying",
    ]);
  });
});

describe("change: a lost answer is checked before it is tried again", () => {
  it("goes on with the change AWS made, without a second attempt", async () => {
    const deps = fakeDeps();
    const notes: string[] = [];
    const { spec, calls } = scripted([lost], ["found"]);
    await expect(change(spec, { deps, note: (line) => notes.push(line) })).resolves.toBe("found");
    expect(calls).toEqual({ attempts: 1, checks: 1 });
    expect(notes).toEqual([
      "ECS gave no answer to UpdateService (ECONNRESET: socket hang up): checking whether it took effect before retrying",
      "the UpdateService whose answer was lost had taken effect: going on with it",
    ]);
  });

  it("tries again only when two checks, a settle apart, find nothing (ECS's reads lag its writes)", async () => {
    const deps = fakeDeps();
    const { spec, calls } = scripted([lost], [undefined, undefined]);
    await expect(change(spec, { deps })).resolves.toBe("done");
    expect(calls).toEqual({ attempts: 2, checks: 2 });
    expect(deps.sleeps).toContain(CHANGE_POLICY.settleMs);
  });

  it("believes a second check that finds the change after a first that did not", async () => {
    const { spec, calls } = scripted([lost], [undefined, "found"]);
    await expect(change(spec, { deps: fakeDeps() })).resolves.toBe("found");
    expect(calls).toEqual({ attempts: 1, checks: 2 });
  });

  it("a 5xx is an answer that may or may not have been acted on: checked too", async () => {
    const { spec, calls } = scripted([serverError], ["found"]);
    await expect(change(spec, { deps: fakeDeps() })).resolves.toBe("found");
    expect(calls).toEqual({ attempts: 1, checks: 1 });
  });

  it("a check refused by AWS ends the change with what to look at", async () => {
    const spec: Change<string> = {
      ...scripted([lost]).spec,
      check: async () => {
        throw Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
      },
    };
    await expect(change(spec, { deps: fakeDeps() })).rejects.toThrow(
      /^the answer to UpdateService was lost, and checking whether it took effect failed \(AccessDeniedException: not authorized\): look at the service/,
    );
  });

  it("out of budget while unsure, says that whether it took effect is unknown", async () => {
    const { spec } = scripted(Array(100).fill(lost), Array(200).fill(undefined));
    await expect(change(spec, { deps: fakeDeps() })).rejects.toThrow(/whether the last one took effect is unknown/);
  });
});

describe("change: cancel", () => {
  it("ends a wait at once and says whether the change may have reached AWS", async () => {
    const controller = new AbortController();
    const deps = fakeDeps();
    deps.sleep = async () => controller.abort();
    const throttledSpec = scripted([throttled]).spec;
    const before = await change(throttledSpec, { deps, signal: controller.signal }).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(ChangeCancelled);
    expect((before as ChangeCancelled).mayHaveReached).toBe(false);

    const again = new AbortController();
    const lostDeps = fakeDeps();
    lostDeps.sleep = async () => again.abort();
    const lostSpec = scripted([lost], [undefined]).spec;
    const after = await change(lostSpec, { deps: lostDeps, signal: again.signal }).catch((e: unknown) => e);
    expect((after as ChangeCancelled).mayHaveReached).toBe(true);
  });

  it("aborts the attempt in flight through its signal", async () => {
    const controller = new AbortController();
    const spec: Change<string> = {
      service: "ECS",
      operation: "RegisterTaskDefinition",
      attempt: (signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" })));
          setTimeout(() => controller.abort(), 5);
        }),
    };
    const error = await change(spec, { deps: fakeDeps(), signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChangeCancelled);
    expect((error as Error).message).toBe(
      "cancelled while RegisterTaskDefinition was in flight: it may have reached AWS",
    );
  });
});

it("a call aborted by the run's cancel through another path (the clients) is a cancel, not a lost answer", async () => {
  const { spec, calls } = scripted(Array(100).fill(() => Object.assign(new Error("aborted"), { name: "AbortError" })));
  const deps = fakeDeps();
  const error = await change(spec, { deps }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ChangeCancelled);
  expect(calls.attempts).toBe(1);
  expect(deps.sleeps).toEqual([]);
});

describe("faults and policies", () => {
  it("sorts throttling, 5xx and lost answers from refusals", () => {
    expect(faultOf(throttled())).toBe("throttled");
    expect(faultOf(Object.assign(new Error("x"), { $metadata: { httpStatusCode: 429 } }))).toBe("throttled");
    expect(faultOf(serverError())).toBe("unknown");
    expect(faultOf(lost())).toBe("unknown");
    expect(faultOf(Object.assign(new Error("t"), { name: "TimeoutError" }))).toBe("unknown");
    expect(faultOf(refused())).toBe("fatal");
    expect(faultOf("weird")).toBe("fatal");
  });

  it("a scaled policy only shortens the waits, never the time an attempt is given", () => {
    const fast = scaledPolicy(0.05);
    expect(fast.budgetMs).toBe(3000);
    expect(fast.firstDelayMs).toBe(25);
    expect(fast.attemptTimeoutMs).toBe(CHANGE_POLICY.attemptTimeoutMs);
    expect(scaledPolicy(5)).toBe(CHANGE_POLICY);
    expect(scaledPolicy(undefined)).toBe(CHANGE_POLICY);
  });
});

describe("once: the SDK's own retries are off for a change", () => {
  /** An ECS client whose every request gets a 500 (the SDK would retry it 3 times by default). */
  function failingEcs() {
    const sent = { count: 0 };
    const requestHandler = {
      handle: async () => {
        sent.count += 1;
        return {
          response: {
            statusCode: 500,
            headers: { "content-type": "application/x-amz-json-1.1" },
            body: Readable.from([Buffer.from('{"__type":"ServerException","message":"boom"}')]),
          },
        };
      },
    };
    const ecs = new ECSClient({
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      requestHandler,
      maxAttempts: 3,
    });
    return { ecs, sent };
  }

  it("sends a once command one time, and hands back the error AWS gave", async () => {
    const { ecs, sent } = failingEcs();
    const error = await ecs.send(once(new DescribeServicesCommand({ services: ["s"] }))).catch((e: unknown) => e);
    expect(sent.count).toBe(1);
    expect((underneath(error) as Error).name).toBe("ServerException");
    expect(faultOf(underneath(error))).toBe("unknown");
  });

  it("leaves other commands to the SDK's retries", async () => {
    const { ecs, sent } = failingEcs();
    await ecs.send(new DescribeServicesCommand({ services: ["s"] })).catch(() => undefined);
    expect(sent.count).toBe(3);
  });
});
