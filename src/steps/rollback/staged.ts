// Step (part of the rollback): a blue/green, linear or canary deployment is rolled back the ECS way.
// StopServiceDeployment with stopType ROLLBACK moves production traffic back to the old revision, which still runs
// during the shifts and the bake time: seconds, where a new UpdateService would start old tasks again. Then the
// service deployment is read until ECS says ROLLBACK_SUCCESSFUL (or that its rollback failed).
import { readServiceDeployment, stopServiceDeployment } from "../../aws/ecs-deployments.js";
import { describeAwsError } from "../../aws/errors.js";
import { ABORTED, abortable, abortableSleep } from "../../rollout/index.js";
import type { ServiceDeploymentView, WatchContext } from "../../rollout/verdict/model.js";
import { trafficOf, trafficText } from "../../rollout/verdict/stages.js";
import { shortTaskDefinition } from "../../text/names.js";
import type { WaitArgs } from "../follow.js";

/** What the rollback did (rollback.ts's RolledBack, without a watched timeline: none is drawn for it). */
interface RolledBack {
  text: string;
  detail?: string | undefined;
  cancelled: boolean;
}

const ENDED = new Set(["ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "SUCCESSFUL", "STOPPED"]);

/** What a staged rollback needs of a wait: the deploy's, or an answered pause's (answer.ts). */
export type StagedArgs = Pick<WaitArgs, "clients" | "host" | "signal" | "inputs" | "config" | "deploymentId"> & {
  /** our revision */
  taskDefinitionArn: string;
};

export async function stopStaged(
  args: StagedArgs,
  serviceDeploymentArn: string,
  previous: string,
  timeoutMs: number,
): Promise<RolledBack> {
  const { clients, host, signal } = args;
  const revision = shortTaskDefinition(previous);
  host.info(`Rolling back ${args.config.service} to ${revision}: StopServiceDeployment (ROLLBACK) moves traffic back`);
  try {
    const stopped = await abortable(
      stopServiceDeployment(clients.ecs, serviceDeploymentArn, { abortSignal: signal }),
      signal,
    );
    if (stopped === ABORTED) {
      return {
        text: `rollback to ${revision} cancelled: StopServiceDeployment may or may not have reached ECS`,
        cancelled: true,
      };
    }
    return await followRollback(args, serviceDeploymentArn, revision, timeoutMs);
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
async function followRollback(args: StagedArgs, arn: string, revision: string, timeoutMs: number): Promise<RolledBack> {
  const { clients, host, signal, inputs } = args;
  const ctx: WatchContext = {
    deploymentId: args.deploymentId,
    taskDefinitionArn: args.taskDefinitionArn,
    maxFailedTasks: 0,
  };
  const deadline = Date.now() + timeoutMs;
  let said = "";
  let sd: ServiceDeploymentView | undefined;
  for (;;) {
    sd = await readServiceDeployment(clients.ecs, arn, { abortSignal: signal });
    const line = `service deployment ${sd?.status ?? "?"}: ${trafficText(trafficOf(sd), ctx)}`;
    if (line !== said) host.untrusted([line]);
    said = line;
    if (ENDED.has(sd?.status ?? "")) break;
    if (Date.now() >= deadline) {
      return { text: `rollback to ${revision} not confirmed in time: ECS goes on with it`, cancelled: false };
    }
    await abortableSleep(inputs.pollIntervalMs, signal);
    if (signal.aborted) return { text: `rollback to ${revision} cancelled: ECS goes on with it`, cancelled: true };
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
