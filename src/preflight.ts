// Everything we must know before the first change, fetched concurrently and checked together: a failing check
// stops the deploy before anything is registered or updated, with every problem reported at once.
import {
  DescribeTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import type { Clients } from "./aws.js";
import { AwsError, awsCall } from "./aws-errors.js";
import { callerAccount, checkAccount, checkLoadBalancers } from "./checks.js";
import { checkEcrImages, type ResolvedImages } from "./ecr.js";
import { PreflightError, type Problem } from "./errors.js";
import type { Plan } from "./plan.js";
import { listParameters, type Secret, secretCollisions, secretsFromParameters } from "./secrets.js";
import { checkTarget, describeTarget, type ServiceState } from "./service.js";
import { buildTaskDefinition } from "./task-definition.js";

export interface Preflight {
  target: ServiceState;
  secrets: Secret[];
  images: ResolvedImages;
  /** What the service runs now, described with its tags: the base of the diff and of "nothing changed". */
  current: CurrentTaskDefinition | undefined;
  /** The task definition this deploy registers, with pinned images. */
  taskDefinition: RegisterTaskDefinitionCommandInput;
}

/** A described revision with the tags AWS returns beside it. */
export type CurrentTaskDefinition = TaskDefinition & { tags?: Tag[] | undefined };

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
  const problems: Problem[] = [];
  const [found, parameters, account, images, latest] = [
    take(settled[0], "service", problems),
    take(settled[1], "secrets_path", problems),
    take(settled[2], "account", problems),
    take(settled[3], "images", problems),
    take(settled[4], "family", problems),
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
  return { target: state, secrets: discovered.secrets, images, current, taskDefinition };
}

/** A call's answer, or its AWS error as a problem of `key`. Anything but an AWS error is a bug: it is thrown. */
function take<T>(result: PromiseSettledResult<T>, key: string, problems: Problem[]): T | undefined {
  if (result.status === "fulfilled") return result.value;
  if (!(result.reason instanceof AwsError)) throw result.reason;
  problems.push({ key, message: result.reason.message });
  return undefined;
}

async function currentTaskDefinition(
  ecs: ECSClient,
  state: ServiceState,
  latest: CurrentTaskDefinition | undefined,
): Promise<CurrentTaskDefinition | undefined> {
  if (!state.taskDefinition) return undefined;
  if (latest?.taskDefinitionArn === state.taskDefinition) return latest;
  return describeTaskDefinition(ecs, state.taskDefinition);
}

/** A family with no revision yet is not an error: there is simply nothing to compare with. */
async function describeTaskDefinition(
  ecs: ECSClient,
  taskDefinition: string,
): Promise<CurrentTaskDefinition | undefined> {
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
