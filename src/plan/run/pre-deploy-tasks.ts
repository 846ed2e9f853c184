// Pure: the pre-deploy tasks of a config, where they run (the service's own network and compute), and the RunTask
// request of each. The pre-flight judges the service's side here; steps/run-pre-deploy.ts runs them.
import { createHash } from "node:crypto";
import type {
  CapacityProviderStrategyItem,
  Cluster,
  LaunchType,
  NetworkConfiguration,
  RegisterTaskDefinitionCommandInput,
  RunTaskCommandInput,
  Service,
} from "@aws-sdk/client-ecs";
import type { Config } from "../../config/index.js";
import type { Problem } from "../../errors.js";
import type { ServiceSettings } from "../service/settings.js";
import type { RunContext } from "./provenance.js";

/** One `[[pre_deploy]]` entry with its defaults filled in. */
export interface PreDeployTask {
  /** 0-based, in the order the config lists them */
  index: number;
  name: string;
  container: string;
  command: string[];
  environment: Record<string, string>;
  timeoutMs: number;
  /** which log lines are shown: `all` as they come, `failure` the last ones of a failed run, `none` */
  printLogs: "all" | "failure" | "none";
}

/** Where the tasks run: the service's network and compute, as RunTask takes them. */
export interface Launch {
  networkConfiguration: NetworkConfiguration;
  /** the service's own, or the cluster's default strategy; never with a launch type */
  capacityProviderStrategy?: CapacityProviderStrategyItem[] | undefined;
  launchType?: LaunchType | undefined;
  platformVersion?: string | undefined;
  /** in words, for the log: `launch type FARGATE (the service's)` */
  compute: string;
}

export function preDeployTasks(config: Pick<Config, "pre_deploy" | "container_name">): PreDeployTask[] {
  return (config.pre_deploy ?? []).map((task, index) => ({
    index,
    name: task.name ?? commandText(task.command),
    container: task.container ?? config.container_name,
    command: task.command,
    environment: task.environment,
    timeoutMs: Math.round(task.timeout * 60_000),
    printLogs: task.print_logs,
  }));
}

/** `bin/rails db:migrate`, with an argument that holds spaces or quotes shown quoted. */
export function commandText(command: readonly string[]): string {
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ");
}

/**
 * The pre-flight's part: each task's container is in the task definition this deploy registers, and the service
 * has a network a task can run in. `network` is the one the service will have: the config's [network] over its own.
 */
export function judgePreDeploy(
  config: Pick<Config, "pre_deploy" | "container_name" | "service">,
  taskDefinition: Pick<RegisterTaskDefinitionCommandInput, "containerDefinitions">,
  found: { service: Service | undefined; cluster: Cluster | undefined } | undefined,
  settings: Pick<ServiceSettings, "networkConfiguration"> | undefined,
): { problems: Problem[]; launch?: Launch } {
  const tasks = preDeployTasks(config);
  if (tasks.length === 0 || !found?.service) return { problems: [] };
  const names = (taskDefinition.containerDefinitions ?? []).map((c) => c.name ?? "");
  const problems: Problem[] = tasks
    .filter((task) => !names.includes(task.container))
    .map((task) => ({
      key: "pre_deploy",
      message: `pre-deploy task \`${task.name}\` (\`pre_deploy[${task.index}].container\`) runs in container \`${task.container}\`, which the new task definition does not have: it has ${names.map((n) => `\`${n}\``).join(", ")}`,
    }));
  const network = settings?.networkConfiguration ?? found.service.networkConfiguration;
  if (!network?.awsvpcConfiguration?.subnets?.length) {
    problems.push({
      key: "pre_deploy",
      message: `service \`${config.service}\` has no network configuration (awsvpc subnets) for its pre-deploy tasks to run in: give the service one, or set [network] subnets in the config`,
    });
    return { problems };
  }
  return { problems, launch: { networkConfiguration: network, ...compute(found.service, found.cluster) } };
}

/**
 * The service's capacity provider strategy, else its launch type, else the cluster's default strategy: what ECS
 * itself would launch the service's tasks with. RunTask refuses a strategy with a launch type, so never both.
 */
function compute(service: Service, cluster: Cluster | undefined): Omit<Launch, "networkConfiguration"> {
  const platform = service.platformVersion ? { platformVersion: service.platformVersion } : {};
  const own = service.capacityProviderStrategy ?? [];
  if (own.length > 0) {
    return { capacityProviderStrategy: own, ...platform, compute: `${strategyText(own)} (the service's strategy)` };
  }
  if (service.launchType) {
    return {
      launchType: service.launchType,
      ...platform,
      compute: `launch type ${service.launchType} (the service's)`,
    };
  }
  const defaults = cluster?.defaultCapacityProviderStrategy ?? [];
  return {
    capacityProviderStrategy: defaults,
    ...platform,
    compute: `${strategyText(defaults)} (the cluster's default strategy)`,
  };
}

