// I/O, on failure only: the last lines the failed container wrote to CloudWatch Logs. The awslogs driver names the
// stream `<prefix>/<container name>/<task id>`. Reading logs is a courtesy: any error becomes a detail line, never
// a failure of the wait. Every line goes through redactLines() (see text/redact.ts why), and is the app's text:
// whoever prints it prints it as untrusted (host.untrusted), so that no line can be read as a workflow command.
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { containerDefinitions } from "../aws/ecs.js";
import { lastLogEvents } from "../aws/logs.js";
import { awslogsStream, type LogStream } from "../plan/task-definition/awslogs.js";
import { redactLines } from "../text/redact.js";
import { call } from "./calls.js";
import { callOptions, type Io, type WatchClients } from "./io.js";
import type { TaskView } from "./verdict/model.js";

const LINES = 20;

export class LogReader {
  private containers: Promise<ContainerDefinition[]> | undefined;

  constructor(
    private readonly io: Io,
    private readonly taskDefinitionArn: string,
  ) {}

  /** DescribeTaskDefinition once per wait: the log configuration does not change under us. */
  private definitions(): Promise<ContainerDefinition[]> {
    this.containers ??= call(this.io.counter, "DescribeTaskDefinition", () =>
      containerDefinitions(this.io.clients.ecs, this.taskDefinitionArn, callOptions(this.io)),
    );
    return this.containers;
  }

  private async streamOf(task: TaskView, containerName: string): Promise<LogStream | undefined> {
    const definition = (await this.definitions()).find((c) => c.name === containerName);
    return awslogsStream(definition, containerName, task.taskArn);
  }

  async lastLines(task: TaskView, containerName: string): Promise<string[]> {
    try {
      const where = await this.streamOf(task, containerName);
      if (!where) {
        return [
          `no logs to show: container ${containerName} does not log to CloudWatch Logs (awslogs with a stream prefix)`,
        ];
      }
      const { group, stream, region } = where;
      const client = await logsClientFor(this.io.clients, region);
      if (!client) return [`logs of ${containerName} are in ${region}, not read: ${group} ${stream}`];
      const messages = await call(this.io.counter, "GetLogEvents", () =>
        lastLogEvents(client, { group, stream }, LINES, callOptions(this.io)),
      );
      const lines = redactLines(messages.map((message) => message.trimEnd())).map((line) => `  ${line}`);
      if (lines.length === 0) return [`no log lines in ${group} ${stream}`];
      return [`last ${lines.length} log lines of ${containerName} (${group} ${stream}):`, ...lines];
    } catch (error) {
      this.containers = undefined;
      return [`could not read the logs of ${containerName}: ${(error as Error).message}`];
    }
  }
}

/**
 * The client for the log group's region (awslogs-region may differ from the service's). Without a client for it,
 * asking the service's region would answer "log stream does not exist", which misleads: say where they are.
 */
export async function logsClientFor(
  clients: Pick<WatchClients, "logs" | "logsFor">,
  region: string | undefined,
): Promise<CloudWatchLogsClient | undefined> {
  const { logs, logsFor } = clients;
  if (!region || region === (await logs.config.region())) return logs;
  return logsFor?.(region);
}
