// Follows one deployment with the rollout watcher, printing as it goes: the wait and the rollback both use it.
import type { Clients } from "../aws/clients.js";
import type { Config } from "../config/index.js";
import type { Host } from "../host/host.js";
import type { Inputs } from "../inputs.js";
import type { Preflight } from "../plan/preflight.js";
import type { DeployReport, WatchedReport } from "../report/summary.js";
import { type WatchResult, watchRollout } from "../rollout/index.js";
import { shortTaskDefinition } from "../text/names.js";
import type { Revision } from "./register.js";

export interface WaitArgs {
  host: Host;
  clients: Clients;
  inputs: Inputs;
  config: Config;
  deploymentId: string;
  revision: Revision;
  checked: Preflight;
  report: DeployReport;
  signal: AbortSignal;
}

/** One deployment to follow to its verdict. */
export interface Watched {
  deploymentId: string;
  taskDefinitionArn: string;
  previous: string | undefined;
  timeoutMs: number;
}

export function watch(args: WaitArgs, watched: Watched): Promise<WatchResult> {
  const { clients, inputs, config, host } = args;
  return watchRollout({
    clients,
    cluster: config.cluster,
    service: config.service,
    deploymentId: watched.deploymentId,
    taskDefinitionArn: watched.taskDefinitionArn,
    ...(watched.previous ? { previousTaskDefinitionArn: watched.previous } : {}),
    timeoutMs: watched.timeoutMs,
    pollMs: inputs.pollIntervalMs,
    maxFailedTasks: inputs.maxFailedTasks,
    waitUntil: inputs.waitUntil ?? "completed",
    // Every line of the wait quotes what ECS and the load balancer said (events, reasons, names): untrusted.
    log: (line) => host.untrusted([line]),
    notice: (text) => host.notice(text),
    signal: args.signal,
  });
}

/** What the job summary shows of one watched deployment: its timeline and its chart. */
export function watchedReport(result: WatchResult, taskDefinitionArn: string): WatchedReport {
  return {
    timeline: result.timeline,
    story: result.story,
    startedAt: result.startedAt,
    outcome: result.outcome,
    revision: shortTaskDefinition(taskDefinitionArn),
  };
}
