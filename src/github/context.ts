// The only reader of the GitHub run's context: the variables the runner sets for every step, the ones
// @actions/github's `context` reads. The commit tags need them before the first AWS request, and that package (with
// Octokit and its HTTP stack) loads in a chunk of its own when the lookup of what shipped runs (github/octokit.ts):
// reading them here keeps it off the start-up path.
import { isCommitSha, type RunContext } from "../plan/run/provenance.js";

/** The run this deploy belongs to, or undefined outside GitHub Actions (a terminal, another CI). */
export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext | undefined {
  const sha = (env.GITHUB_SHA ?? "").toLowerCase();
  const repository = env.GITHUB_REPOSITORY ?? "";
  // Both go into tags and URLs: anything but a commit id and an owner/name is no context at all.
  if (!isCommitSha(sha) || !/^[\w.-]+\/[\w.-]+$/.test(repository)) return undefined;
  return {
    sha,
    repository,
    actor: env.GITHUB_ACTOR ?? "",
    runId: env.GITHUB_RUN_ID ?? "",
    runAttempt: env.GITHUB_RUN_ATTEMPT || "1",
    serverUrl: (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, ""),
    apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
    workflow: env.GITHUB_WORKFLOW ?? "",
    refName: env.GITHUB_REF_NAME ?? "",
  };
}
