// Pure: the config's explicit secrets (`[secrets] NAME = "arn:…"`), which the pre-flight checks with metadata calls
// only (Secrets Manager DescribeSecret, SSM DescribeParameters): a missing secret makes every task fail to start.
import type { ParameterMetadata } from "@aws-sdk/client-ssm";
import type { Config } from "../config/index.js";
import type { Problem } from "../errors.js";
import type { Secret } from "../plan/task-definition/secrets.js";

/** One explicit secret: where the config names it, and what to ask about it. */
export interface ExplicitSecret {
  /** `secrets.DB_PASSWORD` or `containers.worker.secrets.TOKEN`. */
  key: string;
  name: string;
  arn: string;
  kind: "secretsmanager" | "ssm";
  region: string;
  account: string;
  /** For Secrets Manager: the secret's own ARN, without a `:json-key:stage:version` suffix. For SSM: the name. */
  lookup: string;
}

export interface SecretFound {
  exists: boolean;
  deletedAt?: Date;
}

export interface ExplicitAnswers {
  /** By secret ARN (lookup). */
  secrets: ReadonlyMap<string, SecretFound>;
  /** The parameters DescribeParameters found, by region. */
  parameters: ReadonlyMap<string, readonly ParameterMetadata[]>;
}

/** Every explicit secret of every container, main one first. */
export function explicitSecrets(config: Config): ExplicitSecret[] {
  const containers: [string, Record<string, string> | undefined][] = [
    ["secrets", config.secrets],
    ...Object.entries(config.containers).map(([name, c]): [string, Record<string, string> | undefined] => [
      `containers.${name}.secrets`,
      c.secrets,
    ]),
  ];
  return containers.flatMap(([at, secrets]) =>
    Object.entries(secrets ?? {}).map(([name, arn]) => describeSecretArn(`${at}.${name}`, name, arn)),
  );
}

/** One secret by its ARN: what to ask about it, and where the config (or a revision) names it. */
export function describeSecretArn(key: string, name: string, arn: string): ExplicitSecret {
  const parts = arn.split(":");
  const [region = "", account = ""] = [parts[3], parts[4]];
  if (parts[2] === "ssm") {
    // `arn:aws:ssm:r:a:parameter/app/x` is the parameter `/app/x`: DescribeParameters filters by name, not ARN.
    const lookup = `/${(
      parts
        .slice(5)
        .join(":")
        .replace(/^parameter\//, "") ?? ""
    ).replace(/^\//, "")}`;
    return { key, name, arn, kind: "ssm", region, account, lookup };
  }
  return { key, name, arn, kind: "secretsmanager", region, account, lookup: parts.slice(0, 7).join(":") };
}

/** The SSM parameter names to look up, per region: only this account's (others' cannot be listed from here). */
export function parameterLookups(secrets: readonly ExplicitSecret[], account: string): Map<string, string[]> {
  const byRegion = new Map<string, string[]>();
  for (const s of secrets) {
    if (s.kind !== "ssm" || s.account !== account) continue;
    byRegion.set(s.region, [...new Set([...(byRegion.get(s.region) ?? []), s.lookup])]);
  }
  return byRegion;
}

/** What the answers say of each explicit secret, and the ones not checked (another account's parameters). */
export function checkExplicitSecrets(
  secrets: readonly ExplicitSecret[],
  answers: ExplicitAnswers,
  account: string,
): { problems: Problem[]; warnings: string[] } {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  for (const s of secrets) {
    if (s.kind === "ssm" && s.account !== account) {
      warnings.push(`secret ${s.name} (\`${s.key}\`): SSM parameter ${s.arn} is in account ${s.account}: not checked`);
      continue;
    }
    const problem = s.kind === "ssm" ? parameterProblem(s, answers) : secretProblem(s, answers);
    if (problem) problems.push({ key: s.key, message: problem });
  }
  return { problems, warnings };
}

function parameterProblem(s: ExplicitSecret, answers: ExplicitAnswers): string | undefined {
  const listed = answers.parameters.get(s.region);
  if (!listed) return undefined; // the lookup failed: its AWS error is among the problems
  if (listed.some((p) => `/${(p.Name ?? "").replace(/^\//, "")}` === s.lookup)) return undefined;
  return `\`${s.key}\`: SSM parameter ${s.lookup} does not exist in ${s.region}: create it, or fix the ARN`;
}

function secretProblem(s: ExplicitSecret, answers: ExplicitAnswers): string | undefined {
  const found = answers.secrets.get(s.lookup);
  if (!found) return undefined;
  if (!found.exists)
    return `\`${s.key}\`: secret ${s.lookup} does not exist in Secrets Manager: create it, or fix the ARN`;
  if (found.deletedAt) {
    return `\`${s.key}\`: secret ${s.lookup} is scheduled for deletion (since ${found.deletedAt.toISOString()}): restore it, or use another`;
  }
  return undefined;
}

/** The main container's explicit secrets may not reuse a name found under secrets_path. */
export function explicitCollisions(secrets: readonly ExplicitSecret[], discovered: readonly Secret[]): Problem[] {
  const names = new Set(discovered.map((s) => s.name));
  return secrets
    .filter((s) => s.key === `secrets.${s.name}` && names.has(s.name))
    .map((s) => ({
      key: s.key,
      message: `\`${s.key}\` has the name of a secret found under secrets_path: remove one of them, or rename the parameter`,
    }));
}
