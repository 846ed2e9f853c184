// What ships, looked up through the real HTTP client against a scripted GitHub API on loopback: the requests it
// makes, and the summary section and log line rendered from the answers.
import { afterEach, describe, expect, it, vi } from "vitest";
import { githubApi } from "../../src/github/api.js";
import { lookUpShipped } from "../../src/github/shipped.js";
import {
  COMMIT_TAG,
  MAX_LISTED,
  type Provenance,
  REPOSITORY_TAG,
  type RunContext,
} from "../../src/plan/run/provenance.js";
import type { DescribedTaskDefinition } from "../../src/plan/task-definition/normalize.js";
import { renderProvenance, shippedLine } from "../../src/report/provenance.js";
import { type FakeGitHub, linearHistory, sha, startFakeGitHub } from "../support/github.js";

const TOKEN = "ghs_t0ken";
const history = linearHistory(40);
const at = (i: number) => history[i]?.sha ?? "";

let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.stop();
  github = undefined;
});

function runAt(i: number, apiUrl: string): RunContext {
  return {
    sha: at(i),
    repository: "octo/app",
    actor: "alice",
    runId: "777",
    runAttempt: "2",
    serverUrl: "https://github.com",
    apiUrl,
    workflow: "Deploy",
    refName: "main",
  };
}

function revisionFrom(commit: string, repository = "octo/app"): DescribedTaskDefinition {
  return {
    taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:41",
    tags: [
      { key: COMMIT_TAG, value: commit },
      { key: REPOSITORY_TAG, value: repository },
    ],
  };
}

async function ship(
  head: number,
  previous: DescribedTaskDefinition | undefined,
  options: { token?: string | undefined; failures?: { prefix: string; status: number; message: string }[] } = {},
) {
  github = await startFakeGitHub({ repository: "octo/app", history, token: TOKEN, failures: options.failures ?? [] });
  const provenance: Provenance = { run: runAt(head, github.url) };
  await lookUpShipped(provenance, previous, { token: "token" in options ? options.token : TOKEN });
  const paths = github.requests.map((r) => r.path);
  return { provenance, paths, markdown: renderProvenance(provenance), line: shippedLine(provenance) };
}

