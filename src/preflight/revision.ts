// Pure: deploying a revision that exists (the `task-definition` input). Nothing is rendered or registered: the
// described revision takes the rendered one's place, and the pre-flight checks it as it would check ours.
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { Config } from "../config/index.js";
import type { Problem } from "../errors.js";
import type { ImageMap } from "../plan/images/input.js";
import { type DescribedTaskDefinition, normalizeTaskDefinition } from "../plan/task-definition/normalize.js";
import { shortTaskDefinition } from "../text/names.js";
import { describeSecretArn, type ExplicitSecret } from "./explicit-secrets.js";

const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}:[1-9]\d{0,9}$/;
const REVISION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:[1-9]\d{0,9}$/;

/**
 * `family:revision` or a task definition ARN with its revision, checked where it is given (the action's input, the
 * reusable workflow's): a revision exactly, never "the family's newest", which may change between two runs.
 */
export function revisionRef(raw: string): string {
  const value = raw.trim();
  if (!FAMILY_REVISION.test(value) && !REVISION_ARN.test(value)) {
    throw new Error(
      `expected a revision as family:revision (web:2) or its ARN, got ${JSON.stringify(raw.slice(0, 80))}`,
    );
  }
  return value;
}

/** The revision asked for, as DescribeTaskDefinition answered. */
export interface Existing {
  /** The input as given (`web:2` or an ARN), for messages. */
  asked: string;
  described: DescribedTaskDefinition;
}

/** Why the revision cannot be deployed as this config's service: another family, or another account's roles. */
export function checkExisting({ asked, described }: Existing, config: Pick<Config, "family" | "account">): Problem[] {
  const problems: Problem[] = [];
  if (described.family !== config.family) {
    problems.push({
      message: `input \`task-definition\`: ${asked} is a revision of family ${described.family ?? "(none)"}, but the config's service runs family ${config.family} (\`family\`): name a revision of ${config.family}, or use that family's config`,
    });
  }
  for (const [what, arn] of [
    ["task role", described.taskRoleArn],
    ["execution role", described.executionRoleArn],
  ] as const) {
    const account = arn?.split(":")[4];
    if (account !== undefined && account !== config.account) {
      problems.push({
        message: `input \`task-definition\`: ${asked}'s ${what} ${arn} is in account ${account}, not ${config.account} (\`account\`), where the service runs`,
      });
    }
  }
  return problems;
}

/** The revision's images by container: what the pre-flight looks up in ECR (never re-pinned: exactly as it was). */
export function existingImages({ described }: Existing): ImageMap {
  return new Map((described.containerDefinitions ?? []).flatMap((c) => (c.name && c.image ? [[c.name, c.image]] : [])));
}

/** The revision's secrets, checked with metadata calls as the config's explicit ones are. */
export function existingSecrets({ described }: Existing, config: Pick<Config, "region" | "account">): ExplicitSecret[] {
  return (described.containerDefinitions ?? []).flatMap((c) =>
    (c.secrets ?? []).map((s) =>
      describeSecretArn(`task-definition ${c.name}.secrets.${s.name}`, s.name ?? "", arnOf(s.valueFrom ?? "", config)),
    ),
  );
}

/** ECS takes a parameter of the task's own region by name too. */
function arnOf(valueFrom: string, { region, account }: Pick<Config, "region" | "account">): string {
  if (valueFrom.startsWith("arn:")) return valueFrom;
  return `arn:aws:ssm:${region}:${account}:parameter/${valueFrom.replace(/^\//, "")}`;
}

/** The described revision in the register input's shape: what the later checks and the diff read. */
export function existingTaskDefinition({ described }: Existing): RegisterTaskDefinitionCommandInput {
  const { tags, ...rest } = normalizeTaskDefinition(described);
  return { ...rest, family: described.family, ...(tags ? { tags } : {}) } as RegisterTaskDefinitionCommandInput;
}

/** Its ARN and revision number, and its short name for the log. */
export function existingRevision({ described }: Existing): { arn: string; revision: number; name: string } {
  const arn = described.taskDefinitionArn ?? "";
  return { arn, revision: described.revision ?? 0, name: shortTaskDefinition(arn) };
}
