// Roll back: put the service back on the revision it ran before, when the rollout failed and that is ours to do.
// Rolling (rolling.ts: UpdateService back, then follow that deployment) and staged (staged.ts: StopServiceDeployment
// with ROLLBACK, then read the service deployment until ECS says how it ended) share one signature, RollbackFunc;
// steps/strategy.ts picks one per deploy.
import type { Inputs } from "../../inputs.js";
import type { RolledBack } from "../../report/outcomes.js";
import type { WatchResult } from "../../rollout/index.js";
import type { RunContext, WaitPolicy } from "../context.js";
import type { Followed } from "../follow.js";

/**
 * The rollback goes back to a revision that ran a moment ago, so it is quick or it is stuck: the job should not
 * hang another full wait-timeout after the failure is known. ECS goes on with it either way.
 */
export const ROLLBACK_TIMEOUT_MS = 10 * 60_000;

/** What a rollback is given: the deployment that failed, where it goes back to, and how its wait ended. */
export interface RollbackInput {
  failed: Followed;
  previous: string;
  result: WatchResult;
  policy: WaitPolicy;
}

export type RollbackFunc = (ctx: RunContext, input: RollbackInput) => Promise<RolledBack>;

/** The rollback's own wait: the deploy's settings, within ROLLBACK_TIMEOUT_MS. */
export function rollbackTimeout(policy: WaitPolicy): number {
  return Math.min(policy.timeoutMs, ROLLBACK_TIMEOUT_MS);
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
  if (result.rolledBackTo || result.ecsDone) return false;
  return result.cause !== "replaced" && result.cause !== "rolled-back" && result.cause !== "wait-error";
}
