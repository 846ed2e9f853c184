// ECS: the calls of the staged strategies (blue/green, linear, canary) beside ecs.ts's: the service revisions a
// service deployment targets, stopping a service deployment (ECS moves traffic back), answering a pause hook, and the
// service's running tasks, whose IPs tell the pre-flight whether a target group holds anyone else's. Errors are
// translated where a step calls them; the wait's reads leave them to rollout/calls.ts.
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListTasksCommand,
  StopServiceDeploymentCommand,
} from "@aws-sdk/client-ecs";
import type { CallOptions } from "./ecs.js";
import { awsCall } from "./errors.js";
import { asSent, once } from "./retry.js";

/**
 * The task definition of each service revision, by revision ARN (up to 20 a call, as ECS takes them). `sentOnce`:
 * the SDK retries nothing (the wait asks again at its next poll).
 */
export async function revisionTaskDefinitions(
  ecs: ECSClient,
  arns: string[],
  options: CallOptions,
  sentOnce = false,
): Promise<Map<string, string | undefined>> {
  const found = new Map<string, string | undefined>();
  for (let i = 0; i < arns.length; i += 20) {
    const command = new DescribeServiceRevisionsCommand({ serviceRevisionArns: arns.slice(i, i + 20) });
    const out = await (sentOnce ? asSent(ecs.send(once(command), options)) : ecs.send(command, options));
    for (const revision of out.serviceRevisions ?? []) {
      if (revision.serviceRevisionArn) found.set(revision.serviceRevisionArn, revision.taskDefinition);
    }
  }
  return found;
}

/** One service deployment, as the steps read it (errors translated). */
export async function readServiceDeployment(ecs: ECSClient, arn: string, options: CallOptions = {}) {
  const out = await awsCall("DescribeServiceDeployments", () =>
    ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), options),
  );
  return out.serviceDeployments?.[0];
}

/** stopType ROLLBACK: ECS moves production traffic back to the revision the deployment started from. */
export async function stopServiceDeployment(ecs: ECSClient, arn: string, options: CallOptions = {}): Promise<void> {
  await awsCall("StopServiceDeployment", () =>
    ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" }), options),
  );
}

/** Answers a pause hook that awaits action: CONTINUE to the next stage, or ROLLBACK. */
export async function continueServiceDeployment(
  ecs: ECSClient,
  request: { arn: string; hookId: string; action: "CONTINUE" | "ROLLBACK" },
  options: CallOptions = {},
): Promise<void> {
  const input = { serviceDeploymentArn: request.arn, hookId: request.hookId, action: request.action };
  await awsCall("ContinueServiceDeployment", () => ecs.send(new ContinueServiceDeploymentCommand(input), options));
}

/**
 * The private IPs of the service's running tasks; undefined when there are more than one page of them (the
 * pre-flight then does without the check that needs them rather than make more round trips).
 */
export async function serviceTaskIps(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<Set<string> | undefined> {
  const listed = await awsCall("ListTasks", () =>
    ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: "RUNNING", maxResults: 100 })),
  );
  if (listed.nextToken) return undefined;
  const arns = listed.taskArns ?? [];
  if (arns.length === 0) return new Set();
  const described = await awsCall("DescribeTasks", () => ecs.send(new DescribeTasksCommand({ cluster, tasks: arns })));
  const ips = (described.tasks ?? []).flatMap((task) =>
    (task.attachments ?? []).flatMap((a) =>
      (a.details ?? []).filter((d) => d.name === "privateIPv4Address" && d.value).map((d) => d.value as string),
    ),
  );
  return new Set(ips);
}
