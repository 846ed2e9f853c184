// The two GitHub REST calls the record of what shipped needs, through @actions/github's Octokit (github/octokit.ts,
// a chunk loaded on the first call). Each call is bounded in time and size and ends on the run's cancel; dispose()
// ends those still in flight, so none keeps the process alive after the deploy.
import type { Bounds, Get } from "./octokit.js";

export class GitHubApiError extends Error {
  override name = "GitHubApiError";
}

export interface GitHubApi {
  /** GET /repos/{repository}/compare/{base}...{head}: the commits in head that base lacks, oldest first. */
  compare(repository: string, base: string, head: string): Promise<unknown>;
  /** GET /repos/{repository}/commits/{sha}/pulls: the pull requests that brought a commit in. */
  pullsOf(repository: string, sha: string): Promise<unknown>;
  dispose(): void;
}

/** One call's time limit: GitHub answers a compare of hundreds of commits within a few seconds. */
export const CALL_MS = 8000;
/** An answer's size limit: a compare lists at most 250 commits and 300 files, far below this. */
export const MAX_BYTES = 8 * 1024 * 1024;

export interface ApiOptions {
  apiUrl: string;
  token: string;
  callMs?: number;
  maxBytes?: number;
  /** The run's cancel. */
  signal?: AbortSignal;
}

export function githubApi(options: ApiOptions): GitHubApi {
  const { apiUrl, token, callMs = CALL_MS, maxBytes = MAX_BYTES } = options;
  const ended = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, ended.signal]) : ended.signal;
  const bounds: Bounds = { callMs, maxBytes, signal };
  let client: Promise<Get> | undefined;
  /** `what` names the request in errors: the path would repeat two commit ids the summary shows already. */
  const get = async (route: string, params: Record<string, string | number>, what: string): Promise<unknown> => {
    client ??= import("./octokit.js").then((chunk) => chunk.octokitGet(apiUrl, token, bounds));
    let data: unknown;
    try {
      data = await (await client)(route, params);
    } catch (error) {
      throw new GitHubApiError(failure(error, what));
    }
    if (typeof data !== "object" || data === null) throw new GitHubApiError(`GitHub API answered no JSON for ${what}`);
    return data;
  };
  const repo = (repository: string) => {
    const [owner = "", name = ""] = repository.split("/");
    return { owner, repo: name };
  };
  return {
    compare: (repository, base, head) =>
      get(
        "GET /repos/{owner}/{repo}/compare/{basehead}",
        { ...repo(repository), basehead: `${base}...${head}` },
        `the comparison ${short(base)}...${short(head)}`,
      ),
    pullsOf: (repository, sha) =>
      get(
        "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
        { ...repo(repository), commit_sha: sha, per_page: 100 },
        `the pull requests of ${short(sha)}`,
      ),
    dispose: () => ended.abort(new Error("the lookup ended")),
  };
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { data?: unknown };
}

/** An answer with a status says it and GitHub's own message (`Not Found`); no answer says why. */
function failure(error: unknown, what: string): string {
  const e = error as RequestErrorLike;
  if (e?.response && typeof e.status === "number")
    return `GitHub API answered ${e.status}${reason(e.response.data)} for ${what}`;
  const cause = (error as { cause?: { message?: string } })?.cause?.message;
  return `GitHub API unreachable for ${what}: ${cause ?? e?.message ?? String(error)}`;
}

function reason(data: unknown): string {
  const message = (data as { message?: unknown } | undefined)?.message;
  return typeof message === "string" && message ? ` (${message})` : "";
}
