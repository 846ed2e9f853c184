// Step: wait for our deployment's verdict; on failure say why at once, then roll back (unless told to leave it)
// and fail the step with the root cause first.
import * as core from "@actions/core";
import type { Clients } from "./aws.js";
import type { Config } from "./config/index.js";
import { updateService } from "./deploy.js";
import { DeployError } from "./errors.js";
import type { Inputs } from "./inputs.js";
import type { Preflight } from "./preflight.js";
import type { Revision } from "./register.js";
import type { DeployReport, Result } from "./report/summary.js";
import { renderTimeline, type WatchResult, watchRollout } from "./rollout/index.js";
import { shortTaskDefinition } from "./text.js";

export interface WaitArgs {
  clients: Clients;
  inputs: Inputs;
  config: Config;
  deploymentId: string;
  revision: Revision;
  checked: Preflight;
  report: DeployReport;
  signal: AbortSignal;
}

/**
 * The rollback goes back to a revision that ran a moment ago, so it is quick or it is stuck: the job should not
 * hang another full wait-timeout after the failure is known. ECS goes on with it either way.
 */
export const ROLLBACK_TIMEOUT_MS = 10 * 60_000;

interface Watched {
  deploymentId: string;
  taskDefinitionArn: string;
  previous: string | undefined;
  timeoutMs: number;
}

export async function waitStep(args: WaitArgs): Promise<void> {
  const { revision, checked, report, inputs } = args;
  const previous = checked.target.taskDefinition;
  const ours = { deploymentId: args.deploymentId, taskDefinitionArn: revision.arn, previous };
  const result = await core.group("Wait for rollout", () => watch(args, { ...ours, timeoutMs: inputs.waitTimeoutMs }));
  report.timeline = renderTimeline(result.timeline);
  report.result = resultOf(result);
  core.setOutput("result", result.outcome);
  if (result.outcome === "succeeded") {
    core.info(result.message);
    return;
  }
  // Say why now: a rollback can take minutes, and the reason must not wait for it.
  for (const line of [`Rollout ${result.outcome}: ${result.message}`, ...result.details]) core.info(line);
  if (!args.signal.aborted && shouldRollBack(inputs, result, previous, revision.arn)) {
    const rollback = await core.group("Roll back", () => rollBack(args, previous ?? ""));
    report.rollback = rollback.text;
    if (rollback.timeline) report.rollbackTimeline = rollback.timeline;
  }
  throw new DeployError(result.message, report.rollback ? [...result.details, report.rollback] : result.details);
}

function watch(args: WaitArgs, watched: Watched) {
  const { clients, inputs, config } = args;
  return watchRollout({
    clients,
    cluster: config.cluster,
    service: config.service,
    deploymentId: watched.deploymentId,
    taskDefinitionArn: watched.taskDefinitionArn,
    ...(watched.previous ? { previousTaskDefinitionArn: watched.previous } : {}),
    timeoutMs: watched.timeoutMs,
    pollMs: inputs.pollIntervalMs,
    maxFailedTasks: inputs.maxFailedTasks,
    log: (line) => core.info(line),
    signal: args.signal,
  });
}

function resultOf(result: WatchResult): Result {
  if (result.outcome === "succeeded") return "succeeded";
  if (result.outcome === "timed-out") return "timed-out";
  if (result.outcome === "cancelled") return "cancelled";
  return "failed";
}

/**
 * Roll back only what is ours to roll back: not when ECS already did (circuit breaker), not when someone
 * else's newer deploy replaced ours, not on cancel, not when there is nothing to go back to, not when "back" is
 * our own revision (a forced new deployment of a reused revision), and not when the wait itself broke down
 * (AccessDenied, expired credentials): the rollout may be fine.
 */
export function shouldRollBack(
  inputs: Pick<Inputs, "onFailure">,
  result: WatchResult,
  previous: string | undefined,
  ours: string,
): boolean {
  if (inputs.onFailure !== "rollback" || !previous || previous === ours) return false;
  if (result.outcome !== "failed" && result.outcome !== "timed-out") return false;
  if (result.rolledBackTo) return false;
  return result.cause !== "replaced" && result.cause !== "rolled-back" && result.cause !== "wait-error";
}

async function rollBack(args: WaitArgs, previous: string): Promise<{ text: string; timeline?: string }> {
  const { clients, config, inputs } = args;
  const revision = shortTaskDefinition(previous);
  core.info(`Rolling back ${config.service} to ${revision}`);
  try {
    const started = await updateService(clients.ecs, {
      cluster: config.cluster,
      service: config.service,
      taskDefinitionArn: previous,
    });
    const timeoutMs = Math.min(inputs.waitTimeoutMs, ROLLBACK_TIMEOUT_MS);
    const watched = { deploymentId: started.deploymentId, taskDefinitionArn: previous, previous: args.revision.arn };
    const result = await watch(args, { ...watched, timeoutMs });
    const text =
      result.outcome === "succeeded"
        ? `rolled back to ${revision}: the service is healthy on it again`
        : `rollback to ${revision} did not succeed: ${result.message}`;
    return { text, timeline: renderTimeline(result.timeline) };
  } catch (error) {
    return { text: `rollback to ${revision} failed: ${(error as Error).message}` };
  }
}
