// Pure: the moment our revision went live, said in the log in both modes, and, when ECS will now wait out a long
// deregistration delay before it calls the deployment complete, a notice that names the delay and how to shorten it.
import { formatDuration, targetGroupName } from "../../text/names.js";
import { deregistrationDelayMs, oldRevision } from "./live.js";
import type { History, Snapshot, WatchContext } from "./model.js";
import { findDeployment, isStaged, revisionLabel } from "./names.js";
import { groupsHealth, targetGroupArns } from "./targets.js";

/** A drain shorter than this is not worth a notice. */
const LONG_DRAIN_MS = 60_000;

export function liveNotes(
  before: History,
  after: History,
  snapshot: Snapshot,
  ctx: WatchContext,
): { lines: string[]; notice?: string } {
  if (before.liveAt !== undefined || after.liveAt === undefined) return { lines: [] };
  const label = revisionLabel(ctx.taskDefinitionArn, ctx.taskDefinitionArn);
  // Staged strategies: live when all production traffic moved; the old revision stays up for the bake time.
  if (isStaged(snapshot.service)) {
    return {
      lines: [
        `${label} is live: 100% of production traffic moved to it; the old revision stays ready until the bake time ends`,
      ],
    };
  }
  const groups = groupsHealth(snapshot);
  const desired = findDeployment(snapshot.service, ctx.deploymentId)?.desiredCount ?? 0;
  const healthy = groups.map((g) => `${g.healthy}/${desired} healthy in ${g.name}`).join(", ");
  const old = oldRevision(snapshot, ctx);
  const then = old === "draining" ? "the old revision's targets drain" : `the old revision is ${old}`;
  const line = groups.length
    ? `${label} is live: it serves every request (${healthy}); ${then}`
    : `${label} is live: all ${desired} of its tasks run; ${then}`;
  // Worth a notice only when ECS will now wait out the drain before it calls the deployment complete.
  if (ctx.waitUntil === "live" || groups.length === 0 || old !== "draining") return { lines: [line] };
  const delay = deregistrationDelayMs(snapshot);
  if (delay !== undefined && delay < LONG_DRAIN_MS) return { lines: [line] };
  const names = targetGroupArns(snapshot.service?.loadBalancers).map(
    (arn) => snapshot.targetGroups[arn]?.name ?? targetGroupName(arn),
  );
  const length = delay === undefined ? "300 s by default" : formatDuration(delay);
  const notice =
    `${label} is live, but ECS calls the deployment complete only after the old revision has drained from ` +
    `${names.join(", ")} for its deregistration delay (${length}). To wait less, lower ` +
    "deregistration_delay.timeout_seconds on the target group to what its requests need, or set wait-until: live.";
  return { lines: [line], notice };
}
