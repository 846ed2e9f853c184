// I/O: our service deployment (ListServiceDeployments / DescribeServiceDeployments), asked for only where the
// deployment strategy has lifecycle stages or our deployment has no rolloutState. Which one is ours is decided by
// verdict/ours.ts: the revision's number where it matches, else our task definition (DescribeServiceRevisions, once
// per revision) and our creation time. Until one is proven ours, nothing a service deployment says counts.
import type { ListServiceDeploymentsCommandInput } from "@aws-sdk/client-ecs";
import { describeServiceDeployment, listServiceDeployments } from "../aws/ecs.js";
import { revisionTaskDefinitions } from "../aws/ecs-deployments.js";
import { AwsError, isAccessDenied } from "../aws/errors.js";
import { call, Throttled, Unavailable, Unsupported } from "./calls.js";
import { callOptions, type Io, type Target } from "./io.js";
import type { ServiceDeploymentView, ServiceView } from "./verdict/model.js";
import { earlySuccess, findDeployment, isStaged } from "./verdict/names.js";
import { type Candidate, CREATED_WITHIN_MS, type Ours, pickOurs, revisionsToLookUp } from "./verdict/ours.js";

/** Server errors in a row before the service deployment is given up on (the verdict then needs more, not less). */
export const MAX_SERVICE_DEPLOYMENT_FAILURES = 3;
const LIST_TRIES = 3;

export class ServiceDeploymentSource {
  private arn: string | undefined;
  private supported = true;
  private failures = 0;
  private listTries = 0;
  private currentTried = false;
  private last: ServiceDeploymentView | undefined;
  /** revision ARN → its task definition, as DescribeServiceRevisions said */
  private readonly revisions = new Map<string, string | undefined>();
  /** DescribeServiceRevisions answers here: without it only a matching number proves a service deployment ours */
  private revisionsReadable = true;
  /** the last fetch was throttled: the poller backs off, but keeps this poll's other answers */
  throttled: Throttled | undefined;
  /** lines for the log, taken by the poller */
  readonly notes: string[] = [];

  constructor(
    private readonly io: Io,
    private readonly target: Target,
  ) {
    // Known beforehand (answering a pause): nothing to prove.
    this.arn = target.serviceDeploymentArn;
  }

  private get options() {
    return callOptions(this.io);
  }

  /** Ours, as of this poll; on a passing error, the last answer. */
  async fetch(service: ServiceView | undefined): Promise<ServiceDeploymentView | undefined> {
    this.throttled = undefined;
    if (!this.wanted(service)) return undefined;
    try {
      const sd = await this.describeOurs(service);
      this.failures = 0;
      this.last = sd ?? this.last;
      return this.last;
    } catch (error) {
      return this.onError(error);
    }
  }

  private wanted(service: ServiceView | undefined): boolean {
    if (!this.supported) return false;
    if (this.arn) return true;
    const ours = findDeployment(service, this.target.deploymentId);
    // Early success is ECS's word on the service deployment alone: rolling deployments that use it read it too.
    return (
      ours !== undefined &&
      (isStaged(service) || earlySuccess(service) !== undefined || ours.rolloutState === undefined)
    );
  }

  private ours(service: ServiceView | undefined): Ours {
    const { deploymentId, taskDefinitionArn } = this.target;
    return { deploymentId, taskDefinitionArn, createdAt: findDeployment(service, deploymentId)?.createdAt };
  }

  private async describeOurs(service: ServiceView | undefined): Promise<ServiceDeploymentView | undefined> {
    if (this.arn) return this.describe(this.arn);
    const fresh = await this.currentIfNew(service);
    if (fresh) return fresh;
    const listed = await this.listCandidates(service);
    const found = listed && (await this.pick(listed, service));
    if (found) {
      this.arn = found;
      return this.describe(found);
    }
    // Not listed (yet, or no longer tried): the service's current one, described, is the candidate.
    const current = service?.currentServiceDeployment;
    if (!current || listed?.some((c) => c.arn === current)) return undefined;
    const sd = await this.describe(current);
    const candidate = { arn: current, createdAt: sd?.createdAt, revisionArn: sd?.targetServiceRevision?.arn };
    // Remembered only once proven ours; until then every poll looks again.
    if ((await this.pick([candidate], service)) !== current) return undefined;
    this.arn = current;
    return sd;
  }

