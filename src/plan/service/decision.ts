// Pure: after the pre-flight checks, what this deploy will change — register a revision or reuse the service's own,
// start a deployment or not, set the desired count — and why. The dry run prints it; the steps carry it out.

import type { Deployable } from "../../preflight/judge.js";
import { shortTaskDefinition } from "../../text/names.js";
import type { ImageResolution } from "../images/registry.js";
import { type DiffLine, diffTaskDefinitions, renderDiff } from "../task-definition/diff.js";
import { sameTaskDefinition } from "../task-definition/normalize.js";
import type { ServiceSettings } from "./settings.js";

export interface Decision {
  /** The existing revision the `task-definition` input names: deployed as it is, nothing registered. */
  existing?: { arn: string; revision: number };
  /** The service's current revision, when the rendered task definition equals it: nothing is registered. */
  reuse?: { arn: string; revision: number };
  /** Why UpdateService starts a deployment; undefined when it does not. */
  deployBecause?: string;
  /** The service's desired count and the config's, when they differ: UpdateService sets it. */
  count?: { from: number; to: number };
  /** The service settings the config sets (sent with UpdateService), and the lines of what they change. */
  service?: { settings: ServiceSettings; changes: DiffLine[] };
}

export interface DecisionOptions {
  forceNewDeployment: boolean;
  /** The config's desired_count, when set. */
  desiredCount?: number | undefined;
}

export function decideChanges(deployable: Deployable, options: DecisionOptions): Decision {
  const { current, taskDefinition, target } = deployable;
  const to = options.desiredCount;
  const count = {
    ...(to !== undefined && to !== target.desiredCount ? { count: { from: target.desiredCount, to } } : {}),
    ...(deployable.service ? { service: deployable.service } : {}),
  };
  if (deployable.existing) return existingDecision(deployable, options, count);
  if (!current?.taskDefinitionArn || !sameTaskDefinition(current, taskDefinition)) {
    return { deployBecause: "the task definition changed", ...count };
  }
  // Only an ACTIVE revision can be deployed: an INACTIVE or DELETE_IN_PROGRESS one is registered anew, unchanged.
  if (current.status !== undefined && current.status !== "ACTIVE") {
    const deployBecause = `${shortTaskDefinition(current.taskDefinitionArn)} is ${current.status}: an equal revision is registered`;
    return { deployBecause, ...count };
  }
  const reuse = { arn: current.taskDefinitionArn, revision: current.revision ?? 0 };
  const because = redeployReason(deployable, options);
  return because ? { reuse, deployBecause: because, ...count } : { reuse, ...count };
}

/** The revision asked for is deployed unless the service runs it already and nothing else calls for a deployment. */
function existingDecision(
  deployable: Deployable,
  options: DecisionOptions,
  count: Omit<Decision, "existing">,
): Decision {
  const { arn, revision, name } = deployable.existing ?? { arn: "", revision: 0, name: "" };
  const existing = { arn, revision };
  const running = deployable.current?.taskDefinitionArn;
  if (running !== arn) {
    const deployBecause = `task-definition names ${name}; the service runs ${running ? shortTaskDefinition(running) : "nothing yet"}`;
    return { existing, deployBecause, ...count };
  }
  const because = redeployReason(deployable, options);
  return because ? { existing, deployBecause: because, ...count } : { existing, reuse: existing, ...count };
}

/** Why an unchanged revision is deployed again anyway, or undefined when there is no reason to. */
function redeployReason(deployable: Deployable, options: DecisionOptions): string | undefined {
  if (options.forceNewDeployment) return "force-new-deployment is set";
  const { target, newestSecret, images } = deployable;
  // UpdateService always starts a deployment of ours (to watch); settings that change go out with one.
  const changes = deployable.service?.changes ?? [];
  if (changes.length > 0)
    return `the service's settings change (${changes.map((l) => l.text.replace(/^service /, "")).join("; ")})`;
  const revision = shortTaskDefinition(deployable.current?.taskDefinitionArn ?? "");
  // A rollout of this revision still going on (or stuck: a crash loop left by a timed-out run) is not "deployed".
  if (target.unsettledBecause) return `the service is not settled on ${revision}: ${target.unsettledBecause}`;
  // Tasks read their secrets when they start: a value changed since then reaches them only through new tasks. The
  // usual reason to run an unchanged deploy again is exactly this, a rotated secret.
  if (newestSecret && target.deployedAt && newestSecret.modifiedAt > target.deployedAt) {
    return `secret ${newestSecret.name} changed after the running deployment started: its tasks may hold the old value`;
  }
  const byTag = images.resolved.find(mutable);
  // Without a digest, an equal task definition can still mean a new image behind the same tag.
  if (byTag) return `image ${byTag.uri} is named by tag, not digest: the tag may point at a new image`;
  return undefined;
}

function mutable(image: ImageResolution): boolean {
  return !image.pinned.includes("@sha256:");
}

/** Nothing to deploy, only the desired count to set. */
export function scaleOnly(decision: Decision): number | undefined {
  return decision.deployBecause ? undefined : decision.count?.to;
}

/** One line for the log, the dry run and the summary: what this run does, and why. */
export function describeDecision(decision: Decision): string {
  const revision = decision.reuse && `revision ${decision.reuse.revision}`;
  const count = decision.count && `desired count ${decision.count.from} → ${decision.count.to}`;
  if (decision.existing && !decision.reuse)
    return `deploy revision ${decision.existing.revision} as it is: ${decision.deployBecause}`;
  if (!decision.reuse) return `register a new revision and deploy it: ${decision.deployBecause}`;
  if (decision.deployBecause) return `deploy ${revision} again: ${decision.deployBecause}`;
  if (count) return `the service runs ${revision} already: set its ${count}, no new deployment`;
  return `nothing to deploy: the service is settled on ${revision}, which equals the rendered task definition`;
}

/**
 * What changes, one line each: the desired count and the service settings (the service's, not the task
 * definition's: lines of their own), then the task definition against what the service runs. The log and the job
 * summary show the same text.
 */
export function describeChanges(
  deployable: Pick<Deployable, "current" | "taskDefinition">,
  { count, service }: Pick<Decision, "count" | "service">,
): string {
  const lines: DiffLine[] = count ? [{ sign: "~", text: `service desired count: ${count.from} → ${count.to}` }] : [];
  return renderDiff([
    ...lines,
    ...(service?.changes ?? []),
    ...diffTaskDefinitions(deployable.current, deployable.taskDefinition),
  ]);
}
