// Pure: the target cluster and service as the pre-flight read them, and whether we can deploy to them.
import type { Cluster, LoadBalancer, Service } from "@aws-sdk/client-ecs";
import type { Problem } from "../errors.js";
import type { CurrentService } from "../plan/service.js";

export interface ServiceState {
  serviceArn: string;
  clusterArn: string;
  /** What the service runs now: the revision we roll back to. */
  taskDefinition: string | undefined;
  desiredCount: number;
  loadBalancers: LoadBalancer[];
  /** Undefined when the service is settled on its revision; else what is still going on (a rollout, missing tasks). */
  unsettledBecause: string | undefined;
  /** When the PRIMARY deployment started: its tasks read their secrets then or later. */
  deployedAt: Date | undefined;
  /** The service's own settings now: what the config's service keys are compared with, and completed from. */
  settings: CurrentService;
}

/** Pure: every reason the service cannot take a deploy from this action. */
export function checkTarget(
  names: { cluster: string; service: string },
  found: { cluster: Cluster | undefined; service: Service | undefined },
): { state?: ServiceState; problems: Problem[] } {
  const { cluster, service } = found;
  if (cluster?.status !== "ACTIVE") {
    const status = cluster ? ` is ${cluster.status}` : " does not exist";
    return {
      problems: [{ key: "cluster", message: `cluster \`${names.cluster}\`${status} in this account and region` }],
    };
  }
  if (service?.status !== "ACTIVE") {
    const status = service ? ` is ${service.status}` : " does not exist";
    return {
      problems: [{ key: "service", message: `service \`${names.service}\`${status} in cluster \`${names.cluster}\`` }],
    };
  }
  const problems = [...launchProblems(service, cluster), ...controllerProblems(service)];
  const primary = service.deployments?.find((d) => d.status === "PRIMARY");
  return {
    problems,
    state: {
      serviceArn: service.serviceArn ?? "",
      clusterArn: cluster.clusterArn ?? "",
      taskDefinition: service.taskDefinition,
      desiredCount: service.desiredCount ?? 0,
      loadBalancers: service.loadBalancers ?? [],
      unsettledBecause: unsettledBecause(service),
      deployedAt: primary?.createdAt,
      settings: {
        enableExecuteCommand: service.enableExecuteCommand,
        healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
        propagateTags: service.propagateTags,
        deploymentConfiguration: service.deploymentConfiguration,
        networkConfiguration: service.networkConfiguration,
        loadBalancers: service.loadBalancers,
      },
    },
  };
}

/**
 * Pure: why the service is not settled on its revision, or undefined when it is — one deployment, done, at full count.
 * Only then does "the task definition did not change" mean "nothing to deploy".
 */
export function unsettledBecause(service: Service): string | undefined {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === "PRIMARY");
  if (!primary) return "it has no PRIMARY deployment";
  if (deployments.length > 1) return `${deployments.length} deployments are active`;
  if (primary.rolloutState && primary.rolloutState !== "COMPLETED") {
    return `its deployment ${primary.id} is ${primary.rolloutState}`;
  }
  const [running, desired] = [primary.runningCount ?? 0, primary.desiredCount ?? 0];
  return running === desired ? undefined : `${running} of ${desired} tasks are running`;
}

// A service with neither a launch type nor a strategy of its own uses the cluster's default strategy; without one
// of those either, ECS launches on EC2.
function launchProblems(service: Service, cluster: Cluster): Problem[] {
  const own = service.capacityProviderStrategy ?? [];
  const strategy = own.length > 0 || service.launchType ? own : (cluster.defaultCapacityProviderStrategy ?? []);
  const providers = strategy.map((p) => p.capacityProvider ?? "");
  const fargate = service.launchType === "FARGATE" || providers.some((p) => p.startsWith("FARGATE"));
  if (fargate) return [];
  const runsOn = service.launchType ?? (providers.join(", ") || "EC2 (no launch type or capacity provider is set)");
  return [{ key: "service", message: `service \`${service.serviceName}\` runs on ${runsOn}, not Fargate` }];
}

function controllerProblems(service: Service): Problem[] {
  const type = service.deploymentController?.type ?? "ECS";
  if (type === "ECS") return [];
  return [
    {
      key: "service",
      message: `service \`${service.serviceName}\` uses the ${type} deployment controller; this action deploys services whose controller is ECS`,
    },
  ];
}
