// SSM: the parameters under the service's path, by name and ARN only. Never GetParameter*: no secret value is read.
import { type ParameterMetadata, paginateDescribeParameters, type SSMClient } from "@aws-sdk/client-ssm";
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

/** The parameters with these names (metadata only, every page); a name SSM does not know is simply absent. */
export async function describeParametersByName(ssm: SSMClient, names: readonly string[]): Promise<ParameterMetadata[]> {
  const parameters: ParameterMetadata[] = [];
  // DescribeParameters takes at most 50 values in one filter.
  for (let i = 0; i < names.length; i += 50) {
    const Values = names.slice(i, i + 50);
    const pages = paginateDescribeParameters(
      { client: ssm, pageSize: 50 },
      { ParameterFilters: [{ Key: "Name", Option: "Equals", Values }] },
    );
    await awsCall("DescribeParameters", async () => {
      for await (const page of pages) parameters.push(...(page.Parameters ?? []));
    });
  }
  return parameters;
}
