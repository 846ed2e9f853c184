// Pure: where a deploy comes from (the commit, who started it, which run) and what it ships since the revision the
// service ran before. The task definition carries the commit as tags; the previous revision's tags say which commit
// it came from; GitHub's answers (src/github/) say which commits and pull requests lie between the two.
import { z } from "zod";
import { ACTION_TAG_PREFIX } from "../../config/index.js";
import { shortTaskDefinition } from "../../text/names.js";
import { type DescribedTaskDefinition, RUN_TAG } from "../task-definition/normalize.js";

/** The GitHub Actions run, as the runner describes it to every step (src/github/context.ts reads it). */
export interface RunContext {
  /** The commit the workflow ran on: 40 lower-case hex digits. */
  sha: string;
  /** owner/name */
  repository: string;
  actor: string;
  runId: string;
  runAttempt: string;
  serverUrl: string;
  apiUrl: string;
  workflow: string;
  refName: string;
}

export const COMMIT_TAG = `${ACTION_TAG_PREFIX}commit`;
export const REPOSITORY_TAG = `${ACTION_TAG_PREFIX}repository`;

/**
 * The tags that name the commit on the task definition: the same for every run of one commit (never the run id or
 * the actor), so that re-running a deploy of one commit still finds the revision unchanged and reuses it.
 */
export function commitTags(run: RunContext | undefined): Record<string, string> {
  return run ? { [COMMIT_TAG]: run.sha, [REPOSITORY_TAG]: run.repository } : {};
}

/**
 * The run's page, the record of which run registered a revision (`deploy-action history` shows it). It differs on
 * every run, so it is left out when revisions are compared (plan/task-definition/normalize.ts); kept only when it is
 * a tag value ECS takes (at most 256 letters, digits, spaces and `+ - = . _ : / @`).
 */
export function runTags(run: RunContext | undefined): Record<string, string> {
  if (!run || !/^\d+$/.test(run.runId)) return {};
  const page = runPage(run);
  return /^[\w .:/=+@-]{1,256}$/.test(page) ? { [RUN_TAG]: page } : {};
}

/** The run's page on GitHub: the job summary links an attempt of it, the run tag records it. */
export function runPage(run: Pick<RunContext, "serverUrl" | "repository" | "runId">): string {
  return `${run.serverUrl}/${run.repository}/actions/runs/${encodeURIComponent(run.runId)}`;
}

/** A run page as the tag holds it, or nothing: the value is text anyone who can tag the revision wrote. */
export function runOf(tagValue: string | undefined): string | undefined {
  return tagValue && /^https?:\/\/[\w.:-]+\/[\w.-]+\/[\w.-]+\/actions\/runs\/\d+$/.test(tagValue)
    ? tagValue
    : undefined;
}

export function isCommitSha(text: string): boolean {
  return /^[0-9a-f]{40}$/.test(text);
}

/** What the revision the service ran before says about its commit, measured against this run. */
export type Since =
  | { kind: "first" }
  | { kind: "untagged"; revision: string }
  | { kind: "same"; revision: string }
  | { kind: "other-repository"; revision: string; repository: string }
  | { kind: "compare"; revision: string; base: string };

export function sinceWhat(previous: DescribedTaskDefinition | undefined, run: RunContext): Since {
  if (!previous?.taskDefinitionArn) return { kind: "first" };
  const revision = shortTaskDefinition(previous.taskDefinitionArn);
  const tags = new Map((previous.tags ?? []).map((t) => [t.key, t.value ?? ""]));
  const base = tags.get(COMMIT_TAG) ?? "";
  // The tag's value goes into an API path: anything but a commit id counts as no commit.
  if (!isCommitSha(base)) return { kind: "untagged", revision };
  const repository = tags.get(REPOSITORY_TAG) ?? "";
  if (repository !== run.repository) return { kind: "other-repository", revision, repository };
  if (base === run.sha) return { kind: "same", revision };
  return { kind: "compare", revision, base };
}

