// Follows one deployment with the rollout watcher to its verdict, printing as it goes: the deploy's wait, the
// answered pause's and the rolling rollback's own wait all go through here.
import type { Restore } from "../plan/service/restore.js";
import { type WatchResult, watchRollout } from "../rollout/index.js";
import type { RunContext, WaitPolicy } from "./context.js";

/** One deployment to follow to its verdict. */
export interface Followed {
  /** the deployment (ecs-svc/…) and its revision */
  deploymentId: string;
  taskDefinitionArn: string;
  /** the revision it replaces: where a rollback goes */
  previous: string | undefined;
  /** the service settings (and count) it changes, as they were: what a rolling rollback sends back with `previous` */
  restore?: Restore | undefined;
  /** its service deployment, when known beforehand (an answered pause): not looked for then */
  serviceDeploymentArn?: string | undefined;
  /** the service's current service deployment before ours (ServiceState.serviceDeployment) */
  priorServiceDeployment?: string | undefined;
  /**
   * The essential containers with a health check that prove its tasks (a worker has no target group to): only our
   * own revision's; a rollback's wait of the one before has no such proof to ask for.
   */
  healthChecked?: string[] | undefined;
}

export function followDeployment(
  ctx: Pick<RunContext, "host" | "clients" | "config" | "signal" | "clock">,
  { deployment, policy }: { deployment: Followed; policy: WaitPolicy },
): Promise<WatchResult> {
  const { clients, config, host } = ctx;
  return watchRollout({
    clients,
    cluster: config.cluster,
    service: config.service,
    deploymentId: deployment.deploymentId,
    taskDefinitionArn: deployment.taskDefinitionArn,
    ...(deployment.previous ? { previousTaskDefinitionArn: deployment.previous } : {}),
    ...(deployment.serviceDeploymentArn ? { serviceDeploymentArn: deployment.serviceDeploymentArn } : {}),
    ...(deployment.priorServiceDeployment ? { priorServiceDeployment: deployment.priorServiceDeployment } : {}),
    ...(deployment.healthChecked ? { healthChecked: deployment.healthChecked } : {}),
    timeoutMs: policy.timeoutMs,
    pollMs: policy.pollMs,
    maxFailedTasks: policy.maxFailedTasks,
    waitUntil: policy.waitUntil,
    // Every line of the wait quotes what ECS and the load balancer said (events, reasons, names): untrusted.
    log: (line) => host.untrusted([line]),
    notice: (text) => host.notice(text),
    signal: ctx.signal,
    ...ctx.clock,
  });
}
