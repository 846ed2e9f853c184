// What every step is given: the run as the steps see it (where they print, the AWS clients, the config, the cancel,
// the GitHub run it comes from), and the wait's settings, read once from the inputs. Steps return what they did:
// run() (main.ts) collects it for the job summary.
import type { Clients } from "../aws/clients.js";
import type { Config } from "../config/index.js";
import type { Host } from "../host/host.js";
import type { Inputs } from "../inputs.js";
import type { RunContext as GitHubRun } from "../plan/run/provenance.js";
import type { WaitUntil } from "../rollout/index.js";

export interface RunContext {
  host: Host;
  clients: Clients;
  config: Config;
  /** the runner's cancel (SIGINT, SIGTERM) */
  signal: AbortSignal;
  /** the commit, repository and run this deploy comes from: on GitHub Actions only */
  githubRun?: GitHubRun | undefined;
  /** the clock of every wait on AWS; tests inject one that runs in milliseconds */
  clock?: Clock | undefined;
}

export interface Clock {
  now: () => number;
  /** returns early when the signal aborts */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** How a deployment is waited for and what is done when it fails. */
export interface WaitPolicy {
  timeoutMs: number;
  pollMs: number;
  maxFailedTasks: number;
  waitUntil: WaitUntil;
  onFailure: Inputs["onFailure"];
}

export function waitPolicy(inputs: Inputs): WaitPolicy {
  return {
    timeoutMs: inputs.waitTimeoutMs,
    pollMs: inputs.pollIntervalMs,
    maxFailedTasks: inputs.maxFailedTasks,
    waitUntil: inputs.waitUntil,
    onFailure: inputs.onFailure,
  };
}
