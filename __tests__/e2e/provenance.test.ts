// A record of what shipped, through the bundled action as the runner runs it: the run's context in GITHUB_*
// variables, the commit as tags on what moto registers, and the commits and pull requests since the previous
// revision's commit from a scripted GitHub API on loopback.
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAction, ecsClient, guideWorkspace, image, seed, settled, type World } from "../support/e2e.js";
import { type FakeGitHub, linearHistory, startFakeGitHub } from "../support/github.js";

const TOKEN = "ghs_scripted";
const history = linearHistory(8);
const sha = (i: number) => history[i]?.sha ?? "";
let github: FakeGitHub;

beforeAll(async () => {
  github = await startFakeGitHub({ repository: "octo/app", history, token: TOKEN });
});
afterAll(() => github.stop());

/** The variables the runner sets for a run of commit `i`. */
function runOf(i: number, runId: string, token = TOKEN): Record<string, string> {
  return {
    GITHUB_SHA: sha(i),
    GITHUB_REPOSITORY: "octo/app",
    GITHUB_ACTOR: "alice",
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_API_URL: github.url,
    GITHUB_WORKFLOW: "Deploy",
    GITHUB_REF_NAME: "main",
    "INPUT_GITHUB-TOKEN": token,
  };
}

async function tagsOf(world: World, arn: string | undefined) {
  const ecs = ecsClient(world);
  try {
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }));
    return Object.fromEntries((described.tags ?? []).map((t) => [t.key, t.value]));
  } finally {
    ecs.destroy();
  }
}

describe("what shipped", () => {
  it("tags the revision with the commit, reuses it on a re-run, and lists what the next commit ships", async () => {
    const world = await seed("shipped");
    const workspace = guideWorkspace(world);
    const inputs = { images: image(world), wait: "false" };

    const first = await deployAction(workspace, inputs, undefined, runOf(2, "100"));
    expect(first.code).toBe(0);
    expect(await tagsOf(world, first.outputs["task-definition-arn"])).toEqual({
      "deploy-action:commit": sha(2),
      "deploy-action:repository": "octo/app",
      // The run's page: a record for `deploy-action history`, left out when revisions are compared.
      "deploy-action:run": "https://github.example/octo/app/actions/runs/100",
    });
    expect(first.summary).toContain("### What shipped");
    expect(first.summary).toContain(
      `| Commit | [\`${sha(2).slice(0, 7)}\`](https://github.example/octo/app/commit/${sha(2)})`,
    );
    expect(first.summary).toContain("[`Deploy` run 100](https://github.example/octo/app/actions/runs/100/attempts/1)");
    expect(first.summary).toMatch(/`\S+:1`, the revision the service ran before, names no commit/);
    expect(github.requests).toEqual([]);

    // Another run of the same commit: the same tags, so the revision is unchanged and reused.
    const rerun = await deployAction(workspace, inputs, settled, runOf(2, "101"));
    expect(rerun.outputs.result).toBe("unchanged");
    expect(rerun.outputs["task-definition-arn"]).toBe(first.outputs["task-definition-arn"]);
    expect(rerun.summary).toContain("` came from this same commit: no new commits ship.");

    // Commit 5: three commits ship since commit 2, each with its pull request.
    const next = await deployAction(workspace, inputs, undefined, runOf(5, "102"));
    expect(next.code).toBe(0);
    expect(next.outputs["task-definition-arn"]).not.toBe(first.outputs["task-definition-arn"]);
    expect((await tagsOf(world, next.outputs["task-definition-arn"]))["deploy-action:commit"]).toBe(sha(5));
    expect(github.requests.map((r) => r.path)).toEqual([
      `/repos/octo/app/compare/${sha(2)}...${sha(5)}`,
      ...[5, 4, 3].map((i) => `/repos/octo/app/commits/${sha(i)}/pulls?per_page=100`),
    ]);
    expect(github.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(next.summary).toContain(": 3 commits ship (3 pull requests).");
    expect(next.summary).toContain("[#105](https://github.example/octo/app/pull/105)");
    expect(next.summary).toContain(`${sha(3).slice(0, 7)} title 3 (Dev 3) — #103 pull 3`);
    expect(next.stdout).toContain(`since ${sha(2).slice(0, 7)} (`);
    expect(next.stdout).toMatch(/~ tag deploy-action:commit: /);
    expect(next.stdout).not.toMatch(/tag deploy-action:run/);
  });

  it("without a token, or when GitHub fails, says so in one line and deploys all the same", async () => {
    const world = await seed("shipped-no-token");
    const workspace = guideWorkspace(world);
    const inputs = { images: image(world), wait: "false" };
    await deployAction(workspace, inputs, undefined, runOf(1, "200"));
    github.requests.length = 0;

    // The runner fills in the default `${{ github.token }}`; off the runner it stays unevaluated: no token.
    const noToken = await deployAction(workspace, inputs, undefined, { ...runOf(4, "201"), "INPUT_GITHUB-TOKEN": "" });
    expect(noToken.code).toBe(0);
    expect(noToken.outputs.result).toBe("started");
    expect(noToken.summary).toContain("the commits are not listed: no GitHub token (input `github-token`)");
    expect(github.requests).toEqual([]);

    const rejected = await deployAction(workspace, inputs, undefined, runOf(6, "202", "revoked"));
    expect(rejected.code).toBe(0);
    expect(rejected.outputs.result).toBe("started");
    expect(rejected.summary).toContain("the commits could not be listed: GitHub API answered 401 (Bad credentials)");
  });
});
