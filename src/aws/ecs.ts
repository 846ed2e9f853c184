// ECS: the calls the action makes, each a thin function over one command (the pre-flight's reads, the two calls that
// change AWS, the clean-up's, and the rollout's reads). Decisions about the answers live in plan/ and rollout/.
import {
  type Cluster,
  type Deployment,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  type ListServiceDeploymentsCommandInput,
  ListTasksCommand,
  type ListTasksCommandInput,
  paginateListTaskDefinitions,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { newestFirst } from "../plan/run/history.js";
import type { ServiceSettings } from "../plan/service/settings.js";
import type { DescribedTaskDefinition } from "../plan/task-definition/normalize.js";
import { familyRevision } from "../text/names.js";
import { deployOnce, deregisterOnce, registerOnce, scaleOnce } from "./ecs-changes.js";
import { awsCall } from "./errors.js";
import { asSent, type ChangeOptions, once } from "./retry.js";

/** Per-call options the SDK takes: an abort signal ends the call in flight on cancel. */
export interface CallOptions {
  abortSignal?: AbortSignal;
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

/** A revision with its tags; undefined when there is none (a family with no revision yet is not an error). */
export async function describeTaskDefinition(
  ecs: ECSClient,
  taskDefinition: string,
): Promise<DescribedTaskDefinition | undefined> {
  try {
    const out = await awsCall("DescribeTaskDefinition", () =>
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ["TAGS"] })),
    );
    return out.taskDefinition && { ...out.taskDefinition, tags: out.tags };
  } catch (error) {
    const cause = (error as Error).cause as { name?: string } | undefined;
    if (cause?.name === "ClientException") return undefined;
    throw error;
  }
}

export interface Registered {
  arn: string;
  revision: number;
}

export async function registerTaskDefinition(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
  options: ChangeOptions = {},
): Promise<Registered> {
  const response = await awsCall("RegisterTaskDefinition", () => registerOnce(ecs, input, options));
  const definition = response.taskDefinition;
  if (!definition?.taskDefinitionArn) throw new Error("RegisterTaskDefinition returned no task definition ARN");
  return { arn: definition.taskDefinitionArn, revision: definition.revision ?? 0 };
}

export interface UpdateRequest {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  desiredCount?: number | undefined;
  /** The service settings the config sets; what it leaves out is not sent, so AWS keeps it as it is. */
  settings?: ServiceSettings | undefined;
}

export interface Started {
  /** Our deployment: the one the service's scheduler now rolls out. */
  deploymentId: string;
  deployment: Deployment;
  deployments: Deployment[];
}

export async function updateService(
  ecs: ECSClient,
  request: UpdateRequest,
  options: ChangeOptions = {},
): Promise<Started> {
  const input = {
    cluster: request.cluster,
    service: request.service,
    taskDefinition: request.taskDefinitionArn,
    ...(request.desiredCount !== undefined ? { desiredCount: request.desiredCount } : {}),
    ...request.settings,
    // Always a new deployment, even when the service already names this revision (a re-run after a
    // rollback): the wait needs a deployment of its own to watch. With a new revision it changes nothing.
    forceNewDeployment: true,
  };
  const response = await awsCall("UpdateService", () => deployOnce(ecs, input, options));
  const deployments = response.service?.deployments ?? [];
  const deployment = ourDeployment(deployments, request.taskDefinitionArn);
  if (!deployment?.id) {
    throw new Error(
      `UpdateService answered without a PRIMARY deployment of ${request.taskDefinitionArn}; check the service's events in the ECS console`,
    );
  }
  return { deploymentId: deployment.id, deployment, deployments };
}

/**
 * Sets the desired count only: ECS starts or stops tasks of the revision the service runs, within its PRIMARY
 * deployment (no new one). Returns that deployment's id, from the answer: the one that starts the new tasks.
 */
export async function scaleService(
  ecs: ECSClient,
  request: { cluster: string; service: string; desiredCount: number },
  options: ChangeOptions = {},
): Promise<string | undefined> {
  const response = await awsCall("UpdateService", () => scaleOnce(ecs, request, options));
  return response.service?.deployments?.find((d) => d.status === "PRIMARY")?.id;
}

/** The PRIMARY deployment of our revision. "The service is stable" is not enough: it may be stable on another one. */
export function ourDeployment(deployments: readonly Deployment[], taskDefinitionArn: string): Deployment | undefined {
  return deployments.find((d) => d.status === "PRIMARY" && d.taskDefinition === taskDefinitionArn);
}