  /**
   * The service's currentServiceDeployment, once it is another than before UpdateService: described and, when proven
   * ours, taken without a ListServiceDeployments call. Tried once; the list decides otherwise.
   */
  private async currentIfNew(service: ServiceView | undefined): Promise<ServiceDeploymentView | undefined> {
    const current = service?.currentServiceDeployment;
    const prior = this.target.priorServiceDeployment;
    if (this.currentTried || !current || prior === undefined || current === prior) return undefined;
    this.currentTried = true;
    const sd = await this.describe(current);
    const candidate = { arn: current, createdAt: sd?.createdAt, revisionArn: sd?.targetServiceRevision?.arn };
    if ((await this.pick([candidate], service)) !== current) return undefined;
    this.arn = current;
    return sd;
  }

  private async pick(candidates: Candidate[], service: ServiceView | undefined): Promise<string | undefined> {
    const ours = this.ours(service);
    const unknown = this.revisionsReadable ? revisionsToLookUp(candidates, ours, this.revisions) : [];
    if (unknown.length > 0) await this.lookUpRevisions(unknown);
    return pickOurs(candidates, ours, this.revisions, service?.deployments ?? []);
  }

  private async lookUpRevisions(arns: string[]): Promise<void> {
    try {
      const found = await call(
        this.io.counter,
        "DescribeServiceRevisions",
        () => revisionTaskDefinitions(this.io.clients.ecs, arns, this.options, true),
        { mayBeUnsupported: true },
      );
      for (const arn of arns) this.revisions.set(arn, found.get(arn));
    } catch (error) {
      const denied = error instanceof AwsError && isAccessDenied(error.cause);
      if (!denied && !(error instanceof Unsupported)) throw error;
      this.revisionsReadable = false;
      this.notes.push(
        `${error.message}: our service deployment is recognised by its revision's number only, and the wait may follow our deployment's rolloutState instead`,
      );
    }
  }

  /**
   * Created since ours, listed a few times at most; undefined once no longer tried (the service's
   * currentServiceDeployment is the candidate then).
   */
  private async listCandidates(service: ServiceView | undefined): Promise<Candidate[] | undefined> {
    if (this.listTries >= LIST_TRIES) return undefined;
    this.listTries++;
    const out = await call(
      this.io.counter,
      "ListServiceDeployments",
      () => listServiceDeployments(this.io.clients.ecs, this.listInput(service), this.options),
      { mayBeUnsupported: true },
    );
    return (out.serviceDeployments ?? []).flatMap((d) =>
      d.serviceDeploymentArn
        ? [{ arn: d.serviceDeploymentArn, createdAt: d.createdAt, revisionArn: d.targetServiceRevisionArn }]
        : [],
    );
  }

  /** Only deployments created since ours: one short page instead of the service's whole history. */
  private listInput(service: ServiceView | undefined): ListServiceDeploymentsCommandInput {
    const { cluster, service: name, deploymentId } = this.target;
    const created = findDeployment(service, deploymentId)?.createdAt?.getTime();
    if (created === undefined) return { cluster, service: name };
    return { cluster, service: name, createdAt: { after: new Date(created - CREATED_WITHIN_MS) } };
  }

  private async describe(arn: string): Promise<ServiceDeploymentView | undefined> {
    return call(
      this.io.counter,
      "DescribeServiceDeployments",
      () => describeServiceDeployment(this.io.clients.ecs, arn, this.options),
      { mayBeUnsupported: true },
    );
  }

  private onError(error: unknown): ServiceDeploymentView | undefined {
    if (error instanceof Throttled) {
      this.throttled = error;
      return this.last;
    }
    if (error instanceof Unavailable && ++this.failures < MAX_SERVICE_DEPLOYMENT_FAILURES) return this.last;
    if (!(error instanceof Unsupported || error instanceof Unavailable)) throw error;
    this.supported = false;
    this.notes.push(
      error instanceof Unsupported
        ? `${error.message}: following our deployment's rolloutState and the service's deployments instead`
        : `${error.message} (${this.failures} times in a row): following our deployment's rolloutState and the service's deployments instead`,
    );
    return undefined;
  }
}
