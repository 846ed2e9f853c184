// Pure: the short names people read in a log line (`web:2`, `web-tg`, `task 3f2a9c1e…`), cut from the ARNs AWS
// answers with. ARNs stay in the job summary's details; a log line that wraps around an ARN hides what it says.

/** Last segment of an ARN (task id, service deployment id). */
export function lastSegment(arn: string | undefined): string {
  return (arn ?? "").split("/").pop() ?? "";
}

/** The revision number at the end of a task definition ARN (`…:task-definition/app:42` → 42). */
export function revisionOf(taskDefinitionArn: string): number | undefined {
  const match = /:(\d+)$/.exec(taskDefinitionArn);
  return match ? Number(match[1]) : undefined;
}

/** `family:revision` of a task definition ARN, the way the console shows it. */
export function shortTaskDefinition(taskDefinitionArn: string): string {
  return taskDefinitionArn.split("/").pop() ?? taskDefinitionArn;
}

/** `family:41` from a task definition ARN (or a `family:41` string). */
export function familyRevision(arn: string | undefined): string {
  return lastSegment(arn).replace(/^task-definition\//, "");
}

/** `task 3f2a9c1e…`: enough to find it in the console, short enough for a log line. */
export function taskLabel(task: { taskArn?: string | undefined }): string {
  return `task ${lastSegment(task.taskArn).slice(0, 8)}…`;
}

/** `tg-app` from `arn:aws:elasticloadbalancing:…:targetgroup/tg-app/0123abcd`. */
export function targetGroupName(arn: string): string {
  const match = /targetgroup\/([^/]+)\//.exec(arn);
  return match?.[1] ?? arn;
}

/** `45s`, `2m`, `2m05s`: a duration inside a sentence. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest}s`;
  return rest === 0 ? `${minutes}m` : `${minutes}m${String(rest).padStart(2, "0")}s`;
}

/** `1:05` (minutes:seconds since the wait began). */
export function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
