// ECS one-off tasks: the pre-deploy tasks' calls (start one, look at it, stop it). Each is a thin function over one
// command; what the answers mean is decided in task/verdict.ts.
import {
  DescribeTasksCommand,
  type ECSClient,
  type Failure,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
} from "@aws-sdk/client-ecs";
import type { CallOptions } from "./ecs.js";

export interface Started {
  task: Task | undefined;
  failures: Failure[];
}

/** RunTask of one task. The request carries a clientToken: the SDK's own retries of it start no second task. */
export async function runTask(ecs: ECSClient, input: RunTaskCommandInput, options: CallOptions = {}): Promise<Started> {
  const out = await ecs.send(new RunTaskCommand(input), options);
  return { task: out.tasks?.[0], failures: out.failures ?? [] };
}

/** One task by its ARN; `task` is undefined while ECS does not show it yet (its API is eventually consistent). */
export async function describeTaskByArn(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  options: CallOptions = {},
): Promise<{ task: Task | undefined; failures: Failure[] }> {
  const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }), options);
  return { task: out.tasks?.find((t) => t.taskArn === taskArn) ?? out.tasks?.[0], failures: out.failures ?? [] };
}

/** StopTask: ECS sends the containers SIGTERM, then SIGKILL after their stop timeout. `reason` becomes stoppedReason. */
export async function stopTask(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  reason: string,
  options: CallOptions = {},
): Promise<Task | undefined> {
  const out = await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason }), options);
  return out.task;
}
