// What this deploy ships since the revision the service ran before: the commits between the two (one compare call)
// and the pull requests that brought them in (one call per listed commit, a few at a time). Never throws: without
// a token, or on any error, the record says so in one line and the deploy goes on.

import {
  type Comparison,
  fromComparison,
  fromPulls,
  type Provenance,
  type PullRequest,
  type Shipped,
  sinceWhat,
  withPulls,
} from "../plan/run/provenance.js";
import type { DescribedTaskDefinition } from "../plan/task-definition/normalize.js";
import { type GitHubApi, githubApi } from "./api.js";

/** Pull request lookups at once: GitHub asks clients to go easy on concurrent calls. */
const CONCURRENCY = 4;
/** All of it: a slow GitHub must never hold the end of a deploy for long. */
const BUDGET_MS = 30_000;

export interface ShippedOptions {
  token: string | undefined;
  /** Tests inject a client; otherwise one is made for the run's API URL. */
  api?: GitHubApi;
  /** All of the lookup (30 s): past it, the calls in flight are ended and the record says so. */
  budgetMs?: number;
  /** Each call (api.ts CALL_MS) and each answer's size (MAX_BYTES); tests make them small. */
  callMs?: number;
  maxBytes?: number;
  /** The run's cancel: the lookup ends at once, its calls with it. */
  signal?: AbortSignal;
}

/** Fills in `provenance.since` and `provenance.shipped`. Never throws, never outlives the budget or a cancel. */
export async function lookUpShipped(
  provenance: Provenance,
  previous: DescribedTaskDefinition | undefined,
  options: ShippedOptions,
): Promise<void> {
  const since = sinceWhat(previous, provenance.run);
  provenance.since = since;
  if (since.kind !== "compare") return;
  if (!options.token && !options.api) {
    provenance.shipped = { kind: "no-token" };
    return;
  }
  const { signal, callMs, maxBytes } = options;
  const api =
    options.api ??
    githubApi({
      apiUrl: provenance.run.apiUrl,
      token: options.token ?? "",
      ...(signal ? { signal } : {}),
      ...(callMs ? { callMs } : {}),
      ...(maxBytes ? { maxBytes } : {}),
    });
  const budget = options.budgetMs ?? BUDGET_MS;
  const ends = endOf(budget, signal);
  try {
    const listed = listShipped(api, provenance.run.repository, since.base, provenance.run.sha);
    provenance.shipped = await Promise.race([listed, ends.promise]);
  } catch (error) {
    provenance.shipped = { kind: "failed", reason: (error as Error).message };
  } finally {
    ends.clear();
    // Also ends the calls still waiting, so that none keeps the process alive after the deploy.
    if (!options.api) api.dispose();
  }
}

/** Rejects when the budget is spent or the run is cancelled, whichever comes first. */
function endOf(budget: number, signal: AbortSignal | undefined) {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`GitHub API did not answer within ${budget / 1000} s`)), budget);
    onAbort = () => reject(new Error("the run was cancelled before GitHub answered"));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  const clear = () => {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  };
  return { promise, clear };
}

async function listShipped(api: GitHubApi, repository: string, base: string, head: string): Promise<Shipped> {
  const comparison = fromComparison(await api.compare(repository, base, head));
  const { pullsByCommit, error } = await pullsOf(api, repository, comparison);
  const { commits, pulls } = withPulls(comparison, pullsByCommit);
  const { status, aheadBy, behindBy, unlisted } = comparison;
  return {
    kind: "listed",
    status,
    aheadBy,
    behindBy,
    commits,
    unlisted,
    pulls,
    ...(error ? { pullsError: error } : {}),
  };
}

/** Each listed commit's pull requests; a failed lookup leaves that commit without and names the first error. */
async function pullsOf(api: GitHubApi, repository: string, comparison: Comparison) {
  const pullsByCommit = new Map<string, PullRequest[]>();
  let error: string | undefined;
  const queue = comparison.commits.map((c) => c.sha);
  const worker = async () => {
    for (let sha = queue.shift(); sha !== undefined; sha = queue.shift()) {
      try {
        pullsByCommit.set(sha, fromPulls(await api.pullsOf(repository, sha)));
      } catch (e) {
        error ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { pullsByCommit, error };
}
