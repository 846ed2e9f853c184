// Step (opt-in): clean up old task definition revisions: keep the newest N of the family, deregister the rest. It
// runs after a deploy succeeded, so a failure here is reported and never fails the deploy.
import type { ECSClient } from "@aws-sdk/client-ecs";
import { deregisterTaskDefinition, listActiveRevisions } from "../aws/ecs.js";
import { revisionsToDeregister } from "../plan/task-definition/cleanup.js";
import type { Deployable } from "../preflight/judge.js";
import { shortTaskDefinition } from "../text/names.js";
import type { RunContext } from "./context.js";

const MAX_CONCURRENT = 5;

export async function cleanUpStep(
  { host, clients, config }: RunContext,
  { keep, ours, deployable }: { keep: number; ours: string; deployable: Deployable },
): Promise<void> {
  // Never ours, nor the one it replaced: the rollback target must survive.
  const inUse = [ours, deployable.target.taskDefinition ?? ""].filter(Boolean);
  const result = await cleanUpRevisions(clients.ecs, config.family, keep, inUse);
  host.info(`Deregistered ${result.deregistered.length} old revision(s): ${result.deregistered.join(", ") || "none"}`);
  for (const problem of result.problems) host.notice(problem);
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
  return (await listActiveRevisions(ecs, family)).filter((arn) => familyOf(arn) === family);
}

function familyOf(arn: string): string {
  return shortTaskDefinition(arn).replace(/:\d+$/, "");
}

/** undefined when deregistered, else the line that says why not. */
async function deregister(ecs: ECSClient, arn: string): Promise<string | undefined> {
  try {
    await deregisterTaskDefinition(ecs, arn);
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
