// Step: the pre-deploy tasks, in order, each in its own group: RunTask of the new revision with the service's own
// network and compute, followed to its verdict. A task that does not exit 0 stops the deploy before UpdateService,
// with a first line that says which task, why, and that the service still runs its previous revision. They run
// whenever this deploy starts a deployment (a new revision, or the same one again: force-new-deployment, a
// rotated secret, an image tag): not when nothing is deployed or only the desired count changes, since the
// service's tasks already run that revision.
import { randomBytes } from "node:crypto";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import type { Clients } from "../aws/clients.js";
import type { Config } from "../config/index.js";
import { DeployError } from "../errors.js";
import type { Host } from "../host/host.js";
import type { Inputs } from "../inputs.js";
import {
  commandText,
  type Launch,
  networkText,
  type PreDeployTask,
  preDeployTasks,
  runIdentity,
  runTaskRequest,
} from "../plan/run/pre-deploy-tasks.js";
import type { Decision } from "../plan/service/decision.js";
import { awslogsStream } from "../plan/task-definition/awslogs.js";
import type { Deployable } from "../preflight/judge.js";
import type { PreDeployReport, PreDeployRun } from "../report/pre-deploy-section.js";
import { type FollowResult, followPreDeployTask } from "../task/follow.js";
import { oneLine } from "../text/inert.js";
import { formatDuration, lastSegment, shortenArns, shortTaskDefinition } from "../text/names.js";
import type { RunContext } from "./context.js";
import type { Revision } from "./register.js";

