// CloudWatch Logs: the last lines a container wrote. Each call imports its command: the client is a chunk of its own,
// loaded only when a container's lines are read (clients.ts).
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";

export async function lastLogEvents(
  logs: CloudWatchLogsClient,
  where: { group: string; stream: string },
  limit: number,
  options: { abortSignal?: AbortSignal } = {},
): Promise<string[]> {
  const { GetLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
  const out = await logs.send(
    new GetLogEventsCommand({ logGroupName: where.group, logStreamName: where.stream, limit, startFromHead: false }),
    options,
  );
  return (out.events ?? []).map((e) => e.message ?? "");
}

/**
 * The log events after `nextToken` (from the stream's start without one), oldest first, and the token to ask with
 * next: a stream followed as it is written. AWS answers the same token again when there is nothing new.
 */
export async function logEventsAfter(
  logs: CloudWatchLogsClient,
  where: { group: string; stream: string },
  nextToken: string | undefined,
  options: { abortSignal?: AbortSignal } = {},
): Promise<{ messages: string[]; nextToken: string | undefined }> {
  const { GetLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
  const out = await logs.send(
    new GetLogEventsCommand({
      logGroupName: where.group,
      logStreamName: where.stream,
      // A forward token is only valid with startFromHead (GetLogEvents docs).
      startFromHead: true,
      ...(nextToken ? { nextToken } : {}),
    }),
    options,
  );
  return { messages: (out.events ?? []).map((e) => e.message ?? ""), nextToken: out.nextForwardToken };
}
