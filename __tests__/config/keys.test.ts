import { describe, expect, test } from "vitest";
import { formatKey, valueAt } from "../../src/config/keys.js";

describe("formatKey", () => {
  test.each([
    [[], ""],
    [["port"], "port"],
    [["containers", "nginx", "port"], "containers.nginx.port"],
    [["command", 1], "command[1]"],
    [["containers", "a", "depends_on", 0], "containers.a.depends_on[0]"],
    [["tags", "app.io/name"], 'tags."app.io/name"'],
    [["containers", "my proxy"], 'containers."my proxy"'],
  ])("%j is written %j", (path, written) => {
    expect(formatKey(path)).toBe(written);
  });
});

describe("valueAt", () => {
  const data = { a: { b: [10, 20] }, s: "x" };

  test("follows tables and arrays", () => {
    expect(valueAt(data, ["a", "b", 1])).toBe(20);
    expect(valueAt(data, [])).toBe(data);
  });

  test("is undefined past a missing or scalar step, or on an inherited property", () => {
    expect(valueAt(data, ["a", "c"])).toBeUndefined();
    expect(valueAt(data, ["s", "length"])).toBeUndefined();
    expect(valueAt(data, ["constructor"])).toBeUndefined();
  });
});
