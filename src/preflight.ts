// Everything we must know before the first change, fetched concurrently and checked together: a failing check
// stops the deploy before anything is registered or updated, with every problem reported at once.
import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import type { ParameterMetadata } from "@aws-sdk/client-ssm";
import type { Clients } from "./aws.js";
import { AwsError, awsCall, isCredentialsError } from "./aws-errors.js";
import { callerAccount, checkAccount, checkLoadBalancers } from "./checks.js";
import { checkEcrImages, type ResolvedImages } from "./ecr.js";
import { PreflightError, type Problem } from "./errors.js";
import type { DescribedTaskDefinition } from "./normalize.js";
import type { Plan } from "./plan.js";
import { listParameters, type Secret, secretCollisions, secretsFromParameters } from "./secrets.js";
import { checkTarget, describeTarget, type ServiceState } from "./service.js";
import { buildTaskDefinition } from "./task-definition.js";

export interface Preflight {
  target: ServiceState;
  secrets: Secret[];
  images: ResolvedImages;
  /** What the service runs now, described with its tags: the base of the diff and of "nothing changed". */
  current: DescribedTaskDefinition | undefined;
  /** The task definition this deploy registers, with pinned images. */
  taskDefinition: RegisterTaskDefinitionCommandInput;
  /** The secret whose parameter changed last: a change after the running deployment started needs new tasks. */
  newestSecret?: { name: string; modifiedAt: Date } | undefined;
}

export async function preflight(clients: Clients, plan: Plan, options: { pin: boolean }): Promise<Preflight> {
  const { config } = plan;
  // One concurrent round: nothing here depends on another answer. Settled, not all: an AWS error in one call (an
  // AccessDenied, say) is one more problem to report, and must not hide what the other checks found.
  const settled = await Promise.allSettled([
    describeTarget(clients.ecs, config.cluster, config.service),
    listParameters(clients.ssm, config.secrets_path),
    callerAccount(clients.sts),
    checkEcrImages(clients.ecrFor, plan.images, options),
    // Usually the revision the service runs; fetched now so the diff costs no extra round trip.
    describeTaskDefinition(clients.ecs, config.family),
  ]);
  const problems = awsProblems(settled);
  const [found, parameters, account, images, latest] = [
    answerOf(settled[0]),
    answerOf(settled[1]),
    answerOf(settled[2]),
    answerOf(settled[3]),
    answerOf(settled[4]),
  ];
  const { state, problems: targetProblems } = found ? checkTarget(config, found) : { problems: [] };
  const scope = { path: config.secrets_path, region: config.region, account: config.account };
  const discovered = secretsFromParameters(parameters ?? [], scope);
  const pinned = new Map((images?.resolved ?? []).map((image) => [image.container, image.pinned]));
  const taskDefinition = buildTaskDefinition(config, new Map([...plan.images, ...pinned]), discovered.secrets);
  problems.push(
    ...(account === undefined ? [] : checkAccount(account, config)),
    ...targetProblems,
    ...(images?.problems ?? []),
    ...discovered.problems,
    ...secretCollisions(discovered.secrets, config.environment),
    ...checkLoadBalancers(state?.loadBalancers ?? [], taskDefinition),
  );
  if (problems.length > 0 || !state || !images) {
    throw new PreflightError("Pre-flight checks failed; nothing was changed in AWS", problems);
  }
  const current = await currentTaskDefinition(clients.ecs, state, latest);
  const newestSecret = lastModified(parameters ?? [], discovered.secrets);
  return { target: state, secrets: discovered.secrets, images, current, taskDefinition, newestSecret };
}

/** The secret of ours whose parameter changed last (DescribeParameters says when; no value is read). */
function lastModified(parameters: readonly ParameterMetadata[], secrets: readonly Secret[]) {
  const ours = new Set(secrets.map((s) => s.name));
  let newest: { name: string; modifiedAt: Date } | undefined;
  for (const p of parameters) {
    const name = p.Name?.split("/").pop() ?? "";
    const at = p.LastModifiedDate;
    if (at && ours.has(name) && (!newest || at > newest.modifiedAt)) newest = { name, modifiedAt: at };
  }
  return newest;
}

/** A call's answer, or undefined when it failed (its error is among the problems: see awsProblems). */
function answerOf<T>(result: PromiseSettledResult<T>): T | undefined {
  return result.status === "fulfilled" ? result.value : undefined;
}

/**
 * The calls' AWS errors as problems. No config key: the fix is a permission or the credentials, not the file. One
 * credentials error stands for all, since every call fails alike without credentials. Anything but an AWS error is
 * a bug, and is thrown.
 */
function awsProblems(results: readonly PromiseSettledResult<unknown>[]): Problem[] {
  const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  const bug = errors.find((e) => !(e instanceof AwsError));
  if (bug !== undefined) throw bug;
  const aws = errors as AwsError[];
  const credentials = aws.find((e) => isCredentialsError(e.cause));
  const messages = credentials ? [credentials.message] : [...new Set(aws.map((e) => e.message))];
  return messages.map((message) => ({ message }));
}

async function currentTaskDefinition(
  ecs: ECSClient,
  state: ServiceState,
  latest: DescribedTaskDefinition | undefined,
): Promise<DescribedTaskDefinition | undefined> {
  if (!state.taskDefinition) return undefined;
  if (latest?.taskDefinitionArn === state.taskDefinition) return latest;
  return describeTaskDefinition(ecs, state.taskDefinition);
}

/** A family with no revision yet is not an error: there is simply nothing to compare with. */
async function describeTaskDefinition(
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
