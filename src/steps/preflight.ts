// Step: everything we must know before the first change, fetched concurrently and checked together. A failing check
// stops the deploy before anything is registered or updated, with every problem reported at once.
import type { Clients } from "../aws/clients.js";
import { describeNetwork } from "../aws/ec2.js";
import { checkEcrImages } from "../aws/ecr.js";
import { describeTarget, describeTaskDefinition } from "../aws/ecs.js";
import { AwsError, isCredentialsError } from "../aws/errors.js";
import { describeSecret } from "../aws/secrets-manager.js";
import { describeParametersByName, listParameters } from "../aws/ssm.js";
import { callerAccount } from "../aws/sts.js";
import { PreflightError, type Problem } from "../errors.js";
import type { DescribedTaskDefinition } from "../plan/task-definition/normalize.js";
import { type ExplicitAnswers, type ExplicitSecret, parameterLookups } from "../preflight/explicit-secrets.js";
import { type Deployable, judgePreflight, type Plan, secretsToCheck } from "../preflight/judge.js";
import { networkIds } from "../preflight/network.js";
import { existingImages, existingRevision } from "../preflight/revision.js";
import type { ServiceState } from "../preflight/target.js";
import { secretNames } from "../report/outcomes.js";
import type { RunContext } from "./context.js";
import { sdkProblems, startTaskIps, wiringProblems } from "./preflight-wiring.js";

export type { Deployable, Plan } from "../preflight/judge.js";

export async function preflight(clients: Clients, plan: Plan, options: { pin: boolean }): Promise<Deployable> {
  const { config } = plan;
  const network = networkIds(config);
  const taskIps = startTaskIps(clients, config);
  // One concurrent round: nothing here depends on another answer. Settled, not all: an AWS error in one call (an
  // AccessDenied, say) is one more problem to report, and must not hide what the other checks found.
  const settled = await Promise.allSettled([
    describeTarget(clients.ecs, config.cluster, config.service),
    listParameters(clients.ssm, config.secrets_path),
    callerAccount(clients.sts),
    // An existing revision is deployed exactly as it was: its images are checked, never re-pinned.
    checkEcrImages(clients.ecrFor, plan.images, { pin: options.pin && !plan.existing, account: config.account }),
    // Usually the revision the service runs; fetched now so the diff costs no extra round trip.
    describeTaskDefinition(clients.ecs, config.family),
    network.subnets.length + network.securityGroups.length > 0 ? describeNetwork(clients.ec2, network) : undefined,
    lookUpExplicitSecrets(clients, secretsToCheck(plan), config.account),
  ]);
  const [found, parameters, account, images, latest, networkFound, explicit] = [
    answerOf(settled[0]),
    answerOf(settled[1]),
    answerOf(settled[2]),
    answerOf(settled[3]),
    answerOf(settled[4]),
    answerOf(settled[5]),
    answerOf(settled[6]),
  ];
  const judged = judgePreflight(plan, { found, parameters, account, images, network: networkFound, explicit });
  const state = judged.target;
  // The second round: the wiring of a blue/green deploy (its target groups and rules, named by the service) beside
  // the service's revision, when the family's newest is not it.
  const early = [...awsProblems(settled), ...judged.problems];
  const [wiring, current] = state
    ? await Promise.all([
        wiringProblems(clients, config, state, taskIps),
        early.length === 0 ? currentTaskDefinition(clients, state, latest) : undefined,
      ])
    : [[], undefined];
  const problems = [...early, ...wiring, ...sdkProblems(judged.service?.settings)];
  if (problems.length > 0 || !state || !images) {
    throw new PreflightError("Pre-flight checks failed; nothing was changed in AWS", problems);
  }
  const { secrets, taskDefinition, newestSecret, service, warnings, preDeploy } = judged;
  const existing = plan.existing && existingRevision(plan.existing);
  return {
    target: state,
    secrets,
    images,
    current,
    taskDefinition,
    newestSecret,
    service,
    warnings,
    preDeploy,
    existing,
  };
}

/**
 * Each explicit secret by a metadata call: DescribeSecret per Secrets Manager secret, one DescribeParameters per
 * region for the SSM ones, all at once. A lookup that fails is an AWS problem; the values are never read.
 */
async function lookUpExplicitSecrets(
  clients: Clients,
  secrets: readonly ExplicitSecret[],
  account: string,
): Promise<ExplicitAnswers> {
  const managed = [...new Set(secrets.filter((s) => s.kind === "secretsmanager").map((s) => s.lookup))];
  const regionOf = (arn: string) => arn.split(":")[3] ?? "";
  const [found, parameters] = await Promise.all([
    Promise.all(
      managed.map(async (arn) => [arn, await describeSecret(clients.secretsManagerFor(regionOf(arn)), arn)] as const),
    ),
    Promise.all(
      [...parameterLookups(secrets, account)].map(
        async ([region, names]) => [region, await describeParametersByName(clients.ssmFor(region), names)] as const,
      ),
    ),
  ]);
  return { secrets: new Map(found), parameters: new Map(parameters) };
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
  clients: Clients,
  state: ServiceState,
  latest: DescribedTaskDefinition | undefined,
): Promise<DescribedTaskDefinition | undefined> {
  if (!state.taskDefinition) return undefined;
  if (latest?.taskDefinitionArn === state.taskDefinition) return latest;
  return describeTaskDefinition(clients.ecs, state.taskDefinition);
}

/**
 * The `task-definition` input: the revision it names, described first (its images and secrets are what the checks
 * look up). A revision that does not exist is the pre-flight's problem, reported before anything is changed.
 */
export async function withExisting(clients: Clients, plan: Plan, asked: string | undefined): Promise<Plan> {
  if (asked === undefined) return plan;
  const described = await describeTaskDefinition(clients.ecs, asked);
  if (!described) {
    throw new PreflightError("Pre-flight checks failed; nothing was changed in AWS", [
      {
        message: `input \`task-definition\`: ${asked} does not exist (DescribeTaskDefinition): name a registered revision, like ${plan.config.family}:1`,
      },
    ]);
  }
  const existing = { asked, described };
  return { ...plan, existing, images: existingImages(existing) };
}

export async function preflightStep(
  { host, clients }: RunContext,
  { plan: given, pinImages, taskDefinition }: { plan: Plan; pinImages: boolean; taskDefinition?: string | undefined },
): Promise<Deployable> {
  const plan = await withExisting(clients, given, taskDefinition);
  const { config } = plan;
  if (plan.existing)
    host.info(`Deploying ${plan.existing.described.taskDefinitionArn} as it is: nothing is rendered or registered`);
  const deployable = await preflight(clients, plan, { pin: pinImages });
  host.info(`Service ${config.service} in ${config.cluster} runs ${deployable.target.taskDefinition ?? "nothing yet"}`);
  const secrets = secretNames(deployable).join(", ") || "none";
  const where = deployable.existing ? `of ${deployable.existing.name}` : `under ${config.secrets_path}`;
  host.info(`Secrets ${where}: ${secrets}`);
  const network = config.network?.subnets || config.network?.security_groups ? ", subnets and security groups" : "";
  const tasks = deployable.preDeploy ? ", pre-deploy tasks" : "";
  host.info(
    `Account, cluster, service, images, load balancers, secrets${network}, task definition size${tasks}: all checks passed`,
  );
  return deployable;
}
