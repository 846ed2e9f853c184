// Step: wait for our deployment's verdict; on failure roll back (unless told to leave it) and fail the step
// with the root cause first.
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

export async function waitStep(args: WaitArgs): Promise<void> {
  const { revision, checked, report } = args;
  const previous = checked.target.taskDefinition;
  const result = await core.group("Wait for rollout", () => watch(args, args.deploymentId, revision.arn, previous));
  report.timeline = renderTimeline(result.timeline);
  report.result = resultOf(result);
  core.setOutput("result", result.outcome);
  if (result.outcome === "succeeded") {
    core.info(result.message);
    return;
  }
  if (shouldRollBack(args.inputs, result, previous)) {
    report.rollback = await core.group("Roll back", () => rollBack(args, previous ?? ""));
  }
  throw new DeployError(result.message, report.rollback ? [...result.details, report.rollback] : result.details);
}

function watch(args: WaitArgs, deploymentId: string, taskDefinitionArn: string, previous: string | undefined) {
  const { clients, inputs, config } = args;
  return watchRollout({
    clients,
    cluster: config.cluster,
    service: config.service,
    deploymentId,
    taskDefinitionArn,
    ...(previous ? { previousTaskDefinitionArn: previous } : {}),
    timeoutMs: inputs.waitTimeoutMs,
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
 * else's newer deploy replaced ours, not on cancel, and not when there is nothing to go back to.
 */
export function shouldRollBack(inputs: Pick<Inputs, "onFailure">, result: WatchResult, previous?: string): boolean {
  if (inputs.onFailure !== "rollback" || !previous) return false;
  if (result.outcome !== "failed" && result.outcome !== "timed-out") return false;
  if (result.rolledBackTo) return false;
  return result.cause !== "replaced" && result.cause !== "rolled-back";
}

async function rollBack(args: WaitArgs, previous: string): Promise<string> {
  const { clients, config } = args;
  const revision = shortTaskDefinition(previous);
  core.info(`Rolling back ${config.service} to ${revision}`);
  try {
    const started = await updateService(clients.ecs, {
      cluster: config.cluster,
      service: config.service,
      taskDefinitionArn: previous,
    });
    const result = await watch(args, started.deploymentId, previous, args.revision.arn);
    return result.outcome === "succeeded"
      ? `rolled back to ${revision}: the service is healthy on it again`
      : `rollback to ${revision} did not succeed: ${result.message}`;
  } catch (error) {
    return `rollback to ${revision} failed: ${(error as Error).message}`;
  }
}
