import { describe, expect, test } from "vitest";
import { containerNames, containerSizes, readsNothingBroken, taskSize } from "../../src/config/checks.js";
import { knownKeys } from "../../src/config/problems.js";
import { configInputSchema } from "../../src/config/schema.js";

describe("cross-field checks", () => {
  test("taskSize files a bad cpu under cpu and a bad memory under memory", () => {
    expect(taskSize.run({ cpu: 256, memory: 512 })).toEqual([]);
    expect(taskSize.run({ cpu: 300, memory: 512 }).map((issue) => issue.path)).toEqual([["cpu"]]);
    expect(taskSize.run({ cpu: 256, memory: 4096 }).map((issue) => issue.path)).toEqual([["memory"]]);
  });

  test("containerNames uses container_name over the service name", () => {
    const config = {
      service: "web",
      container_name: "app",
      containers: { web: { depends_on: { app: "START" as const } } },
    };
    expect(containerNames.run(config)).toEqual([]);
    expect(containerNames.run({ ...config, container_name: undefined }).map((issue) => issue.path)).toEqual([
      ["containers", "web"],
      ["containers", "web", "depends_on"],
    ]);
  });

  test("containerSizes allows sidecars that exactly fill the task", () => {
    expect(containerSizes.run({ cpu: 256, memory: 512, containers: { a: { cpu: 256, memory: 512 } } })).toEqual([]);
  });

  test("a check is skipped only when a field it reads already has an issue", () => {
    const when = readsNothingBroken(containerNames);
    expect(when({ issues: [{ code: "invalid_type", path: ["port"] }] })).toBe(true);
    expect(when({ issues: [{ code: "unrecognized_keys", path: ["containers", "a"] }] })).toBe(true);
    expect(when({ issues: [{ code: "invalid_type", path: ["containers", "a", "port"] }] })).toBe(true);
    expect(when({ issues: [{ code: "invalid_type", path: ["containers", "a", "depends_on", 0] }] })).toBe(false);
    expect(when({ issues: [{ code: "invalid_type", path: ["containers", "a"] }] })).toBe(false);
    expect(when({ issues: [{ code: "invalid_type", path: ["service"] }] })).toBe(false);
  });
});

describe("knownKeys", () => {
  test("lists the keys of each table, through records and wrappers", () => {
    expect(knownKeys(configInputSchema, [])).toContain("execution_role_arn");
    expect(knownKeys(configInputSchema, ["containers", "any"])).toContain("depends_on");
    expect(knownKeys(configInputSchema, ["health_check"])).toEqual([
      "command",
      "interval",
      "timeout",
      "retries",
      "start_period",
    ]);
    // `port = 80` or `port = { number = 80, … }`: the table form's keys.
    expect(knownKeys(configInputSchema, ["port"])).toEqual(["number", "protocol", "app_protocol", "name"]);
    expect(knownKeys(configInputSchema, ["cpu"])).toEqual([]);
  });
});

describe("configInputSchema", () => {
  test("a value that is not a table is one issue, and the cross-field checks do not run on it", () => {
    const result = configInputSchema.safeParse(5);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(["must be a table, got the number 5"]);
  });
});
