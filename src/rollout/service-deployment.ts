// I/O: our service deployment (ListServiceDeployments / DescribeServiceDeployments), asked for only where the
// deployment strategy has lifecycle stages or our deployment has no rolloutState. A service deployment is taken
// for ours only when its target service revision carries our deployment's number
// (ecs-svc/4980306466373577095 ↔ service-revision/…/4980306466373577095): the service's currentServiceDeployment
// can still be the previous, SUCCESSFUL one right after UpdateService, and trusting it would be a false success.
import type { ListServiceDeploymentsCommandInput } from "@aws-sdk/client-ecs";
import { describeServiceDeployment, listServiceDeployments } from "../aws/ecs.js";
import { call, Throttled, Unavailable, Unsupported } from "./calls.js";
import { callOptions, type Io, type Target } from "./io.js";
import type { ServiceDeploymentView, ServiceView } from "./verdict/model.js";
import { deploymentNumber, findDeployment, isStaged } from "./verdict/names.js";

/** Server errors in a row before the service deployment is given up on (the verdict then needs more, not less). */
export const MAX_SERVICE_DEPLOYMENT_FAILURES = 3;
const LIST_TRIES = 3;
/** ListServiceDeployments' createdAt filter: margin below our deployment's createdAt (two clocks inside ECS). */
const CREATED_MARGIN_MS = 60_000;

export class ServiceDeploymentSource {
  private arn: string | undefined;
  private supported = true;
  private failures = 0;
  private listTries = 0;
  private last: ServiceDeploymentView | undefined;
  /** the last fetch was throttled: the poller backs off, but keeps this poll's other answers */
  throttled: Throttled | undefined;
  /** lines for the log, taken by the poller */
  readonly notes: string[] = [];

  constructor(
    private readonly io: Io,
    private readonly target: Target,
  ) {}

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
    return ours !== undefined && (isStaged(service) || ours.rolloutState === undefined);
  }

  private async describeOurs(service: ServiceView | undefined): Promise<ServiceDeploymentView | undefined> {
    if (this.arn) return this.describe(this.arn);
    const candidate = (await this.listOurs(service)) ?? service?.currentServiceDeployment;
    if (!candidate) return undefined;
    const sd = await this.describe(candidate);
    // Remembered only once proven ours; until then every poll looks again.
    if (!this.isOurs(sd)) return undefined;
    this.arn = candidate;
    return sd;
  }

  private isOurs(sd: { targetServiceRevision?: { arn?: string | undefined } | undefined } | undefined): boolean {
    return sd?.targetServiceRevision?.arn?.endsWith(`/${deploymentNumber(this.target.deploymentId)}`) ?? false;
  }

  /** Listed a few times at most: after that the service's currentServiceDeployment is the candidate. */
  private async listOurs(service: ServiceView | undefined): Promise<string | undefined> {
    if (this.listTries >= LIST_TRIES) return undefined;
    this.listTries++;
    const out = await call(
      this.io.counter,
      "ListServiceDeployments",
      () => listServiceDeployments(this.io.clients.ecsOnce, this.listInput(service), this.options),
      { mayBeUnsupported: true },
    );
    const match = out.serviceDeployments?.find((d) =>
      this.isOurs({ targetServiceRevision: { arn: d.targetServiceRevisionArn } }),
    );
    return match?.serviceDeploymentArn;
  }

  /** Only deployments created since ours: one short page instead of the service's whole history. */
  private listInput(service: ServiceView | undefined): ListServiceDeploymentsCommandInput {
    const { cluster, service: name, deploymentId } = this.target;
    const created = findDeployment(service, deploymentId)?.createdAt?.getTime();
    if (created === undefined) return { cluster, service: name };
    return { cluster, service: name, createdAt: { after: new Date(created - CREATED_MARGIN_MS) } };
  }

  private async describe(arn: string): Promise<ServiceDeploymentView | undefined> {
    return call(
      this.io.counter,
      "DescribeServiceDeployments",
      () => describeServiceDeployment(this.io.clients.ecsOnce, arn, this.options),
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
