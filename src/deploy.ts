// The calls that change AWS: register the task definition, then point the service at it (or only scale it).
import {
  type Deployment,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { awsCall } from "./aws-errors.js";

export interface Registered {
  arn: string;
  revision: number;
}

export async function registerTaskDefinition(
  ecs: ECSClient,
  input: RegisterTaskDefinitionCommandInput,
): Promise<Registered> {
  const response = await awsCall("RegisterTaskDefinition", () => ecs.send(new RegisterTaskDefinitionCommand(input)));
  const definition = response.taskDefinition;
  if (!definition?.taskDefinitionArn) throw new Error("RegisterTaskDefinition returned no task definition ARN");
  return { arn: definition.taskDefinitionArn, revision: definition.revision ?? 0 };
}

export interface UpdateRequest {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  desiredCount?: number | undefined;
}

export interface Started {
  /** Our deployment: the one the service's scheduler now rolls out. */
  deploymentId: string;
  deployment: Deployment;
  deployments: Deployment[];
}

export async function updateService(ecs: ECSClient, request: UpdateRequest): Promise<Started> {
  const response = await awsCall("UpdateService", () =>
    ecs.send(
      new UpdateServiceCommand({
        cluster: request.cluster,
        service: request.service,
        taskDefinition: request.taskDefinitionArn,
        ...(request.desiredCount !== undefined ? { desiredCount: request.desiredCount } : {}),
        // Always a new deployment, even when the service already names this revision (a re-run after a
        // rollback): the wait needs a deployment of its own to watch. With a new revision it changes nothing.
        forceNewDeployment: true,
      }),
    ),
  );
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
): Promise<string | undefined> {
  const response = await awsCall("UpdateService", () => ecs.send(new UpdateServiceCommand(request)));
  return response.service?.deployments?.find((d) => d.status === "PRIMARY")?.id;
}

/** Pure: the PRIMARY deployment of our revision. "The service is stable" is not enough: it may be stable on another one. */
export function ourDeployment(deployments: readonly Deployment[], taskDefinitionArn: string): Deployment | undefined {
  return deployments.find((d) => d.status === "PRIMARY" && d.taskDefinition === taskDefinitionArn);
}
