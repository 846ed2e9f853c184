// Pure: ECS's limits on the whole task definition, which only the rendered definition shows (environment values,
// secrets and labels of every container add up). RegisterTaskDefinition would refuse it after the image was built.
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { Problem } from "../errors.js";

/** ECS's task definition size quota (not adjustable). */
export const MAX_TASK_DEFINITION_BYTES = 64 * 1024;

export function checkTaskDefinitionSize(taskDefinition: RegisterTaskDefinitionCommandInput): Problem[] {
  const bytes = utf8Length(JSON.stringify(taskDefinition));
  if (bytes <= MAX_TASK_DEFINITION_BYTES) return [];
  const biggest = largestEnvironment(taskDefinition);
  const hint = biggest ? `; the largest part is the environment of \`${biggest.name}\` (${biggest.bytes} bytes)` : "";
  return [
    {
      message: `the task definition is ${bytes} bytes as JSON; ECS allows at most ${MAX_TASK_DEFINITION_BYTES} (64 KiB)${hint}: move large values to SSM parameters or files in the image`,
    },
  ];
}

function largestEnvironment(td: RegisterTaskDefinitionCommandInput): { name: string; bytes: number } | undefined {
  let largest: { name: string; bytes: number } | undefined;
  for (const c of td.containerDefinitions ?? []) {
    const bytes = utf8Length(JSON.stringify(c.environment ?? []));
    if (!largest || bytes > largest.bytes) largest = { name: c.name ?? "", bytes };
  }
  return largest;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
