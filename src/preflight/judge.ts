// Pure: what the pre-flight's answers mean. Every problem they show is found at once, and the task definition this
// deploy would register is built from them; steps/preflight.ts makes the calls.
import type { Cluster, RegisterTaskDefinitionCommandInput, Service } from "@aws-sdk/client-ecs";
import type { ParameterMetadata } from "@aws-sdk/client-ssm";
import type { Config } from "../config/index.js";
import type { Locate, Problem } from "../errors.js";
import type { ImageMap } from "../plan/images/input.js";
import type { ResolvedImages } from "../plan/images/registry.js";
import { judgePreDeploy, type Launch } from "../plan/run/pre-deploy-tasks.js";
import { type ServiceSettings, serviceChanges, serviceSettings } from "../plan/service/settings.js";
import { buildTaskDefinition } from "../plan/task-definition/build.js";
import type { DiffLine } from "../plan/task-definition/diff.js";
import type { DescribedTaskDefinition } from "../plan/task-definition/normalize.js";
import { type Secret, secretCollisions, secretsFromParameters } from "../plan/task-definition/secrets.js";
import { checkAccount, checkLoadBalancers } from "./checks.js";
import {
  checkExplicitSecrets,
  type ExplicitAnswers,
  type ExplicitSecret,
  explicitCollisions,
  explicitSecrets,
} from "./explicit-secrets.js";
import { checkTaskDefinitionSize } from "./limits.js";
import { checkNetwork, type NetworkFound } from "./network.js";
import { checkExisting, type Existing, existingSecrets, existingTaskDefinition } from "./revision.js";
import { strategyProblems } from "./strategy.js";
import { checkTarget, type ServiceState } from "./target.js";

/** Inputs → what to deploy: the validated config and one image per container. */
export interface Plan {
  config: Config;
  images: ImageMap;
  locate: Locate;
  /** Tags beside the config's: the commit this deploy comes from (plan/run/provenance.ts). */
  extraTags?: Record<string, string> | undefined;
  /** Which keys each config file gave (the config file last), when it extends others. */
  sources?: { file: string; keys: string[] }[] | undefined;
  /** The revision the `task-definition` input names, once described: deployed as it is, instead of a rendered one. */
  existing?: Existing | undefined;
}

/**
 * A deploy that passed the pre-flight: what the service runs now, and what this deploy would register and change.
 * The steps after the pre-flight read it; nothing in it has been changed in AWS yet.
 */
export interface Deployable {
  target: ServiceState;
  secrets: Secret[];
  images: ResolvedImages;
  /** What the service runs now, described with its tags: the base of the diff and of "nothing changed". */
  current: DescribedTaskDefinition | undefined;
  /** The task definition this deploy registers, with pinned images. */
  taskDefinition: RegisterTaskDefinitionCommandInput;
  /** The secret whose parameter changed last: a change after the running deployment started needs new tasks. */
  newestSecret?: { name: string; modifiedAt: Date } | undefined;
  /** The service settings the config sets, as UpdateService takes them, and what they change. */
  service?: { settings: ServiceSettings; changes: DiffLine[] } | undefined;
  /** What was not checked (another account's parameter, say): said as warnings. */
  warnings?: string[] | undefined;
  /** Where the pre-deploy tasks run (the service's network and compute), when the config has any. */
  preDeploy?: Launch | undefined;
  /** The existing revision deployed as it is (the `task-definition` input): nothing is registered. */
  existing?: { arn: string; revision: number; name: string } | undefined;
}

/** What the pre-flight's calls answered; undefined where a call failed (its error is among the problems). */
export interface Answers {
  found?: { cluster: Cluster | undefined; service: Service | undefined } | undefined;
  parameters?: ParameterMetadata[] | undefined;
  account?: string | undefined;
  images?: ResolvedImages | undefined;
  network?: NetworkFound | undefined;
  explicit?: ExplicitAnswers | undefined;
}

export interface Judged {
  problems: Problem[];
  target?: ServiceState | undefined;
  secrets: Secret[];
  taskDefinition: RegisterTaskDefinitionCommandInput;
  newestSecret?: { name: string; modifiedAt: Date } | undefined;
  service?: { settings: ServiceSettings; changes: DiffLine[] } | undefined;
  warnings: string[];
  preDeploy?: Launch | undefined;
}

export function judgePreflight(plan: Plan, answers: Answers): Judged {
  const { config } = plan;
  const { state, problems: targetProblems } = answers.found ? checkTarget(config, answers.found) : { problems: [] };
  const scope = { path: config.secrets_path, region: config.region, account: config.account };
  const { existing } = plan;
  // An existing revision carries its own secrets: the parameters under secrets_path are not its.
  const discovered = existing ? { secrets: [], problems: [] } : secretsFromParameters(answers.parameters ?? [], scope);
  const pinned = new Map((answers.images?.resolved ?? []).map((image) => [image.container, image.pinned]));
  const images = new Map([...plan.images, ...pinned]);
  const taskDefinition = existing
    ? existingTaskDefinition(existing)
    : buildTaskDefinition(config, images, discovered.secrets, plan.extraTags);
  const explicit = secretsToCheck(plan);
  const checkedExplicit = answers.explicit
    ? checkExplicitSecrets(explicit, answers.explicit, config.account)
    : { problems: [], warnings: [] };
  const settings = state && serviceSettings(config, state.settings);
  const preDeploy = state ? judgePreDeploy(config, taskDefinition, answers.found, settings) : { problems: [] };
  const problems = [
    ...(answers.account === undefined ? [] : checkAccount(answers.account, config)),
    ...(existing ? checkExisting(existing, config) : []),
    ...targetProblems,
    ...(answers.images?.problems ?? []),
    ...discovered.problems,
    ...secretCollisions(discovered.secrets, config.environment),
    ...checkLoadBalancers(state?.loadBalancers ?? [], taskDefinition),
    ...(answers.network ? checkNetwork(answers.network) : []),
    ...checkedExplicit.problems,
    ...explicitCollisions(explicit, discovered.secrets),
    ...checkTaskDefinitionSize(taskDefinition),
    ...preDeploy.problems,
    ...(state ? strategyProblems(config, state) : []),
  ];
  const newestSecret = lastModified(answers.parameters ?? [], discovered.secrets);
  const service = state && settings && { settings, changes: serviceChanges(settings, state.settings) };
  const warnings = checkedExplicit.warnings;
  const launch = preDeploy.launch;
  return {
    problems,
    target: state,
    secrets: discovered.secrets,
    taskDefinition,
    newestSecret,
    service,
    warnings,
    preDeploy: launch,
  };
}

/** The explicit secrets the pre-flight looks up: the config's, or the existing revision's. */
export function secretsToCheck({ config, existing }: Pick<Plan, "config" | "existing">): ExplicitSecret[] {
  return existing ? existingSecrets(existing, config) : explicitSecrets(config);
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
