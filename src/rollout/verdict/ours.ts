// Pure: which service deployment is ours. UpdateService answers with our deployment (`ecs-svc/…`) but not with the
// service deployment that ECS creates for it (aws/containers-roadmap#2709), and no document says how the two relate:
// whether a service revision's ARN ends with the deployment's number is unconfirmed (a service deployment's own id
// is a 21-character string, not that number). So a service deployment is ours when its service revision ARN does
// end with our number, or else when its target revision runs our task definition AND it was created with our
// deployment (within a minute) AND no other deployment of the service with that task definition was created nearer
// to it. The service's currentServiceDeployment right after UpdateService can still be the previous, SUCCESSFUL one:
// taking that for ours would be a false success, and these rules never do.
import type { DeploymentView } from "./model.js";
import { deploymentNumber } from "./names.js";

/** ECS creates both in the same UpdateService; a minute allows for two clocks inside ECS. */
export const CREATED_WITHIN_MS = 60_000;

export interface Candidate {
  arn: string;
  createdAt?: Date | undefined;
  /** the target service revision's ARN */
  revisionArn?: string | undefined;
}

export interface Ours {
  deploymentId: string;
  taskDefinitionArn: string;
  /** our deployment's createdAt, as DescribeServices shows it */
  createdAt?: Date | undefined;
}

/** The revision ARN ends with our deployment's number: if it does at all, it can be no one else's. */
export function numberMatches(candidate: Candidate, deploymentId: string): boolean {
  return candidate.revisionArn?.endsWith(`/${deploymentNumber(deploymentId)}`) ?? false;
}

/** Revisions whose task definition would decide: candidates created near ours whose number does not match. */
export function revisionsToLookUp(candidates: readonly Candidate[], ours: Ours, known: ReadonlyMap<string, unknown>) {
  return [
    ...new Set(
      candidates
        .filter((c) => !numberMatches(c, ours.deploymentId) && nearOurs(c, ours))
        .map((c) => c.revisionArn)
        .filter((arn): arn is string => arn !== undefined && !known.has(arn)),
    ),
  ];
}

function gap(a: Date | undefined, b: Date | undefined): number {
  return a && b ? Math.abs(a.getTime() - b.getTime()) : Number.POSITIVE_INFINITY;
}

function nearOurs(candidate: Candidate, ours: Ours): boolean {
  return gap(candidate.createdAt, ours.createdAt) <= CREATED_WITHIN_MS;
}

/**
 * Ours among `candidates`, or undefined until one is proven. `revisions` maps a revision ARN to its task
 * definition (DescribeServiceRevisions); `deployments` are the service's, ours among them.
 */
export function pickOurs(
  candidates: readonly Candidate[],
  ours: Ours,
  revisions: ReadonlyMap<string, string | undefined>,
  deployments: readonly DeploymentView[],
): string | undefined {
  const byNumber = candidates.find((c) => numberMatches(c, ours.deploymentId));
  if (byNumber) return byNumber.arn;
  const same = candidates.filter(
    (c) => nearOurs(c, ours) && c.revisionArn && revisions.get(c.revisionArn) === ours.taskDefinitionArn,
  );
  const [nearest] = [...same].sort((a, b) => gap(a.createdAt, ours.createdAt) - gap(b.createdAt, ours.createdAt));
  if (!nearest) return undefined;
  // A second deployment of the same revision (a re-run, force-new-deployment) created nearer to it: it is that one's.
  const rival = deployments.some(
    (d) =>
      d.id !== ours.deploymentId &&
      d.taskDefinition === ours.taskDefinitionArn &&
      gap(d.createdAt, nearest.createdAt) < gap(ours.createdAt, nearest.createdAt),
  );
  return rival ? undefined : nearest.arn;
}
