import { describe, expect, it } from "vitest";
import { parameterArn, secretCollisions, secretsFromParameters } from "../../../src/plan/task-definition/secrets.js";

const scope = { path: "/app", region: "us-east-1", account: "879613780019" };

describe("secretsFromParameters", () => {
  it("names each secret after the last path segment and builds missing ARNs", () => {
    const { secrets, problems } = secretsFromParameters(
      [
        { Name: "/app/db/PASSWORD", Type: "SecureString" },
        { Name: "/app/API_KEY", ARN: "arn:aws:ssm:us-east-1:879613780019:parameter/app/API_KEY" },
      ],
      scope,
    );
    expect(problems).toEqual([]);
    expect(secrets).toEqual([
      { name: "API_KEY", valueFrom: "arn:aws:ssm:us-east-1:879613780019:parameter/app/API_KEY" },
      { name: "PASSWORD", valueFrom: "arn:aws:ssm:us-east-1:879613780019:parameter/app/db/PASSWORD" },
    ]);
  });

  it("reports every invalid name and every collision at once", () => {
    const { secrets, problems } = secretsFromParameters(
      [{ Name: "/app/bad-name" }, { Name: "/app/1ST" }, { Name: "/app/a/TOKEN" }, { Name: "/app/b/TOKEN" }],
      scope,
    );
    expect(secrets.map((s) => s.name)).toEqual(["TOKEN"]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining("`1ST` is not a valid environment variable name"),
      "SSM parameters /app/a/TOKEN and /app/b/TOKEN both give the secret `TOKEN`: rename or move one of them",
      expect.stringContaining("`bad-name` is not a valid environment variable name"),
    ]);
  });
});

describe("parameterArn", () => {
  it("uses the partition of the region", () => {
    expect(parameterArn("/app/X", { region: "us-gov-west-1", account: "1" })).toBe(
      "arn:aws-us-gov:ssm:us-gov-west-1:1:parameter/app/X",
    );
    expect(parameterArn("X", { region: "cn-north-1", account: "1" })).toBe("arn:aws-cn:ssm:cn-north-1:1:parameter/X");
  });
});

describe("secretCollisions", () => {
  it("flags a secret that an [environment] entry would shadow", () => {
    const problems = secretCollisions([{ name: "API_KEY", valueFrom: "arn" }], { API_KEY: "x", OTHER: "y" });
    expect(problems).toEqual([
      {
        key: "environment.API_KEY",
        message: "`API_KEY` is both in [environment] and an SSM secret: remove one of them",
      },
    ]);
  });
});
