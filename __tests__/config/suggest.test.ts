import { describe, expect, test } from "vitest";
import { editDistance, suggestKey } from "../../src/config/suggest.js";

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["", "abc", 3],
    ["port", "port", 0],
    ["kitten", "sitting", 3],
    ["prot", "port", 1],
    ["memroy", "memory", 1],
    ["ab", "ba", 1],
  ])("%j → %j is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe("suggestKey", () => {
  const topLevel = ["account", "region", "port", "cpu", "memory", "tags", "container_name", "task_role_arn"];

  test.each([
    ["prot", "port"],
    ["memroy", "memory"],
    ["regoin", "region"],
    ["containerName", "container_name"],
    ["Container-Name", "container_name"],
    ["acount", "account"],
    ["task_role_ar", "task_role_arn"],
  ])("%j suggests %j", (key, suggestion) => {
    expect(suggestKey(key, topLevel)).toBe(suggestion);
  });

  test.each(["banana", "cpux2", "x", "tag_list"])("suggests nothing for %j", (key) => {
    expect(suggestKey(key, topLevel)).toBeUndefined();
  });

  test("suggests nothing when nothing is known", () => {
    expect(suggestKey("port", [])).toBeUndefined();
  });
});
