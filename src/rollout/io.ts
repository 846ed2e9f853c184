// What the watcher's I/O modules share: the clients, the call counter, the cancel signal, and what is watched.
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { Clients } from "../aws/clients.js";
import type { CallCounter } from "./calls.js";

export interface Target {
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinitionArn: string;
}

/**
 * The clients the wait uses. `logsFor` (a CloudWatch Logs client per region) is optional: without it, logs in
 * another region than the service's are named, not read.
 */
export type WatchClients = Pick<Clients, "ecs" | "ecsOnce" | "elb" | "logs"> & {
  logsFor?: ((region: string) => CloudWatchLogsClient) | undefined;
};

export interface Io {
  clients: WatchClients;
  counter: CallCounter;
  signal?: AbortSignal | undefined;
}

/** The SDK's per-call options: the signal aborts a call in flight on cancel. */
export function callOptions(io: Io): { abortSignal?: AbortSignal } {
  return io.signal ? { abortSignal: io.signal } : {};
}
