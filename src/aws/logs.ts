// CloudWatch Logs: the last lines a container wrote.
import { type CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs/dist-es/index.js";

export async function lastLogEvents(
  logs: CloudWatchLogsClient,
  where: { group: string; stream: string },
  limit: number,
  options: { abortSignal?: AbortSignal } = {},
): Promise<string[]> {
  const out = await logs.send(
    new GetLogEventsCommand({ logGroupName: where.group, logStreamName: where.stream, limit, startFromHead: false }),
    options,
  );
  return (out.events ?? []).map((e) => e.message ?? "");
}
