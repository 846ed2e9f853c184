// Small pure text helpers for messages about task definitions.

/** The revision number at the end of a task definition ARN (`…:task-definition/app:42` → 42). */
export function revisionOf(taskDefinitionArn: string): number | undefined {
  const match = /:(\d+)$/.exec(taskDefinitionArn);
  return match ? Number(match[1]) : undefined;
}

/** `family:revision` of a task definition ARN, the way the console shows it. */
export function shortTaskDefinition(taskDefinitionArn: string): string {
  return taskDefinitionArn.split("/").pop() ?? taskDefinitionArn;
}
