// Pure: which old task definition revisions an opt-in clean-up deregisters.
import { revisionOf, shortTaskDefinition } from "../../text/names.js";

/** Rollback needs the current and the previous revision, whatever `keep` says. */
const ALWAYS_KEPT = 2;

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
