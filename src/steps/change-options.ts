// What the steps that change AWS (register, update, roll back) give the retries of aws/retry.ts: the run's cancel,
// the clients' policy, and a place to say throttling once per operation.
import type { Clients } from "../aws/clients.js";
import { ChangeCancelled, type ChangeOptions } from "../aws/retry.js";
import type { Host } from "../host/host.js";

export function changeOptions(host: Host, clients: Pick<Clients, "changePolicy">, signal: AbortSignal): ChangeOptions {
  return {
    signal,
    // The lines quote AWS (`ECS is throttling UpdateService (Rate exceeded): retrying`): untrusted text.
    note: (line) => host.untrusted([line]),
    ...(clients.changePolicy ? { policy: clients.changePolicy } : {}),
  };
}

/** The cancel a change ended on, under the AwsError that names its operation. */
export function cancelledChange(error: unknown): ChangeCancelled | undefined {
  if (error instanceof ChangeCancelled) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof ChangeCancelled ? cause : undefined;
}
