// Rolling rollback: UpdateService back to the previous revision, and a watch of that deployment.
import { rollBackService } from "../../aws/ecs.js";
import { describeAwsError } from "../../aws/errors.js";
import type { Restore } from "../../plan/service/restore.js";
import type { RolledBack } from "../../report/outcomes.js";
import { ABORTED, abortable, type WatchResult } from "../../rollout/index.js";
import { shortTaskDefinition } from "../../text/names.js";
import { changeOptions } from "../change-options.js";
import type { RunContext } from "../context.js";
import { followDeployment } from "../follow.js";
import { type RollbackInput, rollbackTimeout } from "./index.js";

/**
 * Both the call and the watch take the run's signal: a cancel aborts the call in flight (the SDK) and stops waiting
 * for it at once (abortable), so the step ends within a second.
 */
export async function rollBackRolling(ctx: RunContext, input: RollbackInput): Promise<RolledBack> {
  const { clients, config, host, signal } = ctx;
  const { previous } = input;
  const revision = shortTaskDefinition(previous);
  host.info(`Rolling back ${config.service} to ${revision}`);
  // The settings the deploy changed go back with the revision: the service as it was, not only its revision.
  const restore = input.failed.restore;
  const request = {
    cluster: config.cluster,
    service: config.service,
    taskDefinitionArn: previous,
    settings: restore?.settings,
    desiredCount: restore?.desiredCount,
  };
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
    const deployment = {
      deploymentId: started.deploymentId,
      taskDefinitionArn: previous,
      previous: input.failed.taskDefinitionArn,
    };
    const policy = { ...input.policy, timeoutMs: rollbackTimeout(input.policy) };
    const result = await followDeployment(ctx, { deployment, policy });
    const ended = outcome(result, revision);
    const restored = restoredClause(restore);
    return { ...ended, text: `${ended.text}${restored}`, watched: { taskDefinitionArn: previous, result } };
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

/** `; restored propagate tags (SERVICE → NONE), circuit breaker (on, with rollback → off)`: what went back. */
function restoredClause(restore: Restore | undefined): string {
  const lines = restore?.lines ?? [];
  if (lines.length === 0) return "";
  const each = lines.map((line) => line.replace(/^service /, "").replace(/^([^:]+): (.*)$/, "$1 ($2)"));
  return `; restored ${each.join(", ")}`;
}
