// Pure: a service's recent deployments (`deploy-action history`) and the revision a rollback by hand goes back to
// (`deploy-action rollback`). Two sources, one shape. ECS's own list of service deployments (ListServiceDeployments)
// says when each started and how it ended; where ECS does not answer it (an endpoint without the API, or a service
// whose deployments predate it), the family's ACTIVE revisions stand in, newest first, and say less: only the one the
// service runs is known to have run. Each revision's tags name the commit it was built from (provenance.ts).
import type { Deployment, ServiceDeploymentBrief } from "@aws-sdk/client-ecs";
import { familyRevision, revisionOf } from "../../text/names.js";
import { type DescribedTaskDefinition, RUN_TAG } from "../task-definition/normalize.js";
import { COMMIT_TAG, isCommitSha, REPOSITORY_TAG, runOf } from "./provenance.js";

export const DEFAULT_HISTORY_LIMIT = 10;
/** ListServiceDeployments answers at most 100 a page; one page is enough for a person reading a table. */
export const MAX_HISTORY_LIMIT = 100;

/** Where the entries came from. */
export type HistorySource = "deployments" | "revisions";

export interface HistoryEntry {
  /** `web:41` */
  revision: string;
  /** The task definition's ARN; "" when the service revision's could not be read. */
  arn: string;
  /** Each container's image, short: `r254` (a pinned image's tags, from ECR), `web=r254`, `@sha256:1a2b3c4d5e6f`. */
  images: string[];
  /** The commit the revision was built from, from its tags (40 hex digits), and its repository (owner/name). */
  commit?: string | undefined;
  repository?: string | undefined;
  /** The page of the run that registered the revision, from its tags. */
  run?: string | undefined;
  /** When: the deployment's start (or creation); the revision's registration for a revision entry. */
  at?: Date | undefined;
  /** ECS's status of the service deployment (SUCCESSFUL, ROLLBACK_SUCCESSFUL, STOPPED, IN_PROGRESS, …). */
  status?: string | undefined;
  /** How it ended, in words: the status with ECS's reason, or what is known of a revision. */
  ended: string;
}

export interface History {
  source: HistorySource;
  /** The task definition the service names now. */
  current?: string | undefined;
  entries: HistoryEntry[];
}

/** The revisions as described (by ARN, with their tags), and the tags of their pinned images (by image URI). */
export interface Described {
  revisions: ReadonlyMap<string, DescribedTaskDefinition | undefined>;
  imageTags?: ReadonlyMap<string, readonly string[]> | undefined;
}

/** The parts of a DescribeServices answer the history reads. */
export interface ServiceNow {
  taskDefinition?: string | undefined;
  deployments?: ServiceDeploymentNow[] | undefined;
}

type ServiceDeploymentNow = Pick<Deployment, "status" | "taskDefinition" | "rolloutState" | "createdAt">;

/**
 * ECS's service deployments, newest first, at most `limit`: each with its target revision's task definition
 * (`taskDefinitionOf`, by service revision ARN) and that revision as described.
 */
export function fromDeployments(
  briefs: readonly ServiceDeploymentBrief[],
  taskDefinitionOf: ReadonlyMap<string, string | undefined>,
  described: Described,
  limit: number,
): HistoryEntry[] {
  return newestDeployments(briefs, limit).map((brief) => {
    const arn = taskDefinitionOf.get(brief.targetServiceRevisionArn ?? "") ?? "";
    const reason = brief.statusReason ? `: ${brief.statusReason}` : "";
    return {
      ...revisionFacts(arn, described.revisions.get(arn), described.imageTags),
      at: brief.startedAt ?? brief.createdAt,
      status: brief.status,
      ended: `${brief.status ?? "unknown"}${reason}`,
    };
  });
}

/** The `limit` newest service deployments, newest first: ECS does not say in which order it lists them. */
export function newestDeployments(briefs: readonly ServiceDeploymentBrief[], limit: number): ServiceDeploymentBrief[] {
  return [...briefs]
    .sort((a, b) => time(b.startedAt ?? b.createdAt) - time(a.startedAt ?? a.createdAt))
    .slice(0, limit);
}

/** The task definitions the deployments' target revisions name, given each service revision's. */
export function targetTaskDefinitions(
  briefs: readonly ServiceDeploymentBrief[],
  taskDefinitionOf: ReadonlyMap<string, string | undefined>,
): string[] {
  return briefs.flatMap((b) => taskDefinitionOf.get(b.targetServiceRevisionArn ?? "") ?? []);
}

/**
 * The family's ACTIVE revisions, newest first, at most `limit`, when ECS has no list of service deployments to
 * give: the service's own deployments (DescribeServices) say which of them runs and since when.
 */
