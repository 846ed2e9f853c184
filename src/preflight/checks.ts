// Pure: pre-flight checks that need AWS's answers but no further calls: each returns the problems it finds, with the
// config key to fix, so that every problem is reported at once before anything is changed.
import type { ContainerDefinition, LoadBalancer, RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { Config } from "../config/index.js";
import type { Problem } from "../errors.js";
import { targetGroupName } from "../text/names.js";

/**
 * Pure: the credentials must be for the account the config deploys to. Without this check a wrong role fails later
 * with "cluster not found", which points at the cluster instead of the role.
 */
export function checkAccount(callerAccount: string, config: Pick<Config, "account">): Problem[] {
  if (callerAccount === config.account) return [];
  return [
    {
      key: "account",
      message: `the AWS credentials are for account ${callerAccount}, but the config deploys to ${config.account} (\`account\`): check the role in configure-aws-credentials`,
    },
  ];
}

/**
 * Pure: every load balancer of the service must find its container and port in the new task definition; otherwise
 * UpdateService fails, or worse, tasks start and never receive traffic. The main container is the first one
 * (buildTaskDefinition's order), so its port is `port`; a sidecar's is `containers.<name>.port`.
 */
export function checkLoadBalancers(
  loadBalancers: readonly LoadBalancer[],
  taskDefinition: Pick<RegisterTaskDefinitionCommandInput, "containerDefinitions">,
): Problem[] {
  const containers = taskDefinition.containerDefinitions ?? [];
  return loadBalancers.flatMap((lb) => {
    // Entries without a container (none on Fargate services in practice) name nothing we can check.
    if (lb.containerName === undefined || lb.containerPort === undefined) return [];
    const index = containers.findIndex((c) => c.name === lb.containerName);
    const container = containers[index];
    const sends = `the service's load balancer (${balancerName(lb)}) sends traffic to container \`${lb.containerName}\` port ${lb.containerPort}`;
    if (!container) {
      return [
        {
          key: "container_name",
          message: `${sends}, but the new task definition has no container \`${lb.containerName}\``,
        },
      ];
    }
    const ports = containerPorts(container);
    if (ports.includes(lb.containerPort)) return [];
    if (index === 0 && ports.length === 0) {
      // No `port`: the config describes a worker, and a worker's tasks would never receive the traffic it is sent.
      const fix = `set \`port = ${lb.containerPort}\` if it serves traffic, or deploy the worker to a service without a load balancer`;
      return [{ key: "port", message: `${sends}, but the config sets no \`port\` (a worker): ${fix}` }];
    }
    const theirs = ports.length > 0 ? `its ports: ${ports.join(", ")}` : "it has no ports";
    return [
      {
        key: index === 0 ? "port" : `containers.${lb.containerName}.port`,
        message: `${sends}, but the new task definition's container \`${lb.containerName}\` has no port ${lb.containerPort} (${theirs})`,
      },
    ];
  });
}

function containerPorts(container: ContainerDefinition): number[] {
  return (container.portMappings ?? []).flatMap((m) => (m.containerPort === undefined ? [] : [m.containerPort]));
}

/** `target group tg-app` from its ARN (…:targetgroup/tg-app/0123abcd), or the Classic load balancer's name. */
function balancerName(lb: LoadBalancer): string {
  if (lb.targetGroupArn) return `target group ${targetGroupName(lb.targetGroupArn)}`;
  return `load balancer ${lb.loadBalancerName ?? "(unnamed)"}`;
}
