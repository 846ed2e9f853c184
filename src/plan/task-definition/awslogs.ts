// Pure: where the awslogs log driver writes a container's lines. It names the stream
// `<awslogs-stream-prefix>/<container name>/<task id>`; without a prefix the stream is named after the Docker
// container id, which ECS does not report, so such lines cannot be found.
import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { lastSegment } from "../../text/names.js";

export interface LogStream {
  group: string;
  stream: string;
  /** awslogs-region, when the definition sets one: it may differ from the service's. */
  region: string | undefined;
}

export function awslogsStream(
  definition: Pick<ContainerDefinition, "logConfiguration"> | undefined,
  containerName: string,
  taskArn: string | undefined,
): LogStream | undefined {
  const options = definition?.logConfiguration?.options ?? {};
  const group = options["awslogs-group"];
  const prefix = options["awslogs-stream-prefix"];
  if (definition?.logConfiguration?.logDriver !== "awslogs" || !group || !prefix) return undefined;
  return { group, stream: `${prefix}/${containerName}/${lastSegment(taskArn)}`, region: options["awslogs-region"] };
}
