import { describe, expect, it } from "vitest";
import { awsCall, describeAwsError, isThrottling, missingPermission } from "../../src/aws/errors.js";

const denied = Object.assign(
  new Error(
    "User: arn:aws:sts::879613780019:assumed-role/gha/deploy is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:879613780019:service/c/s because no identity-based policy allows the ecs:UpdateService action",
  ),
  { name: "AccessDeniedException" },
);

describe("describeAwsError", () => {
  it("names the operation, AWS's words and the permission to grant", () => {
    const text = describeAwsError("UpdateService", denied);
    expect(text).toMatch(/^UpdateService failed: AccessDeniedException: User: .* is not authorized/);
    expect(text).toMatch(/— grant ecs:UpdateService to the role this workflow assumes/);
  });

  it("says what to check for expired credentials", () => {
    const expired = Object.assign(new Error("The security token included in the request is expired"), {
      name: "ExpiredTokenException",
    });
    expect(describeAwsError("DescribeServices", expired)).toMatch(/credentials are missing, invalid or expired/);
  });

  it("keeps other errors as AWS wrote them", () => {
    const other = Object.assign(new Error("Service not found."), { name: "ServiceNotFoundException" });
    expect(describeAwsError("UpdateService", other)).toBe(
      "UpdateService failed: ServiceNotFoundException: Service not found.",
    );
  });
});

describe("helpers", () => {
  it("finds the IAM action in an AccessDenied message", () => {
    expect(missingPermission(denied.message)).toBe("ecs:UpdateService");
    expect(missingPermission("Access denied")).toBeUndefined();
  });

  it("recognises throttling", () => {
    expect(isThrottling(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }))).toBe(true);
    expect(isThrottling(new Error("nope"))).toBe(false);
  });

  it("awsCall wraps a failure with the operation's name and keeps the cause", async () => {
    const error = await awsCall("RegisterTaskDefinition", () => Promise.reject(denied)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^RegisterTaskDefinition failed: AccessDeniedException/);
    expect((error as Error).cause).toBe(denied);
  });
});
