// Step: render the task definition, register it, and publish its ARN at once (before any wait),
// so a later step or a human can use it even if the rollout fails.
import * as core from "@actions/core";
import type { ECSClient } from "@aws-sdk/client-ecs";
import { type Registered, registerTaskDefinition } from "./deploy.js";
import type { Plan } from "./plan.js";
import type { Secret } from "./secrets.js";
import { buildTaskDefinition } from "./task-definition.js";

export async function registerStep(ecs: ECSClient, plan: Plan, secrets: readonly Secret[]): Promise<Registered> {
  const input = buildTaskDefinition(plan.config, plan.images, secrets);
  core.info(`Family ${input.family}: cpu ${input.cpu}, memory ${input.memory}, ${plan.config.cpu_architecture}`);
  for (const container of input.containerDefinitions ?? []) {
    const secretNames = (container.secrets ?? []).map((s) => s.name).join(", ");
    core.info(`  container ${container.name}: ${container.image}${secretNames ? ` (secrets: ${secretNames})` : ""}`);
  }
  const registered = await registerTaskDefinition(ecs, input);
  core.setOutput("task-definition-arn", registered.arn);
  core.setOutput("task-definition-revision", String(registered.revision));
  core.info(`Registered ${registered.arn}`);
  return registered;
}
