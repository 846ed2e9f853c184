// Step: register the rendered task definition — or reuse the service's own revision when nothing changed — and
// publish its ARN at once (before any wait), so a later step or a human can use it even if the rollout fails.
import type { ECSClient } from "@aws-sdk/client-ecs";
import { type Registered, registerTaskDefinition } from "../aws/ecs.js";
import type { ChangeOptions } from "../aws/retry.js";
import { DeployError } from "../errors.js";
import type { Host } from "../host/host.js";
import type { Decision } from "../plan/service/decision.js";
import type { Deployable } from "../preflight/judge.js";
import { cancelledChange, changeOptions } from "./change-options.js";
import type { RunContext } from "./context.js";

/** The revision this run deploys: registered now, or the service's own when nothing changed. */
export type Revision = Registered;

export async function registerStep(
  ctx: RunContext,
  { deployable, decision }: { deployable: Deployable; decision: Decision },
): Promise<Revision> {
  const { host, clients, signal } = ctx;
  const change = changeOptions(host, clients, signal);
  const revision = await reuseOrRegister(host, clients.ecs, deployable, decision, change);
  host.setOutput("task-definition-arn", revision.arn);
  host.setOutput("task-definition-revision", String(revision.revision));
  return revision;
}

async function reuseOrRegister(
  host: Host,
  ecs: ECSClient,
  deployable: Deployable,
  decision: Decision,
  change: ChangeOptions,
) {
  if (decision.existing && !decision.reuse) {
    host.info(`Deploying ${decision.existing.arn} as it is: nothing is registered`);
    return decision.existing;
  }
  if (decision.reuse) {
    host.info(`No changes: the service already runs ${decision.reuse.arn}; reusing it instead of a new revision`);
    return decision.reuse;
  }
  try {
    const registered = await registerTaskDefinition(ecs, deployable.taskDefinition, change);
    host.info(`Registered ${registered.arn}`);
    return registered;
  } catch (error) {
    const cancelled = cancelledChange(error);
    if (!cancelled) throw error;
    const maybe = cancelled.mayHaveReached ? "a revision may have been registered" : "nothing was registered";
    throw new DeployError(`Cancelled during RegisterTaskDefinition: ${maybe}; the service was not updated`);
  }
}