/** Every ACTIVE revision ARN of the families starting with `familyPrefix`, newest first, every page. */
export async function listActiveRevisions(ecs: ECSClient, familyPrefix: string): Promise<string[]> {
  const arns: string[] = [];
  const pages = paginateListTaskDefinitions({ client: ecs }, { familyPrefix, status: "ACTIVE", sort: "DESC" });
  await awsCall("ListTaskDefinitions", async () => {
    for await (const page of pages) arns.push(...(page.taskDefinitionArns ?? []));
  });
  return arns;
}

/**
 * The newest `max` ACTIVE revisions of exactly `family`, newest first. ECS's familyPrefix also matches other families
 * (`web-worker` for `web`), and its DESC order is by family, then revision: pages are read until `max` are found.
 */
export async function familyRevisions(ecs: ECSClient, family: string, max: number): Promise<string[]> {
  const found: string[] = [];
  const pages = paginateListTaskDefinitions({ client: ecs }, { familyPrefix: family, status: "ACTIVE", sort: "DESC" });
  await awsCall("ListTaskDefinitions", async () => {
    for await (const page of pages) {
      found.push(
        ...(page.taskDefinitionArns ?? []).filter((arn) => familyRevision(arn).replace(/:\d+$/, "") === family),
      );
      if (found.length >= max) break;
    }
  });
  return newestFirst(found).slice(0, max);
}

export async function deregisterTaskDefinition(
  ecs: ECSClient,
  taskDefinition: string,
  options: ChangeOptions = {},
): Promise<void> {
  await awsCall("DeregisterTaskDefinition", () => deregisterOnce(ecs, taskDefinition, options));
}

// The rollout's reads. Errors are left to the caller (rollout/calls.ts sorts them: throttled, unsupported, fatal).

export async function describeService(ecs: ECSClient, cluster: string, service: string, options: CallOptions) {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), options);
  return out.services?.[0];
}

export function listTasks(ecs: ECSClient, input: ListTasksCommandInput, options: CallOptions) {
  return ecs.send(new ListTasksCommand(input), options);
}

export async function describeTasks(ecs: ECSClient, cluster: string, tasks: string[], options: CallOptions) {
  const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks }), options);
  return out.tasks ?? [];
}

/**
 * The wait's reads of a service deployment are sent once, the SDK retrying nothing: a failure has a fallback
 * (rollout/calls.ts), or the next poll asks again.
 */
export function listServiceDeployments(
  ecs: ECSClient,
  input: ListServiceDeploymentsCommandInput,
  options: CallOptions,
) {
  return asSent(ecs.send(once(new ListServiceDeploymentsCommand(input)), options));
}

export async function describeServiceDeployment(ecs: ECSClient, arn: string, options: CallOptions) {
  const command = once(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const out = await asSent(ecs.send(command, options));
  return out.serviceDeployments?.[0];
}

/** The containers of a revision, for their log configuration. */
export async function containerDefinitions(
  ecs: ECSClient,
  taskDefinition: string,
  options: CallOptions = {},
): Promise<NonNullable<TaskDefinition["containerDefinitions"]>> {
  const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }), options);
  return out.taskDefinition?.containerDefinitions ?? [];
}

/**
 * UpdateService for the on-failure rollback, as updateService does it (a new deployment of `taskDefinitionArn`),
 * but cancellable: the runner's cancel aborts the call in flight. Errors are left to the caller.
 */
export async function rollBackService(
  ecs: ECSClient,
  request: UpdateRequest,
  options: ChangeOptions,
): Promise<Started> {
  const input = {
    cluster: request.cluster,
    service: request.service,
    taskDefinition: request.taskDefinitionArn,
    ...(request.desiredCount !== undefined ? { desiredCount: request.desiredCount } : {}),
    ...request.settings,
    forceNewDeployment: true,
  };
  const response = await deployOnce(ecs, input, options);
  const deployments = response.service?.deployments ?? [];
  const deployment = ourDeployment(deployments, request.taskDefinitionArn);
  if (!deployment?.id) {
    throw new Error(`UpdateService answered without a PRIMARY deployment of ${request.taskDefinitionArn}`);
  }
  return { deploymentId: deployment.id, deployment, deployments };
}
