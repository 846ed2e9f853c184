// Small pure helpers that pick facts out of a snapshot, and name revisions the way a developer reads them.
import { isStagedStrategy } from "../../plan/service/strategy.js";
import { familyRevision } from "../../text/names.js";
import type { DeploymentView, ServiceView, TaskView } from "./model.js";

/** `revision 41` when the family is ours, else `other-family:41`. */
export function revisionLabel(arn: string | undefined, ours: string): string {
  const [family, revision] = familyRevision(arn).split(":");
  const [ourFamily] = familyRevision(ours).split(":");
  if (revision && family === ourFamily) return `revision ${revision}`;
  return familyRevision(arn) || "an unknown task definition";
}

/** The private IPv4 of a Fargate task's ENI: what the target group registers. */
export function taskIp(task: TaskView): string | undefined {
  for (const attachment of task.attachments ?? []) {
    const detail = attachment.details?.find((d) => d.name === "privateIPv4Address");
    if (detail?.value) return detail.value;
  }
  return undefined;
}

export function findDeployment(service: ServiceView | undefined, id: string): DeploymentView | undefined {
  return service?.deployments?.find((d) => d.id === id);
}

export function primaryDeployment(service: ServiceView | undefined): DeploymentView | undefined {
  return service?.deployments?.find((d) => d.status === "PRIMARY");
}

export function isRunning(task: TaskView): boolean {
  return task.lastStatus === "RUNNING" && task.desiredStatus !== "STOPPED";
}

/**
 * A task of ours that ECS stopped (or is stopping) for a reason other than ordinary scale-in: the scheduler writes
 * "Scaling activity initiated by (deployment ecs-svc/…)" when it trims a deployment, e.g. while rolling back, and a
 * Spot interruption is not the image's fault.
 */
export function isFailedTask(task: TaskView): boolean {
  if (task.desiredStatus !== "STOPPED" && task.lastStatus !== "STOPPED") return false;
  if (!task.stoppedReason) return false;
  if (task.stoppedReason.startsWith("Scaling activity initiated by")) return false;
  return task.stopCode !== "SpotInterruption" && task.stopCode !== "TerminationNotice";
}

export function stopTime(task: TaskView): number {
  return (task.stoppingAt ?? task.stoppedAt ?? task.createdAt)?.getTime() ?? 0;
}

/** Failed tasks of ours, newest first, unique by ARN, from this snapshot and earlier ones. */
export function failedTasks(tasks: TaskView[], remembered: TaskView[]): TaskView[] {
  const byArn = new Map<string, TaskView>();
  for (const task of [...remembered, ...tasks]) {
    if (isFailedTask(task)) byArn.set(task.taskArn ?? String(byArn.size), task);
  }
  return [...byArn.values()].sort((a, b) => stopTime(b) - stopTime(a));
}

/**
 * The service deploys in lifecycle stages (bake time, traffic shifts), as ECS says in this look: our deployment's
 * rolloutState then says COMPLETED while ECS may still roll back, so it is not enough on its own.
 */
export function isStaged(service: ServiceView | undefined): boolean {
  return isStagedStrategy(service?.deploymentConfiguration?.strategy);
}

/** ECS's early success criteria, when the service's rolling deployments use them: ECS's SUCCESSFUL comes early. */
export function earlySuccess(service: ServiceView | undefined) {
  const early = service?.deploymentConfiguration?.earlySuccessCriteria;
  return early?.enable === true && !isStaged(service) ? early : undefined;
}

/** `4980306466373577095` from `ecs-svc/4980306466373577095`: the number its service revision ARN ends with. */
export function deploymentNumber(deploymentId: string): string {
  return deploymentId.replace(/^ecs-svc\//, "");
}
