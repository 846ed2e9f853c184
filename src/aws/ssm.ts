// SSM: the parameters under the service's path, by name and ARN only. Never GetParameter*: no secret value is read.
import {
  type ParameterMetadata,
  paginateDescribeParameters,
  type SSMClient,
} from "@aws-sdk/client-ssm/dist-es/index.js";
import { awsCall } from "./errors.js";

/** Lists every parameter under the path (recursively, every page). */
export async function listParameters(ssm: SSMClient, path: string): Promise<ParameterMetadata[]> {
  const parameters: ParameterMetadata[] = [];
  // 50 is the API's largest page: most services fit in one round trip.
  const pages = paginateDescribeParameters(
    { client: ssm, pageSize: 50 },
    { ParameterFilters: [{ Key: "Path", Option: "Recursive", Values: [path] }] },
  );
  await awsCall("DescribeParameters", async () => {
    for await (const page of pages) parameters.push(...(page.Parameters ?? []));
  });
  return parameters;
}