export interface ShippedCommit {
  sha: string;
  /** The first line of the commit message: text the action did not write. */
  title: string;
  author: string;
  /** Numbers of the pull requests that brought the commit in. */
  pulls: number[];
}

export interface PullRequest {
  number: number;
  title: string;
  author: string;
}

export type Shipped =
  | {
      kind: "listed";
      /** ahead (commits ship), behind (this deploy goes back), diverged or identical. */
      status: string;
      aheadBy: number;
      behindBy: number;
      /** Newest first, at most MAX_LISTED. */
      commits: ShippedCommit[];
      /** Commits that ship but are not listed. */
      unlisted: number;
      pulls: PullRequest[];
      /** Why the pull requests are missing or incomplete, when a lookup failed. */
      pullsError?: string;
    }
  | { kind: "no-token" }
  | { kind: "failed"; reason: string };

export interface Provenance {
  run: RunContext;
  since?: Since;
  shipped?: Shipped;
}

/** Commits listed in the summary; their pull requests are looked up one call each. */
export const MAX_LISTED = 25;

const compareSchema = z.object({
  status: z.string(),
  ahead_by: z.number(),
  behind_by: z.number(),
  total_commits: z.number(),
  commits: z.array(
    z.object({
      sha: z.string().regex(/^[0-9a-f]{40}$/),
      commit: z.object({ message: z.string(), author: z.object({ name: z.string() }).nullish() }),
      author: z.object({ login: z.string() }).nullish(),
    }),
  ),
});

export interface Comparison {
  status: string;
  aheadBy: number;
  behindBy: number;
  /** Newest first, at most MAX_LISTED, without their pull requests yet. */
  commits: ShippedCommit[];
  unlisted: number;
}

/**
 * GitHub's compare answer → the commits this deploy ships. GitHub lists commits oldest first and at most 250 of them
 * (the newest last): the newest are listed, the rest counted.
 */
export function fromComparison(answer: unknown): Comparison {
  const parsed = compareSchema.safeParse(answer);
  if (!parsed.success) throw new Error("GitHub's compare answer has an unexpected shape");
  const { status, ahead_by, behind_by, total_commits, commits } = parsed.data;
  const newest = commits.slice(-MAX_LISTED).reverse();
  return {
    status,
    aheadBy: ahead_by,
    behindBy: behind_by,
    commits: newest.map((c) => ({
      sha: c.sha,
      title: c.commit.message.split("\n")[0] ?? "",
      author: c.author?.login ?? c.commit.author?.name ?? "",
      pulls: [],
    })),
    unlisted: Math.max(0, total_commits - newest.length),
  };
}

const pullsSchema = z.array(
  z.object({ number: z.number().int().positive(), title: z.string(), user: z.object({ login: z.string() }).nullish() }),
);

/** GitHub's answer for one commit's pull requests. */
export function fromPulls(answer: unknown): PullRequest[] {
  const parsed = pullsSchema.safeParse(answer);
  if (!parsed.success) throw new Error("GitHub's pull request answer has an unexpected shape");
  return parsed.data.map((p) => ({ number: p.number, title: p.title, author: p.user?.login ?? "" }));
}

/** Each commit with its pull requests, and the pull requests once each, newest commit's first. */
export function withPulls(
  comparison: Comparison,
  pullsByCommit: ReadonlyMap<string, readonly PullRequest[]>,
): Pick<Extract<Shipped, { kind: "listed" }>, "commits" | "pulls"> {
  const pulls = new Map<number, PullRequest>();
  const commits = comparison.commits.map((commit) => {
    const found = pullsByCommit.get(commit.sha) ?? [];
    for (const pull of found) if (!pulls.has(pull.number)) pulls.set(pull.number, pull);
    return { ...commit, pulls: found.map((p) => p.number) };
  });
  return { commits, pulls: [...pulls.values()] };
}
