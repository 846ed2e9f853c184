// Pure: after the pre-flight checks, what this deploy will change — register a revision or reuse the service's own,
// start a deployment or not, set the desired count — and why. The dry run prints it; the steps carry it out.
import { sameTaskDefinition } from "./diff.js";
import type { ImageResolution } from "./ecr.js";
import type { Preflight } from "./preflight.js";
import { shortTaskDefinition } from "./text.js";

export interface Decision {
  /** The service's current revision, when the rendered task definition equals it: nothing is registered. */
  reuse?: { arn: string; revision: number };
  /** Why UpdateService starts a deployment; undefined when it does not. */
  deployBecause?: string;
  /** The desired count to set without a deployment (the revision is unchanged, the count is not). */
  scaleTo?: number;
}

export interface DecisionOptions {
  forceNewDeployment: boolean;
  /** The config's desired_count, when set. */
  desiredCount?: number | undefined;
}

export function decideChanges(checked: Preflight, options: DecisionOptions): Decision {
  const { current, taskDefinition, target } = checked;
  // An INACTIVE (deregistered) revision cannot be deployed again: register an equal one instead.
  const reusable = current?.taskDefinitionArn && current.status !== "INACTIVE";
  if (!reusable || !sameTaskDefinition(current, taskDefinition)) {
    return { deployBecause: "the task definition changed" };
  }
  const reuse = { arn: current.taskDefinitionArn ?? "", revision: current.revision ?? 0 };
  const because = redeployReason(checked, options);
  if (because) return { reuse, deployBecause: because };
  const count = options.desiredCount;
  return count !== undefined && count !== target.desiredCount ? { reuse, scaleTo: count } : { reuse };
}

/** Why an unchanged revision is deployed again anyway, or undefined when there is no reason to. */
function redeployReason(checked: Preflight, options: DecisionOptions): string | undefined {
  if (options.forceNewDeployment) return "force-new-deployment is set";
  const revision = shortTaskDefinition(checked.current?.taskDefinitionArn ?? "");
  // A rollout of this revision still going on (or stuck: a crash loop left by a timed-out run) is not "deployed".
  if (checked.target.unsettled) return `the service is not settled on ${revision}: ${checked.target.unsettled}`;
  const byTag = checked.images.resolved.find(mutable);
  // Without a digest, an equal task definition can still mean a new image behind the same tag.
  if (byTag) return `image ${byTag.uri} is named by tag, not digest: the tag may point at a new image`;
  return undefined;
}

function mutable(image: ImageResolution): boolean {
  return !image.pinned.includes("@sha256:");
}

/** One line for the log and the dry run: what happens next. */
export function describeDecision(decision: Decision, desiredCount: number): string {
  const revision = decision.reuse && `revision ${decision.reuse.revision}`;
  if (!decision.reuse) return "a new revision will be registered and deployed";
  if (decision.deployBecause) return `${revision} is reused and deployed again: ${decision.deployBecause}`;
  if (decision.scaleTo !== undefined) {
    return `${revision} is what the service runs; only its desired count changes: ${desiredCount} → ${decision.scaleTo}`;
  }
  return `nothing to deploy: the service is settled on ${revision}, which equals the rendered task definition`;
}