export interface PreDeployArgs {
  host: Host;
  clients: Clients;
  config: Config;
  inputs: Pick<Inputs, "pollIntervalMs">;
  deployable: Deployable;
  decision: Decision;
  revision: Revision;
  githubRun?: RunContext["githubRun"];
  signal: AbortSignal;
  /** injected clock and sleep, for tests */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type PreDeployInput = Pick<PreDeployArgs, "inputs" | "deployable" | "decision" | "revision">;

/** What the pre-deploy step did: the summary's section, whether tasks ran, and why the deploy stops, when it does. */
export interface PreDeployOutcome {
  section: PreDeployReport;
  /** RunTask was this deploy's to call (a deployment starts): the tasks ran, or the cancel came before them */
  ran: boolean;
  /** a task that did not exit 0, a cancel, a failed call: the deploy stops before UpdateService with this */
  failure?: unknown;
}

/** Nothing when the config has no pre-deploy tasks. */
export async function preDeployStep(ctx: RunContext, input: PreDeployInput): Promise<PreDeployOutcome | undefined> {
  const args: PreDeployArgs = { ...ctx, ...input, ...ctx.clock };
  const tasks = preDeployTasks(args.config);
  if (tasks.length === 0) return undefined;
  const { host, decision, revision, deployable } = args;
  if (!decision.deployBecause) {
    const why = `not run: ${notRunBecause(decision, deployable)}`;
    host.info(`Pre-deploy tasks ${why}`);
    return {
      section: { summary: `Pre-deploy tasks ${why}.`, runs: tasks.map((t) => planned(t, "not-run")) },
      ran: false,
    };
  }
  const launch = deployable.preDeploy;
  if (!launch) throw new Error("the pre-flight checks gave no network for the pre-deploy tasks");
  const runs = tasks.map((t) => planned(t, "not-run"));
  const section = { summary: `Run with ${shortTaskDefinition(revision.arn)} before UpdateService, in order.`, runs };
  // The runs so far are the summary's whatever happens: what stopped the deploy goes back with them.
  const stopped: unknown = await runInOrder(args, tasks, launch, runs).catch((error: unknown) => error);
  return { section, ran: true, ...(stopped === undefined ? {} : { failure: stopped }) };
}

/** Each task in turn, its run noted in `runs`: the error that stops the deploy, or nothing when every one exited 0. */
async function runInOrder(
  args: PreDeployArgs,
  tasks: readonly PreDeployTask[],
  launch: Launch,
  runs: PreDeployRun[],
): Promise<DeployError | undefined> {
  const run = runIdentity(args.githubRun, randomBytes(8).toString("hex"));
  for (const task of tasks) {
    if (args.signal.aborted) {
      return new DeployError(`Cancelled before pre-deploy task ${quoted(task)}: ${stillRuns(args)}`, [], "cancelled");
    }
    const title = `Pre-deploy task ${task.index + 1} of ${tasks.length}: ${task.name}`;
    const result = await args.host.group(oneLine(title), () => runOne(args, task, launch, run));
    runs[task.index] = ran(task, result, launch);
    if (result.outcome !== "succeeded") return failure(args, task, result);
  }
  return undefined;
}

/** The dry run: the tasks it would run, their commands and the network they would use; no RunTask. */
export function preDeployDryRun(
  { host, config }: Pick<RunContext, "host" | "config">,
  { deployable, decision }: { deployable: Deployable; decision: Decision },
): PreDeployReport | undefined {
  const tasks = preDeployTasks(config);
  if (tasks.length === 0) return undefined;
  const launch = deployable.preDeploy;
  const where = launch ? whereLines(launch) : [];
  const summary = decision.deployBecause
    ? "Would run in order with the new revision, before UpdateService (a dry run runs none):"
    : `Would not run: ${notRunBecause(decision, deployable)}.`;
  host.untrusted([
    `Pre-deploy tasks: ${summary}`,
    ...tasks.map((t) => `  ${t.index + 1}. ${quoted(t)}: ${describe(t)}`),
    ...where.map((line) => `  ${line}`),
  ]);
  return { summary, runs: tasks.map((t) => ({ ...planned(t, "dry-run"), where })) };
}

async function runOne(args: PreDeployArgs, task: PreDeployTask, launch: Launch, run: ReturnType<typeof runIdentity>) {
  const { host, config, deployable, revision } = args;
  const request = runTaskRequest({ cluster: config.cluster, taskDefinitionArn: revision.arn, launch, task, run });
  host.untrusted([
    `Running ${quoted(task)} with ${shortTaskDefinition(revision.arn)}: ${describe(task)}`,
    ...whereLines(launch),
    `startedBy: ${request.startedBy}`,
  ]);
  const definitions = deployable.taskDefinition.containerDefinitions ?? [];
  const definition = definitions.find((d) => d.name === task.container);
  const result: FollowResult = await followPreDeployTask({
    clients: args.clients,
    request: { ...request, cluster: config.cluster },
    judge: { target: task.container, essential: essentialOf(definitions) },
    logStream: (taskArn) => awslogsStream(definition, task.container, taskArn),
    timeoutMs: task.timeoutMs,
    pollMs: lookIntervalMs(args.inputs.pollIntervalMs),
    // The app's own lines, redacted already; indented under the task's. Only with print_logs = "all".
    lines: (lines) => (task.printLogs === "all" ? host.untrusted(lines.map((line) => `  ${line}`)) : undefined),
    note: (line) => host.untrusted([shortenArns(line)]),
    signal: args.signal,
    ...(args.now ? { now: args.now } : {}),
    ...(args.sleep ? { sleep: args.sleep } : {}),
  });
  const took = formatDuration(result.durationMs);
  host.untrusted([shortenArns(`Pre-deploy task ${quoted(task)} ${result.reason} (after ${took})`)]);
  return result;
}

/** ECS stops a task when a container marked essential (the default) stops. */
function essentialOf(definitions: readonly ContainerDefinition[]): Set<string> {
  return new Set(definitions.filter((d) => d.essential !== false).map((d) => d.name ?? ""));
}

function failure(args: PreDeployArgs, task: PreDeployTask, result: FollowResult): DeployError {
  const headline = `Pre-deploy task ${quoted(task)} ${result.reason}; ${stillRuns(args)}`;
  const lines = task.printLogs === "none" ? [] : result.lastLines.map((line) => `  ${line}`);
  const logs = lines.length > 0 ? [`last ${lines.length} log lines of ${task.container}:`, ...lines] : [];
  const ends = result.outcome === "cancelled" ? "cancelled" : undefined;
  return new DeployError(oneLine(shortenArns(headline)), [...result.notes.map(shortenArns), ...logs], ends);
}

/** That the service was not touched, and what was: a revision registered, or the service's own reused. */
function stillRuns({ deployable, revision, decision }: PreDeployArgs): string {
  const previous = deployable.target.taskDefinition;
  const runs = previous ? `the service still runs ${shortTaskDefinition(previous)}` : "the service was not updated";
  const registered = decision.reuse ? "" : ` (${shortTaskDefinition(revision.arn)} is registered, not deployed)`;
  return `nothing was deployed: ${runs}${registered}`;
}

function notRunBecause(decision: Decision, deployable: Deployable): string {
  const revision = shortTaskDefinition(deployable.target.taskDefinition ?? "");
  if (decision.count)
    return `no deployment starts (the service runs ${revision} already; only its desired count changes)`;
  return `nothing is deployed (the service runs ${revision} already, which equals the rendered task definition)`;
}

function describe(task: PreDeployTask): string {
  const names = Object.keys(task.environment);
  const environment = names.length > 0 ? `, extra environment ${names.join(", ")}` : "";
  return `${commandText(task.command)} (container ${task.container}, timeout ${formatDuration(task.timeoutMs)}${environment})`;
}

function whereLines(launch: Launch): string[] {
  const platform = launch.platformVersion ? `, platform version ${launch.platformVersion}` : "";
  return [`network: ${networkText(launch.networkConfiguration)}`, `compute: ${launch.compute}${platform}`];
}

function quoted(task: PreDeployTask): string {
  return JSON.stringify(task.name);
}

function planned(task: PreDeployTask, outcome: "not-run" | "dry-run"): PreDeployRun {
  return { name: task.name, container: task.container, command: commandText(task.command), outcome };
}

function ran(task: PreDeployTask, result: FollowResult, launch: Launch): PreDeployRun {
  return {
    ...planned(task, "not-run"),
    outcome: result.outcome,
    reason: result.reason,
    exitCode: result.exitCode,
    ...(result.taskArn ? { task: `${lastSegment(result.taskArn).slice(0, 8)}…` } : {}),
    durationMs: result.durationMs,
    where: whereLines(launch),
    notes: result.notes,
    lastLines: shownLines(task, result),
  };
}

/** The log lines the summary shows: all of them with "all", a failed run's with "failure", none with "none". */
function shownLines(task: PreDeployTask, result: FollowResult): string[] {
  if (task.printLogs === "all") return result.lastLines;
  return task.printLogs === "failure" && result.outcome !== "succeeded" ? result.lastLines : [];
}

/**
 * A pre-deploy task is looked at twice per poll interval (at most every 0.5 s): its exit holds the deploy back, so
 * it is seen within half an interval, and the time it adds stays under one interval with the look's round trip.
 * One task's DescribeTasks and GetLogEvents are cheap beside ECS's shared read limits.
 */
export function lookIntervalMs(pollIntervalMs: number): number {
  return Math.max(500, pollIntervalMs / 2);
}
