import { describe, expect, it } from "vitest";
import { operationOf, sequentialRoundTrips } from "../../scripts/lib/proxy.mjs";
import { actionDefaults, parseOutputs } from "../../scripts/lib/run-action.mjs";

describe("sequentialRoundTrips", () => {
  const call = (operation: string, start: number, end: number) => ({ operation, start, end, scripted: false });

  it("counts the longest chain of calls that wait for each other, before the named call", () => {
    const calls = [
      call("DescribeClusters", 0, 10),
      call("DescribeServices", 1, 12),
      call("DescribeParameters", 1, 9),
      call("DescribeParameters", 9, 15),
      call("RegisterTaskDefinition", 16, 20),
      call("UpdateService", 21, 25),
      call("DescribeServices", 26, 30),
    ];
    expect(sequentialRoundTrips(calls, "UpdateService")).toBe(3);
  });

  it("counts parallel calls as one round trip", () => {
    expect(sequentialRoundTrips([call("A", 0, 5), call("B", 0, 6), call("UpdateService", 7, 8)], "UpdateService")).toBe(
      1,
    );
  });
});

describe("runner emulation", () => {
  it("reads operations from both AWS protocols", () => {
    expect(operationOf({ "x-amz-target": "AmazonEC2ContainerServiceV20141113.UpdateService" }, "")).toBe(
      "UpdateService",
    );
    expect(operationOf({}, "Action=DescribeTargetHealth&Version=2015-12-01")).toBe("DescribeTargetHealth");
  });

  it("parses GITHUB_OUTPUT heredocs and the action.yml defaults", () => {
    expect(parseOutputs("a<<ghadelimiter_1\nx\ny\nghadelimiter_1\nb<<d\n\nd\n")).toEqual({ a: "x\ny", b: "" });
    expect(actionDefaults()).toMatchObject({ wait: "true", "wait-timeout": "30", "on-failure": "rollback" });
  });
});
