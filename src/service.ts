// Reads the target cluster and service once, before anything is changed, and says whether we can deploy to it.
import {
  type Cluster,
  DescribeClustersCommand,
  DescribeServicesCommand,
  type ECSClient,
  type LoadBalancer,
  type Service,
} from "@aws-sdk/client-ecs";
import { awsCall } from "./aws-errors.js";
import type { Problem } from "./errors.js";

export interface ServiceState {
  serviceArn: string;
  clusterArn: string;
  /** What the service runs now: the revision we roll back to. */
  taskDefinition: string | undefined;
  desiredCount: number;
  loadBalancers: LoadBalancer[];
}

/** DescribeClusters and DescribeServices, in parallel. */
export async function describeTarget(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<{ cluster: Cluster | undefined; service: Service | undefined; missingService: boolean }> {
  const [clusters, services] = await Promise.all([
    awsCall("DescribeClusters", () => ecs.send(new DescribeClustersCommand({ clusters: [cluster] }))),
    awsCall("DescribeServices", () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: [service] })).catch((error: unknown) => {
        // A missing cluster fails this call; DescribeClusters reports it in words.
        if ((error as Error).name === "ClusterNotFoundException") return { services: [], failures: [] };
        throw error;
      }),
    ),
  ]);
  return {
    cluster: clusters.clusters?.[0],
    service: services.services?.[0],
    missingService: (services.failures ?? []).some((f) => f.reason === "MISSING"),
  };
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
  const problems = [...launchProblems(service), ...controllerProblems(service)];
  return {
    problems,
    state: {
      serviceArn: service.serviceArn ?? "",
      clusterArn: cluster.clusterArn ?? "",
      taskDefinition: service.taskDefinition,
      desiredCount: service.desiredCount ?? 0,
      loadBalancers: service.loadBalancers ?? [],
    },
  };
}

function launchProblems(service: Service): Problem[] {
  const providers = (service.capacityProviderStrategy ?? []).map((p) => p.capacityProvider ?? "");
  const fargate = service.launchType === "FARGATE" || providers.some((p) => p.startsWith("FARGATE"));
  if (fargate || (!service.launchType && providers.length === 0)) return [];
  const runsOn = service.launchType ?? providers.join(", ");
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
