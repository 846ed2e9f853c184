// Opt-in clean-up of old task definition revisions: keep the newest N of the family, deregister the rest. It runs
// after a deploy succeeded, so a failure here is reported and never fails the deploy.
import { DeregisterTaskDefinitionCommand, type ECSClient, paginateListTaskDefinitions } from "@aws-sdk/client-ecs";
import { awsCall } from "./aws-errors.js";
import { revisionOf, shortTaskDefinition } from "./text.js";

/** Rollback needs the current and the previous revision, whatever `keep` says. */
const ALWAYS_KEPT = 2;
const MAX_CONCURRENT = 5;

/**
 * Pure: the revisions to deregister out of the family's ACTIVE ones. Keeps the newest `keep` (at least two) and every
 * revision in `inUse` (the service's current one, the one before it, ours), compared as `family:revision`.
 */
export function revisionsToDeregister(arns: readonly string[], keep: number, inUse: readonly string[]): string[] {
  // A bad `keep` (NaN, negative) must not turn into "deregister everything".
  if (!Number.isInteger(keep) || keep < 0)
    throw new RangeError(`keep must be a whole number of 0 or more, got ${keep}`);
  const used = new Set(inUse.map(shortTaskDefinition));
  // Revisions are sorted here, not trusted from the API's order; an ARN without a revision is never touched.
  const newestFirst = arns
    .flatMap((arn) => {
      const revision = revisionOf(arn);
      return revision === undefined ? [] : [{ arn, revision }];
    })
    .sort((a, b) => b.revision - a.revision);
  return newestFirst
    .slice(Math.max(keep, ALWAYS_KEPT))
    .filter(({ arn }) => !used.has(shortTaskDefinition(arn)))
    .map(({ arn }) => arn);
}

export interface CleanUp {
  deregistered: string[];
  /** One line per failure, for a notice: the deploy itself succeeded. */
  problems: string[];
}

/** Deregisters the family's revisions beyond the newest `keep`; never throws. */
export async function cleanUpRevisions(
  ecs: ECSClient,
  family: string,
  keep: number,
  inUse: readonly string[],
): Promise<CleanUp> {
  let chosen: string[];
  try {
    chosen = revisionsToDeregister(await activeRevisions(ecs, family), keep, inUse);
  } catch (error) {
    return { deregistered: [], problems: [`old revisions of ${family} were not cleaned up: ${messageOf(error)}`] };
  }
  const results = await mapConcurrently(chosen, MAX_CONCURRENT, (arn) => deregister(ecs, arn));
  return {
    deregistered: chosen.filter((_, i) => results[i] === undefined),
    problems: results.filter((r): r is string => r !== undefined),
  };
}

/** Every ACTIVE revision ARN of exactly `family`: familyPrefix `app` also matches `app-worker`. */
async function activeRevisions(ecs: ECSClient, family: string): Promise<string[]> {
  const arns: string[] = [];
  const pages = paginateListTaskDefinitions({ client: ecs }, { familyPrefix: family, status: "ACTIVE", sort: "DESC" });
  await awsCall("ListTaskDefinitions", async () => {
    for await (const page of pages) arns.push(...(page.taskDefinitionArns ?? []));
  });
  return arns.filter((arn) => familyOf(arn) === family);
}

function familyOf(arn: string): string {
  return shortTaskDefinition(arn).replace(/:\d+$/, "");
}

/** undefined when deregistered, else the line that says why not. */
async function deregister(ecs: ECSClient, arn: string): Promise<string | undefined> {
  try {
    const input = { taskDefinition: arn };
    await awsCall("DeregisterTaskDefinition", () => ecs.send(new DeregisterTaskDefinitionCommand(input)));
    return undefined;
  } catch (error) {
    return `${shortTaskDefinition(arn)} was not deregistered: ${messageOf(error)}`;
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
