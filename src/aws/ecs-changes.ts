// The ECS calls that change AWS, each tried again by the one policy (retry.ts), and what is read back after a lost
// answer before trying again: the deployment a lost UpdateService started, the revision a lost
// RegisterTaskDefinition registered, a revision a lost DeregisterTaskDefinition made INACTIVE.
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import { sameTaskDefinition } from "../plan/task-definition/normalize.js";
import { type Change, type ChangeOptions, change, once, underneath } from "./retry.js";

/**
 * How far the runner's clock may be from AWS's: a deployment of our revision created up to this long before our
 * first UpdateService is still taken for ours. An older one is someone else's, or an earlier run's.
 */
const CLOCK_SKEW_MS = 5_000;

function changeEcs<T>(options: ChangeOptions, operation: string, calls: Pick<Change<T>, "attempt" | "check">) {
  return change({ service: "ECS", operation, ...calls }, options);
}

export function registerOnce(ecs: ECSClient, input: RegisterTaskDefinitionCommandInput, options: ChangeOptions) {
  return changeEcs(options, "RegisterTaskDefinition", {
    attempt: (abortSignal) => ecs.send(once(new RegisterTaskDefinitionCommand(input)), { abortSignal }),
    check: (_since, abortSignal) => registeredAlready(ecs, input, abortSignal),
  });
}

/** UpdateService that starts a deployment (ours, or our rollback's). */
export function deployOnce(ecs: ECSClient, input: UpdateServiceCommandInput, options: ChangeOptions) {
  return changeEcs(options, "UpdateService", {
    attempt: (abortSignal) => ecs.send(once(new UpdateServiceCommand(input)), { abortSignal }),
    check: (since, abortSignal) => deployedSince(ecs, input, since, abortSignal),
  });
}

/** UpdateService of the desired count alone: setting a count twice sets it once, so it is simply tried again. */
export function scaleOnce(ecs: ECSClient, input: UpdateServiceCommandInput, options: ChangeOptions) {
  return changeEcs(options, "UpdateService", {
    attempt: (abortSignal) => ecs.send(once(new UpdateServiceCommand(input)), { abortSignal }),
  });
}

export function deregisterOnce(ecs: ECSClient, taskDefinition: string, options: ChangeOptions) {
  return changeEcs(options, "DeregisterTaskDefinition", {
    attempt: (abortSignal) => ecs.send(once(new DeregisterTaskDefinitionCommand({ taskDefinition })), { abortSignal }),
    check: (_since, abortSignal) => inactiveAlready(ecs, taskDefinition, abortSignal),
  });
}

/** After a lost UpdateService answer: the service, when it holds a deployment of our revision started since. */
async function deployedSince(ecs: ECSClient, input: UpdateServiceCommandInput, since: number, signal: AbortSignal) {
  const ask = new DescribeServicesCommand({ cluster: input.cluster, services: [input.service ?? ""] });
  const out = await ecs.send(once(ask), { abortSignal: signal });
  const service = out.services?.[0];
  const ours = service?.deployments?.some(
    (d) => d.taskDefinition === input.taskDefinition && (d.createdAt?.getTime() ?? 0) >= since - CLOCK_SKEW_MS,
  );
  return ours ? { service, $metadata: out.$metadata } : undefined;
}

/** After a lost RegisterTaskDefinition answer: the family's newest revision, when it is the one we sent. */
async function registeredAlready(ecs: ECSClient, input: RegisterTaskDefinitionCommandInput, signal: AbortSignal) {
  const ask = new DescribeTaskDefinitionCommand({ taskDefinition: input.family, include: ["TAGS"] });
  const out = await ecs.send(once(ask), { abortSignal: signal }).catch((error: unknown) => {
    // A family without a revision yet: nothing was registered.
    if ((underneath(error) as Error | undefined)?.name === "ClientException") return undefined;
    throw error;
  });
  const newest = out?.taskDefinition && { ...out.taskDefinition, tags: out.tags };
  return out && newest && sameTaskDefinition(newest, input) ? out : undefined;
}

/** After a lost DeregisterTaskDefinition answer: the revision, when it is INACTIVE already. */
async function inactiveAlready(ecs: ECSClient, taskDefinition: string, signal: AbortSignal) {
  const out = await ecs.send(once(new DescribeTaskDefinitionCommand({ taskDefinition })), { abortSignal: signal });
  return out.taskDefinition?.status === "INACTIVE" ? out : undefined;
}
