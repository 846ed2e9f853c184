// Step: put the service back on the revision it ran before, when the rollout failed and that is ours to do.
import { updateService } from "../aws/ecs.js";
import type { Inputs } from "../inputs.js";
import { renderTimeline } from "../report/timeline.js";
import type { WatchResult } from "../rollout/index.js";
import { shortTaskDefinition } from "../text/names.js";
import { type WaitArgs, watch } from "./watch.js";

/**
 * The rollback goes back to a revision that ran a moment ago, so it is quick or it is stuck: the job should not
 * hang another full wait-timeout after the failure is known. ECS goes on with it either way.
 */
export const ROLLBACK_TIMEOUT_MS = 10 * 60_000;

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

export async function rollBack(args: WaitArgs, previous: string): Promise<{ text: string; timeline?: string }> {
  const { clients, config, inputs, host } = args;
  const revision = shortTaskDefinition(previous);
  host.info(`Rolling back ${config.service} to ${revision}`);
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
