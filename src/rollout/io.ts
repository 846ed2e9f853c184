// What the watcher's I/O modules share: the clients, the call counter, the cancel signal, and what is watched.
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { Clients } from "../aws/clients.js";
import type { CallCounter } from "./calls.js";

export interface Target {
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinitionArn: string;
  /** `live` waits for our targets' health and the old revision's drain, not for ECS's COMPLETED */
  waitUntil?: "completed" | "live" | undefined;
  /** our service deployment, when known beforehand (answering a pause): it need not be found and proven */
  serviceDeploymentArn?: string | undefined;
  /** the service's currentServiceDeployment before UpdateService: never ours, so any other current one may be */
  priorServiceDeployment?: string | undefined;
  /** our revision's essential containers with a health check (WatchContext.healthChecked) */
  healthChecked?: readonly string[] | undefined;
}

/**
 * The clients the wait uses. `logsFor` (a CloudWatch Logs client per region) is optional: without it, logs in
 * another region than the service's are named, not read.
 */
export type WatchClients = Pick<Clients, "ecs" | "elb" | "logs"> & {
  logsFor?: ((region: string) => CloudWatchLogsClient) | undefined;
};

export interface Io {
  clients: WatchClients;
  counter: CallCounter;
  signal?: AbortSignal | undefined;
  /** A call that takes longer (the SDK retrying a throttled call, a stalled connection) is given up as no answer. */
  callTimeoutMs?: number | undefined;
}

/**
 * The SDK's per-call options: the run's signal aborts a call in flight on cancel, and the call's own time limit ends
 * a call the SDK keeps retrying (adaptive retries back off for tens of seconds under throttling): the poller, not
 * the SDK, decides when to ask again, so that a verdict is never late by more than a few seconds.
 */
export function callOptions(io: Io): { abortSignal?: AbortSignal } {
  const signals = [io.signal, io.callTimeoutMs ? AbortSignal.timeout(io.callTimeoutMs) : undefined];
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 0) return {};
  return { abortSignal: present.length === 1 ? (present[0] as AbortSignal) : AbortSignal.any(present) };
}