function strategyText(strategy: readonly CapacityProviderStrategyItem[]): string {
  const items = strategy.map((s) => `${s.capacityProvider}${s.base ? ` base ${s.base}` : ""} weight ${s.weight ?? 0}`);
  return `capacity providers ${items.join(", ") || "none"}`;
}

/** `subnets a, b; security groups sg-1; public IP DISABLED`: the network of a task, for the log and the dry run. */
export function networkText(network: NetworkConfiguration): string {
  const vpc = network.awsvpcConfiguration;
  const groups = vpc?.securityGroups?.length ? vpc.securityGroups.join(", ") : "the VPC's default";
  return `subnets ${(vpc?.subnets ?? []).join(", ")}; security groups ${groups}; public IP ${vpc?.assignPublicIp ?? "DISABLED"}`;
}

/** What names a run in `startedBy` and makes its `clientToken`. */
export interface RunIdentity {
  /** `run-1234567890-1` on GitHub Actions (run id and attempt), `local-3f2a9c1e` elsewhere */
  label: string;
  /** what makes two calls the same run's: repository, run id and attempt, or the process's own nonce */
  key: string;
}

/**
 * A workflow run's attempt is a run: a re-run (a new attempt) runs the tasks again, since the last attempt's may
 * have failed. Off GitHub Actions each process is a run of its own, told apart by `nonce`.
 */
export function runIdentity(run: Pick<RunContext, "repository" | "runId" | "runAttempt"> | undefined, nonce: string) {
  if (run?.runId && /^\d+$/.test(run.runId)) {
    const attempt = /^\d+$/.test(run.runAttempt) ? run.runAttempt : "1";
    return { label: `run-${run.runId}-${attempt}`, key: `${run.repository}/${run.runId}/${attempt}` };
  }
  const local = nonce.replace(/[^A-Za-z0-9]/g, "").slice(0, 16) || "0";
  return { label: `local-${local}`, key: `local/${local}` };
}

const STARTED_BY_MAX = 128;
const TOKEN_PREFIX = "deploy-action-";

/** `deploy-action/run-1234-1/1-migrate`: letters, digits, - / and _ only, at most 128 characters (RunTask's rule). */
export function startedBy(run: RunIdentity, task: Pick<PreDeployTask, "index" | "name">): string {
  const slug = task.name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "task";
  return `deploy-action/${run.label}/${task.index + 1}-${slug}`.slice(0, STARTED_BY_MAX);
}

/**
 * The RunTask request of one task: the new revision, the service's network and compute, the command and extra
 * environment as an override of its container, and a clientToken that is the same for the same run and request
 * (a retry returns the task already started, for 24 h) and new for a new run.
 */
export function runTaskRequest(args: {
  cluster: string;
  taskDefinitionArn: string;
  launch: Launch;
  task: PreDeployTask;
  run: RunIdentity;
}): RunTaskCommandInput {
  const { launch, task } = args;
  const environment = Object.entries(task.environment).map(([name, value]) => ({ name, value }));
  const request: RunTaskCommandInput = {
    cluster: args.cluster,
    taskDefinition: args.taskDefinitionArn,
    count: 1,
    networkConfiguration: launch.networkConfiguration,
    // An empty strategy (a cluster without a default one) is left out: RunTask then takes ECS's default.
    ...(launch.capacityProviderStrategy?.length ? { capacityProviderStrategy: launch.capacityProviderStrategy } : {}),
    ...(launch.launchType ? { launchType: launch.launchType } : {}),
    ...(launch.platformVersion ? { platformVersion: launch.platformVersion } : {}),
    startedBy: startedBy(args.run, task),
    overrides: {
      containerOverrides: [
        { name: task.container, command: task.command, ...(environment.length > 0 ? { environment } : {}) },
      ],
    },
  };
  return { ...request, clientToken: clientToken(args.run, request) };
}

/** At most 64 printable ASCII characters (RunTask's rule): the prefix and 40 hex digits of a hash. */
function clientToken(run: RunIdentity, request: RunTaskCommandInput): string {
  const digest = createHash("sha256")
    .update(`${run.key}\n${JSON.stringify(request)}`)
    .digest("hex");
  return `${TOKEN_PREFIX}${digest.slice(0, 40)}`;
}
