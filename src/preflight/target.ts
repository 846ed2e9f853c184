// Pure: the target cluster and service as the pre-flight read them, and whether we can deploy to them.
import type { Cluster, LoadBalancer, Service } from "@aws-sdk/client-ecs";
import type { Problem } from "../errors.js";
import type { CurrentService } from "../plan/service/settings.js";

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
  /** The service's current service deployment now, before ours: the wait knows then that it is not ours. */
  serviceDeployment?: string | undefined;
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
      serviceDeployment: service.currentServiceDeployment,
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

/** What a team uses instead, for each service this action must not update: ECS or another tool manages it. */
const INSTEAD: Record<string, string> = {
  CODE_DEPLOY:
    'deploy it through CodeDeploy (an AppSpec and `aws deploy create-deployment`), or move it to the ECS controller and `deployment.strategy = "BLUE_GREEN"`',
  EXTERNAL: "deploy it with the tool that manages its task sets (CreateTaskSet and UpdateServicePrimaryTaskSet)",
};

// An Express Mode service (resourceManagementType ECS) is ECS's to manage, with its load balancer, scaling and
// canary: an UpdateService from here would fight it. As a CODE_DEPLOY or EXTERNAL controller, it is refused here.
function controllerProblems(service: Service): Problem[] {
  const name = `service \`${service.serviceName}\``;
  if (service.resourceManagementType === "ECS") {
    const message = `${name} is an Express Mode service, which ECS manages itself (resourceManagementType ECS); this action updates services you manage: update it with \`aws ecs update-express-gateway-service\` or in the ECS console`;
    return [{ key: "service", message }];
  }
  const type = service.deploymentController?.type ?? "ECS";
  if (type === "ECS") return [];
  const instead = INSTEAD[type];
  return [
    {
      key: "service",
      message: `${name} uses the ${type} deployment controller; this action deploys services whose controller is ECS${instead ? `: ${instead}` : ""}`,
    },
  ];
}
