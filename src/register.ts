// Step: register the rendered task definition — or reuse the service's own revision when nothing changed — and
// publish its ARN at once (before any wait), so a later step or a human can use it even if the rollout fails.
import * as core from "@actions/core";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { Decision } from "./decision.js";
import { type Registered, registerTaskDefinition } from "./deploy.js";
import type { Preflight } from "./preflight.js";

/** The revision this run deploys: registered now, or the service's own when nothing changed. */
export type Revision = Registered;

export async function registerStep(ecs: ECSClient, checked: Preflight, decision: Decision): Promise<Revision> {
  const revision = await reuseOrRegister(ecs, checked, decision);
  core.setOutput("task-definition-arn", revision.arn);
  core.setOutput("task-definition-revision", String(revision.revision));
  return revision;
}

async function reuseOrRegister(ecs: ECSClient, checked: Preflight, decision: Decision): Promise<Revision> {
  if (decision.reuse) {
    core.info(`No changes: the service already runs ${decision.reuse.arn}; reusing it instead of a new revision`);
    return decision.reuse;
  }
  const registered = await registerTaskDefinition(ecs, checked.taskDefinition);
  core.info(`Registered ${registered.arn}`);
  return registered;
}
