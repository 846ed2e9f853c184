// The two GitHub REST calls the record of what shipped needs, through @actions/http-client: it is in the bundle
// already (for @actions/core) and honours the runner's proxy settings (https_proxy, no_proxy).
import { HttpClient } from "@actions/http-client";

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

export interface ApiOptions {
  apiUrl: string;
  token: string;
  /** A call that hangs must not hold the job: the record of what shipped is never worth a stuck deploy. */
  timeoutMs?: number;
}

export function githubApi({ apiUrl, token, timeoutMs = 10_000 }: ApiOptions): GitHubApi {
  const client = new HttpClient("ocf-deploy-action", [], { socketTimeout: timeoutMs });
  const headers = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${token}`,
    "x-github-api-version": "2022-11-28",
  };
  /** `what` names the request in errors: the path would repeat two commit ids the summary shows already. */
  const get = async (path: string, what: string): Promise<unknown> => {
    let status: number;
    let body: string;
    try {
      const response = await client.get(`${apiUrl}${path}`, headers);
      status = response.message.statusCode ?? 0;
      body = await response.readBody();
    } catch (error) {
      throw new GitHubApiError(`GitHub API unreachable for ${what}: ${(error as Error).message}`);
    }
    if (status !== 200) throw new GitHubApiError(`GitHub API answered ${status}${reason(body)} for ${what}`);
    try {
      return JSON.parse(body);
    } catch {
      throw new GitHubApiError(`GitHub API answered no JSON for ${what}`);
    }
  };
  return {
    compare: (repository, base, head) =>
      get(`/repos/${repository}/compare/${base}...${head}`, `the comparison ${short(base)}...${short(head)}`),
    pullsOf: (repository, sha) =>
      get(`/repos/${repository}/commits/${sha}/pulls?per_page=100`, `the pull requests of ${short(sha)}`),
    dispose: () => client.dispose(),
  };
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** GitHub's own message (`Not Found`, `Bad credentials`), when the body has one. */
function reason(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === "string" && message ? ` (${message})` : "";
  } catch {
    return "";
  }
}
