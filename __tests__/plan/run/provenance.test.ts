import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import {
  commitTags,
  fromComparison,
  fromPulls,
  type RunContext,
  runOf,
  runTags,
  sinceWhat,
} from "../../../src/plan/run/provenance.js";
import { buildTaskDefinition } from "../../../src/plan/task-definition/build.js";
import { sameTaskDefinition } from "../../../src/plan/task-definition/normalize.js";
import { guideToml } from "../../support/config.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const run: RunContext = {
  sha: SHA,
  repository: "octo/app",
  actor: "alice",
  runId: "777",
  runAttempt: "3",
  serverUrl: "https://github.com",
  apiUrl: "https://api.github.com",
  workflow: "Deploy",
  refName: "main",
};

describe("the commit on the task definition", () => {
  it("is the commit and the repository: nothing that changes from one run of the commit to the next", () => {
    expect(commitTags(run)).toEqual({ "deploy-action:commit": SHA, "deploy-action:repository": "octo/app" });
    expect(commitTags({ ...run, runId: "778", runAttempt: "1", actor: "bob" })).toEqual(commitTags(run));
    expect(commitTags(undefined)).toEqual({});
  });

  // Issue 19.4 reverses the earlier rule that the config's tags win on a clash: a config that could set
  // deploy-action:repository could make a revision claim another repository's commit, so it is refused at the key.
  it("goes on the task definition beside the config's tags; a config cannot set them", () => {
    const config = parseConfig(`${guideToml}\n[tags]\nteam = "web"\n`, "c.toml");
    const rendered = buildTaskDefinition(config, new Map([[config.container_name, "repo/app:1"]]), [], commitTags(run));
    expect(rendered.tags).toEqual([
      { key: "team", value: "web" },
      { key: "deploy-action:commit", value: SHA },
      { key: "deploy-action:repository", value: run.repository },
    ]);
    expect(() => parseConfig(`${guideToml}\n[tags]\n"deploy-action:repository" = "mine"\n`, "c.toml")).toThrow(
      /is the action's own tag/,
    );
  });

  it("is left out where AWS's limit of 50 tags leaves no room", () => {
    const tags = Array.from({ length: 49 }, (_, i) => `k${i} = "v"`).join("\n");
    const config = parseConfig(`${guideToml}\n[tags]\n${tags}\n`, "c.toml");
    const rendered = buildTaskDefinition(config, new Map([[config.container_name, "repo/app:1"]]), [], commitTags(run));
    expect(rendered.tags).toHaveLength(50);
    expect(rendered.tags?.at(-1)).toEqual({ key: "deploy-action:commit", value: SHA });
  });

  it("the run's page is a tag of its own, left out when revisions are compared: a re-run still reuses the revision", () => {
    expect(runTags(run)).toEqual({ "deploy-action:run": "https://github.com/octo/app/actions/runs/777" });
    expect(runTags(undefined)).toEqual({});
    expect(runTags({ ...run, runId: "777; echo" })).toEqual({});
    expect(runTags({ ...run, serverUrl: `https://${"x".repeat(250)}.example` })).toEqual({});
    const config = parseConfig(guideToml, "c.toml");
    const images = new Map([[config.container_name, "repo/app:1"]]);
    const render = (r: RunContext) => buildTaskDefinition(config, images, [], { ...commitTags(r), ...runTags(r) });
    expect(render(run).tags).toContainEqual({ key: "deploy-action:run", value: runTags(run)["deploy-action:run"] });
    expect(sameTaskDefinition(render(run), render({ ...run, runId: "778" }))).toBe(true);
    expect(sameTaskDefinition(render(run), render({ ...run, sha: "f".repeat(40) }))).toBe(false);
    expect(runOf("https://github.com/octo/app/actions/runs/777")).toBe("https://github.com/octo/app/actions/runs/777");
    expect(runOf("https://github.com/octo/app/actions/runs/777 and more")).toBeUndefined();
  });

  it("changes nothing without a run", () => {
    const config = parseConfig(guideToml, "c.toml");
    const images = new Map([[config.container_name, "repo/app:1"]]);
    expect(buildTaskDefinition(config, images, [], commitTags(undefined))).toEqual(
      buildTaskDefinition(config, images, []),
    );
  });
});

describe("sinceWhat", () => {
  const arn = "arn:aws:ecs:us-east-1:1:task-definition/app:41";
  const tagged = (commit: string, repository = "octo/app") => ({
    taskDefinitionArn: arn,
    tags: [
      { key: "deploy-action:commit", value: commit },
      { key: "deploy-action:repository", value: repository },
    ],
  });
  const other = "fedcba9876543210fedcba9876543210fedcba98";

  it("compares with the previous revision's commit of the same repository", () => {
    expect(sinceWhat(tagged(other), run)).toEqual({ kind: "compare", revision: "app:41", base: other });
    expect(sinceWhat(tagged(SHA), run)).toEqual({ kind: "same", revision: "app:41" });
    expect(sinceWhat(tagged(other, "octo/lib"), run)).toEqual({
      kind: "other-repository",
      revision: "app:41",
      repository: "octo/lib",
    });
    expect(sinceWhat({ taskDefinitionArn: arn }, run)).toEqual({ kind: "untagged", revision: "app:41" });
    expect(sinceWhat(tagged("HEAD~1"), run)).toEqual({ kind: "untagged", revision: "app:41" });
    expect(sinceWhat(undefined, run)).toEqual({ kind: "first" });
  });
});

describe("GitHub's answers", () => {
  const commit = (n: number) => ({
    sha: String(n).padStart(40, "a"),
    commit: { message: `title ${n}\nbody`, author: { name: `Name ${n}` } },
    author: n % 2 ? { login: `login${n}` } : null,
  });

  it("takes the newest commits, newest first, each by its login or else its author's name", () => {
    const compare = { status: "ahead", ahead_by: 30, behind_by: 0, total_commits: 30, commits: [1, 2, 3].map(commit) };
    expect(fromComparison(compare)).toEqual({
      status: "ahead",
      aheadBy: 30,
      behindBy: 0,
      unlisted: 27,
      commits: [
        { sha: commit(3).sha, title: "title 3", author: "login3", pulls: [] },
        { sha: commit(2).sha, title: "title 2", author: "Name 2", pulls: [] },
        { sha: commit(1).sha, title: "title 1", author: "login1", pulls: [] },
      ],
    });
  });

  it("refuses answers of another shape rather than guess", () => {
    expect(() => fromComparison({ message: "Not Found" })).toThrow(/unexpected shape/);
    expect(() =>
      fromComparison({ ...{ status: "ahead", ahead_by: 1, behind_by: 0, total_commits: 1 }, commits: [{ sha: "x" }] }),
    ).toThrow();
    expect(fromPulls([{ number: 7, title: "t", user: null }])).toEqual([{ number: 7, title: "t", author: "" }]);
    expect(() => fromPulls([{ number: "7" }])).toThrow(/unexpected shape/);
  });
});