export function fromRevisions(
  arns: readonly string[],
  described: Described,
  service: ServiceNow,
  limit: number,
): HistoryEntry[] {
  return newestFirst(arns)
    .slice(0, limit)
    .map((arn) => {
      const deployment = service.deployments?.find((d) => d.taskDefinition === arn);
      const revision = described.revisions.get(arn);
      return {
        ...revisionFacts(arn, revision, described.imageTags),
        at: deployment?.createdAt ?? revision?.registeredAt,
        ended: revisionState(arn, service, deployment),
      };
    });
}

/** Revision ARNs by revision number, newest first (ECS's own order is by family, then revision). */
export function newestFirst(arns: readonly string[]): string[] {
  return [...arns].sort((a, b) => (revisionOf(b) ?? 0) - (revisionOf(a) ?? 0));
}

function revisionState(arn: string, service: ServiceNow, deployment: ServiceDeploymentNow | undefined): string {
  if (deployment?.status === "PRIMARY") {
    const state = deployment.rolloutState ? ` (${deployment.rolloutState})` : "";
    return arn === service.taskDefinition ? `the service runs it${state}` : `deploying${state}`;
  }
  if (deployment) return `being replaced (${deployment.status ?? "ACTIVE"})`;
  return "registered (ECS keeps no deployment record here)";
}

/** What a revision says of itself: its short name, images, and the commit its tags name. */
export function revisionFacts(
  arn: string,
  described: DescribedTaskDefinition | undefined,
  imageTags?: ReadonlyMap<string, readonly string[]>,
) {
  const tags = new Map((described?.tags ?? []).map((t) => [t.key, t.value ?? ""]));
  const commit = tags.get(COMMIT_TAG);
  const containers = described?.containerDefinitions ?? [];
  const many = containers.length > 1;
  return {
    revision: arn ? familyRevision(arn) : "(unknown revision)",
    arn,
    images: containers.map((c) => {
      const tags = imageTags?.get(c.image ?? "");
      return `${many ? `${c.name}=` : ""}${tags ? tags.join(",") : imageTag(c.image ?? "")}`;
    }),
    // A tag's value is text anyone who can tag the revision wrote: only a commit id is taken as one.
    commit: commit && isCommitSha(commit) ? commit : undefined,
    repository: commit && isCommitSha(commit) ? tags.get(REPOSITORY_TAG) : undefined,
    run: runOf(tags.get(RUN_TAG)),
  };
}

/**
 * `…/web:r254` → `r254`; `…/web@sha256:1a2b…` → `@sha256:1a2b3c4d5e6f` (when ECR named no tag for the digest): what
 * tells two images apart in a table.
 */
export function imageTag(image: string): string {
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : "";
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon > slash) return name.slice(colon + 1);
  if (digest) return `@${digest.slice(0, 19)}`;
  return "latest";
}

/** The revision a rollback goes back to, or why there is none. */
export type RollbackChoice = { kind: "chosen"; entry: HistoryEntry; why: string } | { kind: "none"; reason: string };

/**
 * The revision before the current one. From ECS's deployments: the newest that succeeded on another revision than the
 * one the service runs (a revision that failed and was rolled back is never chosen). From the revisions alone: the
 * family's newest ACTIVE revision below the current one.
 */
export function previousRevision(history: History): RollbackChoice {
  const { current, entries, source } = history;
  if (!current) return { kind: "none", reason: "the service names no task definition" };
  if (source === "deployments") {
    const entry = entries.find((e) => e.arn !== "" && e.arn !== current && e.status === "SUCCESSFUL");
    if (entry) return { kind: "chosen", entry, why: "the revision of the service's last successful deployment before" };
    return {
      kind: "none",
      reason: `ECS lists no successful deployment of another revision than ${familyRevision(current)} among the last ${entries.length}: name one with --to`,
    };
  }
  const below = revisionOf(current) ?? 0;
  const entry = entries.find((e) => familyOf(e.arn) === familyOf(current) && (revisionOf(e.arn) ?? 0) < below);
  if (entry) {
    return {
      kind: "chosen",
      entry,
      why: "the family's newest ACTIVE revision before it (ECS's list of service deployments is not available here)",
    };
  }
  return {
    kind: "none",
    reason: `the family has no ACTIVE revision before ${familyRevision(current)}: name one with --to`,
  };
}

function familyOf(arn: string): string {
  return familyRevision(arn).replace(/:\d+$/, "");
}

function time(date: Date | undefined): number {
  return date ? date.getTime() : 0;
}
