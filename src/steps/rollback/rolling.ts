// Step: put the service back on the revision it ran before, when the rollout failed and that is ours to do.
import { rollBackService } from "../../aws/ecs.js";
import { describeAwsError } from "../../aws/errors.js";
import type { Inputs } from "../../inputs.js";
import { effectiveStrategy, isStagedStrategy } from "../../plan/strategy.js";
import type { WatchedReport } from "../../report/summary.js";
import { ABORTED, abortable, type WatchResult } from "../../rollout/index.js";
import { shortTaskDefinition } from "../../text/names.js";
import { changeOptions } from "../changes.js";
import { type WaitArgs, watch, watchedReport } from "../follow.js";
import { stopStaged } from "./staged.js";

/**
 * The rollback goes back to a revision that ran a moment ago, so it is quick or it is stuck: the job should not
 * hang another full wait-timeout after the failure is known. ECS goes on with it either way.
 */
export const ROLLBACK_TIMEOUT_MS = 10 * 60_000;

/** What the rollback did. */
export interface RolledBack {
  /** the action's own words, one line: `rolled back to app:41: the service is healthy on it again` */
  text: string;
  /** why it did not succeed, in AWS's words (untrusted text): for the details, never the annotation */
  detail?: string | undefined;
  /** the run was cancelled during it */
  cancelled: boolean;
  watched?: WatchedReport | undefined;
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

/**
 * UpdateService back to `previous`, and a watch of that deployment. Both take the run's signal: a cancel aborts the
 * call in flight (the SDK) and stops waiting for it at once (abortable), so the step ends within a second.
 */
export async function rollBack(args: WaitArgs, previous: string, result?: WatchResult): Promise<RolledBack> {
  const { clients, config, inputs, host, signal } = args;
  // Blue/green, linear, canary: ECS moves the traffic back itself (rollback-staged.ts).
  const staged = (current: WaitArgs["checked"]["target"]) =>
    isStagedStrategy(effectiveStrategy(config, current.settings.deploymentConfiguration));
  if (result?.serviceDeploymentArn && staged(args.checked.target)) {
    const timeoutMs = Math.min(inputs.waitTimeoutMs, ROLLBACK_TIMEOUT_MS);
    return stopStaged(
      { ...args, taskDefinitionArn: args.revision.arn },
      result.serviceDeploymentArn,
      previous,
      timeoutMs,
    );
  }
  const revision = shortTaskDefinition(previous);
  host.info(`Rolling back ${config.service} to ${revision}`);
  const request = { cluster: config.cluster, service: config.service, taskDefinitionArn: previous };
  try {
    const started = await abortable(
      rollBackService(clients.ecs, request, changeOptions(host, clients, signal)),
      signal,
    );
    if (started === ABORTED) {
      return {
        text: `rollback to ${revision} cancelled: UpdateService may or may not have reached ECS`,
        cancelled: true,
      };
    }
    const timeoutMs = Math.min(inputs.waitTimeoutMs, ROLLBACK_TIMEOUT_MS);
    const watched = { deploymentId: started.deploymentId, taskDefinitionArn: previous, previous: args.revision.arn };
    const result = await watch(args, { ...watched, timeoutMs });
    return { ...outcome(result, revision), watched: watchedReport(result, previous) };
  } catch (error) {
    if (signal.aborted) return { text: `rollback to ${revision} cancelled`, cancelled: true };
    return {
      text: `rollback to ${revision} failed`,
      detail: describeAwsError("UpdateService", error),
      cancelled: false,
    };
  }
}

function outcome(result: WatchResult, revision: string): Omit<RolledBack, "watched"> {
  switch (result.outcome) {
    case "succeeded":
      return { text: `rolled back to ${revision}: the service is healthy on it again`, cancelled: false };
    case "cancelled":
      return { text: `rollback to ${revision} cancelled: ECS goes on with it`, cancelled: true };
    default:
      return { text: `rollback to ${revision} did not succeed`, detail: result.message, cancelled: false };
  }
}
