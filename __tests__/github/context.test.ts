import { describe, expect, it } from "vitest";
import { runContext } from "../../src/github/context.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("runContext", () => {
  it("reads the run from the variables the runner sets", () => {
    const env = {
      GITHUB_SHA: SHA.toUpperCase(),
      GITHUB_REPOSITORY: "octo/app",
      GITHUB_ACTOR: "alice",
      GITHUB_RUN_ID: "777",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_SERVER_URL: "https://ghe.example.com/",
      GITHUB_API_URL: "https://ghe.example.com/api/v3",
      GITHUB_WORKFLOW: "Deploy",
      GITHUB_REF_NAME: "main",
    };
    expect(runContext(env)).toEqual({
      sha: SHA,
      repository: "octo/app",
      actor: "alice",
      runId: "777",
      runAttempt: "2",
      serverUrl: "https://ghe.example.com",
      apiUrl: "https://ghe.example.com/api/v3",
      workflow: "Deploy",
      refName: "main",
    });
  });

  it("defaults to github.com and the first attempt", () => {
    expect(runContext({ GITHUB_SHA: SHA, GITHUB_REPOSITORY: "octo/app" })).toMatchObject({
      serverUrl: "https://github.com",
      apiUrl: "https://api.github.com",
      runAttempt: "1",
    });
  });

  it("is no context outside GitHub Actions, or when the commit or repository is not what GitHub would set", () => {
    expect(runContext({})).toBeUndefined();
    expect(runContext({ GITHUB_SHA: "main", GITHUB_REPOSITORY: "octo/app" })).toBeUndefined();
    expect(runContext({ GITHUB_SHA: SHA, GITHUB_REPOSITORY: "octo/app/../x" })).toBeUndefined();
  });
});
