// Step: point the service at the revision (a new deployment of ours to watch), or only set its desired count.
import { type Started, scaleService, updateService } from "../aws/ecs.js";
import type { Config } from "../config/index.js";
import { DeployError } from "../errors.js";
import type { ServiceSettings } from "../plan/service/settings.js";
import { consoleUrl } from "../report/summary.js";
import { oneLine } from "../text/inert.js";
import { shortTaskDefinition } from "../text/names.js";
import { cancelledChange, changeOptions } from "./change-options.js";
import type { RunContext } from "./context.js";

const target = (config: Config) => ({ cluster: config.cluster, service: config.service });

export async function updateStep(
  ctx: RunContext,
  { taskDefinitionArn, settings }: { taskDefinitionArn: string; settings: ServiceSettings | undefined },
): Promise<Started> {
  const { host, clients, config, signal } = ctx;
  const request = { ...target(config), taskDefinitionArn, desiredCount: config.desired_count, settings };
  const started = await updateService(clients.ecs, request, changeOptions(host, clients, signal));
  host.setOutput("deployment-id", started.deploymentId);
  const url = consoleUrl(config.region, config.cluster, config.service);
  host.info(`Deployment ${started.deploymentId} started; follow it at ${url}`);
  return started;
}

/** Only the desired count changes: ECS starts or stops tasks within the PRIMARY deployment, whose id is returned. */
export function scaleStep(ctx: RunContext, { desiredCount }: { desiredCount: number }): Promise<string | undefined> {
  const { host, clients, config, signal } = ctx;
  return scaleService(clients.ecs, { ...target(config), desiredCount }, changeOptions(host, clients, signal));
}

/**
 * UpdateService failed for good (or the run was cancelled during it) after this run registered `arn`: the revision
 * is there, the service does not run it. Say so in the result and the first line, with what to do.
 */
export function notDeployed(arn: string, registeredNow: boolean): (error: unknown) => never {
  return (error) => {
    const revision = shortTaskDefinition(arn);
    const cancelled = cancelledChange(error);
    if (cancelled) {
      const reached = cancelled.mayHaveReached ? "it may have reached ECS" : "the service was not updated";
      const message = `Cancelled during UpdateService: ${reached}; re-run the workflow to deploy ${revision}`;
      throw new DeployError(message, [], "cancelled");
    }
    if (!registeredNow) throw error;
    const cause = oneLine(error instanceof Error ? error.message : String(error));
    const message = `${cause}; ${revision} is registered, not deployed: re-run the workflow to deploy it`;
    throw new DeployError(message, [], "registered");
  };
}
