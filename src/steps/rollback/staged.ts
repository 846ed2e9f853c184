// Staged rollback: a blue/green, linear or canary deployment is rolled back the ECS way.
// StopServiceDeployment with stopType ROLLBACK moves production traffic back to the old revision, which still runs
// during the shifts and the bake time: seconds, where a new UpdateService would start old tasks again. Then the
// service deployment is read until ECS says ROLLBACK_SUCCESSFUL (or that its rollback failed).
import { readServiceDeployment, stopServiceDeployment } from "../../aws/ecs-deployments.js";
import { describeAwsError } from "../../aws/errors.js";
import type { RolledBack } from "../../report/outcomes.js";
import { ABORTED, abortable, poll } from "../../rollout/index.js";
import type { ServiceDeploymentView, WatchContext } from "../../rollout/verdict/model.js";
import { trafficOf, trafficText } from "../../rollout/verdict/stages.js";
import { shortTaskDefinition } from "../../text/names.js";
import type { RunContext } from "../context.js";
import { type RollbackInput, rollbackTimeout } from "./index.js";
import { rollBackRolling } from "./rolling.js";

const ENDED = new Set(["ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "SUCCESSFUL", "STOPPED"]);

/** The service deployment is what ECS rolls back; before the wait found it (it had not yet shown), UpdateService does. */
export async function rollBackStaged(ctx: RunContext, input: RollbackInput): Promise<RolledBack> {
  const arn = input.result.serviceDeploymentArn ?? input.failed.serviceDeploymentArn;
  if (!arn) return rollBackRolling(ctx, input);
  const { clients, host, signal } = ctx;
  const revision = shortTaskDefinition(input.previous);
  host.info(`Rolling back ${ctx.config.service} to ${revision}: StopServiceDeployment (ROLLBACK) moves traffic back`);
  try {
    const stopped = await abortable(stopServiceDeployment(clients.ecs, arn, { abortSignal: signal }), signal);
    if (stopped === ABORTED) {
      return {
        text: `rollback to ${revision} cancelled: StopServiceDeployment may or may not have reached ECS`,
        cancelled: true,
      };
    }
    return await followRollback(ctx, input, arn, revision);
  } catch (error) {
    if (signal.aborted) return { text: `rollback to ${revision} cancelled: ECS goes on with it`, cancelled: true };
    return {
      text: `rollback to ${revision} failed`,
      detail: describeAwsError("StopServiceDeployment", error),
      cancelled: false,
    };
  }
}

/** Reads the service deployment until its rollback ends, one line per status or traffic change. */
async function followRollback(ctx: RunContext, input: RollbackInput, arn: string, revision: string) {
  const { clients, host, signal } = ctx;
  const { failed, policy } = input;
  const watch: WatchContext = {
    deploymentId: failed.deploymentId,
    taskDefinitionArn: failed.taskDefinitionArn,
    maxFailedTasks: 0,
  };
  let said = "";
  const read = async () => {
    const sd = await readServiceDeployment(clients.ecs, arn, { abortSignal: signal });
    const line = `service deployment ${sd?.status ?? "?"}: ${trafficText(trafficOf(sd), watch)}`;
    if (line !== said) host.untrusted([line]);
    said = line;
    return sd;
  };
  const looked = await poll<ServiceDeploymentView | undefined>({
    read,
    done: (sd) => ENDED.has(sd?.status ?? ""),
    every: policy.pollMs,
    deadline: (ctx.clock?.now ?? Date.now)() + rollbackTimeout(policy),
    signal,
    ...ctx.clock,
  });
  return ended(looked.end, looked.value, revision);
}

function ended(end: "done" | "timed-out" | "cancelled", sd: ServiceDeploymentView | undefined, revision: string) {
  if (end === "cancelled") return { text: `rollback to ${revision} cancelled: ECS goes on with it`, cancelled: true };
  if (end === "timed-out") {
    return { text: `rollback to ${revision} not confirmed in time: ECS goes on with it`, cancelled: false };
  }
  if (sd?.status === "ROLLBACK_SUCCESSFUL") {
    return { text: `rolled back to ${revision} by ECS: production traffic is on it again`, cancelled: false };
  }
  return {
    text: `rollback to ${revision} did not succeed`,
    detail: `ECS says ${sd?.status}: ${sd?.statusReason ?? "no reason given"}`,
    cancelled: false,
  };
}
