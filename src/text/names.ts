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

/** `3f2a9c1e…`: the first 8 characters of a task id, as `taskLabel` shows it. */
export function shortTaskId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

// ARNs as AWS writes them inside a message (a stop reason, a service event). The partition and region parts are
// loose on purpose: a message quotes ARNs from GovCloud and China partitions too.
const ARN_HEAD = "arn:aws[a-z-]*:";
const SHORT_ARNS: [RegExp, (match: string, ...groups: string[]) => string][] = [
  [new RegExp(`${ARN_HEAD}elasticloadbalancing:[^:\\s]*:\\d*:targetgroup/([^/\\s)]+)/[0-9a-f]+`, "g"), (_m, n) => n],
  [new RegExp(`${ARN_HEAD}ecs:[^:\\s]*:\\d*:task-definition/([\\w-]+:\\d+)`, "g"), (_m, td) => td],
  [
    new RegExp(`${ARN_HEAD}ecs:[^:\\s]*:\\d*:task/(?:[\\w-]+/)?([0-9a-f]{32}|[\\w-]+)`, "g"),
    (_m, id) => `task ${shortTaskId(id)}`,
  ],
  [
    new RegExp(`${ARN_HEAD}ecs:[^:\\s]*:\\d*:(?:service|cluster|service-deployment)/(?:[\\w-]+/)*([\\w-]+)`, "g"),
    (_m, n) => n,
  ],
  // ECS events name tasks by their 32-digit id: `(task 9d85800c30b349039d104d52b506b930)`.
  [/\(task ([0-9a-f]{32})\)/g, (_m, id) => `(task ${shortTaskId(id)})`],
];

/**
 * A message with the ARNs a person need not read cut to their names: a target group to `web-tg`, a task definition
 * to `web:2`, a task to its short id, a service or cluster to its name. IAM, STS and Secrets Manager ARNs stay
 * whole: they say which role or secret to fix. The job summary's details keep the full text.
 */
export function shortenArns(text: string): string {
  let short = text;
  for (const [pattern, replace] of SHORT_ARNS) short = short.replace(pattern, replace);
  // `(task task 3f2a…)` from an event that quoted a task ARN where ECS usually writes the id.
  return short.replaceAll("(task task ", "(task ");
}

/** The service's deployment history in the ECS console: where ECS tells what the action could not name. */
export function consoleUrl(region: string, cluster: string, service: string): string {
  const c = encodeURIComponent(cluster.split("/").pop() ?? cluster);
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${c}/services/${encodeURIComponent(service)}/deployments?region=${region}`;
}

/** The console page of a service from its ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<name>). */
export function serviceConsoleUrl(serviceArn: string | undefined): string | undefined {
  const m = /^arn:[^:]+:ecs:([^:]+):\d+:service\/([^/]+)\/(.+)$/.exec(serviceArn ?? "");
  return m ? consoleUrl(m[1] as string, m[2] as string, m[3] as string) : undefined;
}
