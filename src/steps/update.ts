// Step: point the service at the revision (a new deployment of ours to watch), or only set its desired count.
import type { Clients } from "../aws/clients.js";
import { type Started, scaleService, updateService } from "../aws/ecs.js";
import type { Config } from "../config/index.js";
import type { Host } from "../host/host.js";
import type { ServiceSettings } from "../plan/service.js";
import { consoleUrl } from "../report/summary.js";

const target = (config: Config) => ({ cluster: config.cluster, service: config.service });

export async function updateStep(
  host: Host,
  clients: Clients,
  config: Config,
  taskDefinitionArn: string,
  settings?: ServiceSettings,
): Promise<Started> {
  const started = await updateService(clients.ecs, {
    ...target(config),
    taskDefinitionArn,
    desiredCount: config.desired_count,
    settings,
  });
  host.setOutput("deployment-id", started.deploymentId);
  const url = consoleUrl(config.region, config.cluster, config.service);
  host.info(`Deployment ${started.deploymentId} started; follow it at ${url}`);
  return started;
}

/** Only the desired count changes: ECS starts or stops tasks within the PRIMARY deployment, whose id is returned. */
export function scaleStep(clients: Clients, config: Config, desiredCount: number): Promise<string | undefined> {
  return scaleService(clients.ecs, { ...target(config), desiredCount });
}