describe("what ships since the previous revision's commit", () => {
  it("lists the commits between the two SHAs, newest first, with their pull requests", async () => {
    const { provenance, paths, markdown, line } = await ship(4, revisionFrom(at(1)));
    expect(paths).toEqual([
      `/repos/octo/app/compare/${at(1)}...${at(4)}`,
      ...[4, 3, 2].map((i) => `/repos/octo/app/commits/${at(i)}/pulls?per_page=100`),
    ]);
    const request = github?.requests[0];
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers.accept).toBe("application/vnd.github+json");
    expect(request?.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(provenance.shipped).toMatchObject({ kind: "listed", status: "ahead", aheadBy: 3, unlisted: 0 });

    expect(markdown).toContain(`| Commit | [\`${at(4).slice(0, 7)}\`](https://github.com/octo/app/commit/${at(4)})`);
    expect(markdown).toContain("| Started by | `alice` |");
    expect(markdown).toContain(
      "[`Deploy` run 777, attempt 2](https://github.com/octo/app/actions/runs/777/attempts/2)",
    );
    expect(markdown).toContain(
      `**Since \`app:41\` (commit [\`${at(1).slice(0, 7)}\`](https://github.com/octo/app/commit/${at(1)}))**: 3 commits ship (3 pull requests).`,
    );
    expect(markdown).toContain(`[compare](https://github.com/octo/app/compare/${at(1)}...${at(4)})`);
    expect(markdown).toContain(
      "Pull requests: [#104](https://github.com/octo/app/pull/104), [#103](https://github.com/octo/app/pull/103), [#102](https://github.com/octo/app/pull/102)",
    );
    expect(markdown).toContain(
      [
        "```text",
        `${at(4).slice(0, 7)} title 4 (dev4) — #104 pull 4`,
        `${at(3).slice(0, 7)} title 3 (Dev 3) — #103 pull 3`,
        `${at(2).slice(0, 7)} title 2 (dev2) — #102 pull 2`,
        "```",
      ].join("\n"),
    );
    expect(markdown).not.toContain("body of");
    expect(line).toBe(
      `Commit ${at(4).slice(0, 7)} of octo/app, run 777 by alice; since ${at(1).slice(0, 7)} (app:41): 3 commits ship (3 pull requests); https://github.com/octo/app/compare/${at(1)}...${at(4)}`,
    );
  });

  it("lists the newest commits when more ship than the summary shows, and counts the rest", async () => {
    const { provenance, paths, markdown } = await ship(35, revisionFrom(at(5)));
    expect(provenance.shipped).toMatchObject({ kind: "listed", aheadBy: 30, unlisted: 30 - MAX_LISTED });
    expect(paths).toHaveLength(1 + MAX_LISTED);
    expect(markdown).toContain(`${at(35).slice(0, 7)} title 35`);
    expect(markdown).not.toContain(`title 10 `);
    expect(markdown).toContain("… and 5 older commits\n```");
  });

  it("says in one line that an API error kept the commits from being listed, and makes no other call", async () => {
    const failures = [{ prefix: "/repos/octo/app/compare/", status: 404, message: "Not Found" }];
    const { provenance, paths, markdown, line } = await ship(4, revisionFrom(at(1)), { failures });
    expect(paths).toEqual([`/repos/octo/app/compare/${at(1)}...${at(4)}`]);
    const reason = `GitHub API answered 404 (Not Found) for the comparison ${at(1).slice(0, 7)}...${at(4).slice(0, 7)}`;
    expect(provenance.shipped).toEqual({ kind: "failed", reason });
    expect(markdown).toContain(`: the commits could not be listed: ${reason}. [compare](`);
    expect(markdown).not.toContain("```text");
    expect(line).toContain(`: the commits could not be listed: ${reason};`);
  });

  it("without a token, says so in one line and calls nothing", async () => {
    const { provenance, paths, markdown } = await ship(4, revisionFrom(at(1)), { token: undefined });
    expect(paths).toEqual([]);
    expect(provenance.shipped).toEqual({ kind: "no-token" });
    expect(markdown).toContain("the commits are not listed: no GitHub token (input `github-token`)");
  });

  it("a rejected token is an API error like any other", async () => {
    const { provenance } = await ship(4, revisionFrom(at(1)), { token: "expired" });
    expect(provenance.shipped).toMatchObject({
      kind: "failed",
      reason: expect.stringContaining("401 (Bad credentials)"),
    });
  });

  it("a failed pull request lookup keeps the commits and names the error", async () => {
    const failures = [{ prefix: `/repos/octo/app/commits/${at(3)}/`, status: 500, message: "Server Error" }];
    const { provenance, markdown } = await ship(4, revisionFrom(at(1)), { failures });
    expect(provenance.shipped).toMatchObject({
      kind: "listed",
      aheadBy: 3,
      pullsError: expect.stringContaining("500"),
    });
    expect(markdown).toContain(`${at(3).slice(0, 7)} title 3 (Dev 3)\n`);
    expect(markdown).toContain(
      `Pull requests not all listed: \`GitHub API answered 500 (Server Error) for the pull requests of ${at(3).slice(0, 7)}\``,
    );
  });

  it("an unreachable API is one line too", async () => {
    github = await startFakeGitHub({ repository: "octo/app", history, token: TOKEN });
    const url = github.url;
    await github.stop();
    github = undefined;
    const provenance: Provenance = { run: runAt(4, url) };
    await lookUpShipped(provenance, revisionFrom(at(1)), { token: TOKEN });
    expect(provenance.shipped).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/^GitHub API unreachable/),
    });
  });

  it("a GitHub that does not answer in time is one line too", async () => {
    github = await startFakeGitHub({ repository: "octo/app", history, token: TOKEN, delayMs: 5000 });
    const provenance: Provenance = { run: runAt(4, github.url) };
    await lookUpShipped(provenance, revisionFrom(at(1)), { token: TOKEN, budgetMs: 300 });
    expect(provenance.shipped).toEqual({ kind: "failed", reason: "GitHub API did not answer within 0.3 s" });
  });

  it("a deploy of an older commit goes back, and ships none", async () => {
    const { provenance, markdown } = await ship(2, revisionFrom(at(4)));
    expect(provenance.shipped).toMatchObject({ kind: "listed", status: "behind", behindBy: 2, commits: [] });
    expect(markdown).toContain(": this deploy goes back 2 commits: none ship.");
  });
});

describe("when there is nothing to compare, nothing is called", () => {
  it.each([
    ["the same commit", revisionFrom(at(4)), "`app:41` came from this same commit: no new commits ship."],
    ["no previous revision", undefined, "The service ran no revision before."],
    [
      "another repository",
      revisionFrom(at(1), "octo/other"),
      "`app:41` came from `octo/other`: its commits are not compared.",
    ],
    [
      "a revision without a commit tag",
      { taskDefinitionArn: "arn:aws:ecs:us-east-1:1:task-definition/app:41", tags: [] },
      "`app:41`, the revision the service ran before, names no commit: what ships since is not known.",
    ],
    [
      "a commit tag that is no commit id",
      revisionFrom("../../../orgs/x"),
      "`app:41`, the revision the service ran before, names no commit",
    ],
  ])("%s", async (_name, previous, expected) => {
    const { paths, markdown, line } = await ship(4, previous);
    expect(paths).toEqual([]);
    expect(markdown).toContain(expected);
    expect(line).toContain(expected.replaceAll("`", "").replace(/^The/, "the").replace(/\.$/, ""));
  });
});

