// Pure: SSM parameters → container secrets as ARNs. The runner never reads a secret value: the pre-flight only lists
// parameters (DescribeParameters, aws/ssm.ts) and ECS resolves the values inside the task at start.
import type { ParameterMetadata } from "@aws-sdk/client-ssm";
import type { Problem } from "../../errors.js";

export interface Secret {
  /** Environment variable name inside the container: the parameter's last path segment. */
  name: string;
  /** The parameter's ARN; ECS fetches the value with the execution role. */
  valueFrom: string;
}

export interface SecretScope {
  path: string;
  region: string;
  account: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Pure: parameters → secrets, with every naming problem found at once. */
export function secretsFromParameters(
  parameters: readonly ParameterMetadata[],
  scope: SecretScope,
): { secrets: Secret[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const byName = new Map<string, string>();
  const secrets: Secret[] = [];
  for (const parameter of [...parameters].sort((a, b) => ((a.Name ?? "") < (b.Name ?? "") ? -1 : 1))) {
    const fullName = parameter.Name ?? "";
    const name = fullName.split("/").pop() ?? "";
    if (!ENV_NAME.test(name)) {
      problems.push({
        key: "secrets_path",
        message: `SSM parameter ${fullName}: \`${name}\` is not a valid environment variable name (letters, digits, _; not starting with a digit): rename the parameter`,
      });
      continue;
    }
    const other = byName.get(name);
    if (other) {
      problems.push({
        key: "secrets_path",
        message: `SSM parameters ${other} and ${fullName} both give the secret \`${name}\`: rename or move one of them`,
      });
      continue;
    }
    byName.set(name, fullName);
    secrets.push({ name, valueFrom: parameter.ARN ?? parameterArn(fullName, scope) });
  }
  // By name: the order a reader scans for, and stable across runs so equal inputs render equal definitions.
  secrets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { secrets, problems };
}

/** Some endpoints (moto) omit ARN from DescribeParameters: build it the way SSM does. */
export function parameterArn(name: string, scope: Omit<SecretScope, "path">): string {
  const path = name.startsWith("/") ? name : `/${name}`;
  return `arn:${partitionOf(scope.region)}:ssm:${scope.region}:${scope.account}:parameter${path}`;
}

/** Pure: a secret and a plain environment variable with one name would shadow each other. */
export function secretCollisions(secrets: readonly Secret[], environment: Record<string, string>): Problem[] {
  return secrets
    .filter((s) => Object.hasOwn(environment, s.name))
    .map((s) => ({
      key: `environment.${s.name}`,
      message: `\`${s.name}\` is both in [environment] and an SSM secret: remove one of them`,
    }));
}

/** AWS partition for a region: ARNs we build ourselves must match it. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
