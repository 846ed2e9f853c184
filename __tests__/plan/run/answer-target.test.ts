// The `continue` input answers only a pause of the config's own service: another account, region, cluster or
// service is refused before any AWS call, with what differs.
import { describe, expect, it } from "vitest";
import { notTheConfigs } from "../../../src/plan/run/answer-target.js";

const config = { account: "123456789012", region: "us-east-1", cluster: "guide", service: "web" };
const arn = (account: string, region: string, cluster = "guide", service = "web") =>
  `arn:aws:ecs:${region}:${account}:service-deployment/${cluster}/${service}/Xk7rT2mPq9wLs3vB`;

describe("notTheConfigs", () => {
  it("accepts a service deployment of the config's service, cluster given by name or ARN", () => {
    expect(notTheConfigs(arn("123456789012", "us-east-1"), config)).toBeUndefined();
    const clusterArn = "arn:aws:ecs:us-east-1:123456789012:cluster/guide";
    expect(notTheConfigs(arn("123456789012", "us-east-1"), { ...config, cluster: clusterArn })).toBeUndefined();
  });

  it.each([
    ["another account", arn("999999999999", "us-east-1"), "account 999999999999, not 123456789012"],
    ["another region", arn("123456789012", "eu-west-1"), "region eu-west-1, not us-east-1"],
    [
      "both",
      arn("999999999999", "eu-west-1"),
      "account 999999999999, not 123456789012, region eu-west-1, not us-east-1",
    ],
    ["another cluster", arn("123456789012", "us-east-1", "prod"), "cluster prod, not guide"],
    ["another service", arn("123456789012", "us-east-1", "guide", "cms"), "service cms, not web"],
  ])("refuses %s, saying what differs", (_name, given, differs) => {
    expect(notTheConfigs(given, config)).toBe(
      `service deployment ${given} (input \`continue\`) is not one of this config's service: it is in ${differs}. ` +
        "Answer it from a run with the config of that service; nothing was answered",
    );
  });

  it("refuses what is no service deployment ARN", () => {
    expect(notTheConfigs("arn:aws:ecs:us-east-1:123456789012:service/guide/web", config)).toMatch(
      /is not a service deployment ARN$/,
    );
  });
});