describe("text from GitHub stays text", () => {
  it("commit messages, titles and names cannot break out of the code block or the table", async () => {
    const evil = [
      {
        sha: sha("e0"),
        message: "base",
        login: "x",
        name: "x",
        pulls: [],
      },
      {
        sha: sha("e1"),
        message: "```\n<img src=x onerror=alert(1)> [click](https://evil.example) | cell",
        login: "mallory",
        name: "m",
        pulls: [{ number: 9, title: "``` ## heading\r::warning::injected", login: "m" }],
      },
    ];
    github = await startFakeGitHub({ repository: "octo/app", history: evil, token: TOKEN });
    const run = { ...runAt(0, github.url), sha: sha("e1"), actor: "a`b|c", workflow: "x` | y", refName: "r`" };
    const provenance: Provenance = { run };
    await lookUpShipped(provenance, revisionFrom(sha("e0")), { token: TOKEN });
    const markdown = renderProvenance(provenance);
    const block = markdown.slice(markdown.indexOf("```text"));
    expect(block.split("\n").filter((l) => l.includes("```"))).toEqual(["```text", "```"]);
    expect(block).toContain("ʼʼʼ ## heading\\r::warning::injected");
    expect(markdown.slice(0, markdown.indexOf("```text"))).not.toMatch(/img|evil|heading/);
    expect(markdown).toContain("| Started by | `aʼb\\|c` |");
    expect(markdown).toContain("`xʼ \\| y` run 777");
  });
});

describe("githubApi", () => {
  it("asks the run's API URL, so GitHub Enterprise Server works as github.com does", async () => {
    github = await startFakeGitHub({ repository: "octo/app", history, token: TOKEN });
    const api = githubApi({ apiUrl: `${github.url}`, token: TOKEN });
    try {
      await expect(api.pullsOf("octo/app", at(3))).resolves.toEqual([
        { number: 103, title: "pull 3", user: { login: "dev3" } },
      ]);
    } finally {
      api.dispose();
    }
  });
});

// Bounded GitHub (issue 19.2): a stub API on loopback that hangs, answers 200 s late or sends 64 MiB. The limits are
// made small here; what they are in a run (8 s a call, 30 s in all, 8 MiB an answer) and how soon the step ends are
// the bench's. Asserted: the lookup ends with one line saying why, and its request was ended on the wire.
describe("a hostile GitHub API never holds the deploy", () => {
  const bounds = { token: TOKEN, callMs: 300, budgetMs: 2000, maxBytes: 1024 * 1024 };
  const lookUp = async (
    hostile: Parameters<typeof startFakeGitHub>[0]["hostile"],
    delayMs = 0,
    signal?: AbortSignal,
  ) => {
    github = await startFakeGitHub({ repository: "octo/app", history, token: TOKEN, hostile, delayMs });
    const provenance: Provenance = { run: runAt(4, github.url) };
    await lookUpShipped(provenance, revisionFrom(at(1)), { ...bounds, ...(signal ? { signal } : {}) });
    // The abort reaches the stub a moment after the lookup has returned.
    const server = github;
    await vi.waitFor(() => expect(server.aborted()).toBeGreaterThan(0));
    return provenance.shipped;
  };

  it("hangs: the call's time limit ends it", async () => {
    expect(await lookUp("hang")).toEqual({
      kind: "failed",
      reason: `GitHub API unreachable for the comparison ${at(1).slice(0, 7)}...${at(4).slice(0, 7)}: no answer within 0.3 s`,
    });
  });

  it("answers 200 s late: the call's time limit ends it", async () => {
    expect(await lookUp(undefined, 200_000)).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/^GitHub API unreachable for the comparison .*: no answer within 0\.3 s$/),
    });
  });

  it("sends 64 MiB: the answer is cut off at the size limit", async () => {
    expect(await lookUp({ bodyBytes: 64 * 1024 * 1024 })).toMatchObject({
      kind: "failed",
      reason: expect.stringMatching(/^GitHub API unreachable for the comparison .*: answered more than 1 MiB$/),
    });
  });

  it("a cancel while it hangs ends the lookup and its call at once", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const shipped = await lookUp("hang", 0, controller.signal);
    expect(shipped).toEqual({ kind: "failed", reason: "the run was cancelled before GitHub answered" });
  });

  it("the lookup as a whole keeps to its budget, whatever each call does", async () => {
    github = await startFakeGitHub({ repository: "octo/app", history, token: TOKEN, hostile: "hang" });
    const provenance: Provenance = { run: runAt(4, github.url) };
    await lookUpShipped(provenance, revisionFrom(at(1)), { token: TOKEN, callMs: 60_000, budgetMs: 200 });
    expect(provenance.shipped).toEqual({ kind: "failed", reason: "GitHub API did not answer within 0.2 s" });
    const server = github;
    await vi.waitFor(() => expect(server.aborted()).toBe(1));
  });
});
