// I/O: one Snapshot per poll, with as few calls as the verdict needs. DescribeServices every poll; our tasks only
// when our deployment moved; target health only while our tasks run and are not all healthy yet; service
// deployments only where the deployment strategy has lifecycle stages (or rolloutState is missing).
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Clients } from "../aws.js";
import { awsErrorName, type CallCounter, call, Throttled, Unsupported } from "./calls.js";
import type {
  ServiceDeploymentView,
  ServiceView,
  Snapshot,
  TargetGroupView,
  TargetHealthView,
  TaskView,
} from "./model.js";
import { findDeployment, targetGroupName } from "./names.js";
import { targetGroupArns, targetsHealthy } from "./targets.js";

export interface Target {
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinitionArn: string;
}

export interface Io {
  clients: Pick<Clients, "ecs" | "ecsOnce" | "elb" | "logs">;
  counter: CallCounter;
  signal?: AbortSignal | undefined;
}

const STAGED = new Set(["BLUE_GREEN", "LINEAR", "CANARY"]);

export class SnapshotSource {
  private tasks: TaskView[] = [];
  private targetHealth: Record<string, TargetHealthView[]> = {};
  private targetGroups: Record<string, TargetGroupView> | undefined;
  /** what our deployment looked like when we last listed its tasks */
  private tasksKey: string | undefined;
  private targetsSettled = false;
  /** what this poll fetched already, so a confirmation does not ask twice */
  private fresh = { tasks: false, targets: false };
  private serviceDeploymentArn: string | undefined;
  private serviceDeploymentsSupported = true;
  private listByService = false;
  private listTries = 0;
  private last: { service: ServiceView | undefined; serviceDeployment: ServiceDeploymentView | undefined } = {
    service: undefined,
    serviceDeployment: undefined,
  };

  constructor(
    private readonly io: Io,
    private readonly target: Target,
  ) {}

  private get options() {
    return this.io.signal ? { abortSignal: this.io.signal } : {};
  }

  async poll(at: number): Promise<Snapshot> {
    this.fresh = { tasks: false, targets: false };
    const service = await this.describeService();
    const serviceDeployment = await this.describeServiceDeployment(service);
    this.last = { service, serviceDeployment };
    const key = tasksKey(service, this.target.deploymentId);
    if (key !== this.tasksKey) await this.fetchTasks(key);
    if (this.needsTargets(service)) await this.fetchTargets(service, at);
    return this.snapshot(at);
  }

  /** Fresh tasks and target health for a final verdict: the root cause of a failure, or proof of a success. */
  async confirm(at: number): Promise<Snapshot> {
    if (!this.fresh.tasks) await this.fetchTasks(this.tasksKey);
    const balanced = targetGroupArns(this.last.service?.loadBalancers).length > 0;
    if (balanced && !this.fresh.targets) await this.fetchTargets(this.last.service, at);
    return this.snapshot(at);
  }

  private snapshot(at: number): Snapshot {
    return {
      at,
      service: this.last.service,
      serviceDeployment: this.last.serviceDeployment,
      tasks: this.tasks,
      targetHealth: this.targetHealth,
      targetGroups: this.targetGroups ?? {},
    };
  }

  private async describeService(): Promise<ServiceView | undefined> {
    const { cluster, service } = this.target;
    const out = await call(this.io.counter, "DescribeServices", () =>
      this.io.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), this.options),
    );
    return out.services?.[0];
  }

  private async describeServiceDeployment(service: ServiceView | undefined) {
    const ours = findDeployment(service, this.target.deploymentId);
    const staged = STAGED.has(service?.deploymentConfiguration?.strategy ?? "");
    if (!this.serviceDeploymentsSupported || !ours || (!staged && ours.rolloutState !== undefined)) return undefined;
    try {
      this.serviceDeploymentArn ??= await this.findServiceDeployment(service);
      const arn = this.serviceDeploymentArn;
      if (!arn) return undefined;
      const out = await call(
        this.io.counter,
        "DescribeServiceDeployments",
        () =>
          this.io.clients.ecsOnce.send(
            new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
            this.options,
          ),
        { mayBeUnsupported: true },
      );
      return out.serviceDeployments?.[0];
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      // Not there (moto answers 500): the deployments array answers the same question for the rest of the wait.
      this.serviceDeploymentsSupported = false;
      return undefined;
    }
  }

  /**
   * Our service deployment: its target service revision carries our deployment's number
   * (ecs-svc/4980306466373577095 ↔ service-revision/…/4980306466373577095). Failing that (listed a few times at
   * most), the service's current one while ours is PRIMARY.
   */
  private async findServiceDeployment(service: ServiceView | undefined): Promise<string | undefined> {
    const { cluster, service: name, deploymentId } = this.target;
    if (this.listTries < 3) {
      this.listTries++;
      const out = await call(
        this.io.counter,
        "ListServiceDeployments",
        () => this.io.clients.ecsOnce.send(new ListServiceDeploymentsCommand({ cluster, service: name }), this.options),
        { mayBeUnsupported: true },
      );
      const number = deploymentId.replace(/^ecs-svc\//, "");
      const match = out.serviceDeployments?.find((d) => d.targetServiceRevisionArn?.endsWith(`/${number}`));
      if (match?.serviceDeploymentArn) return match.serviceDeploymentArn;
    }
    const primary = findDeployment(service, deploymentId)?.status === "PRIMARY";
    return primary ? service?.currentServiceDeployment : undefined;
  }

  private async fetchTasks(key: string | undefined): Promise<void> {
    const { cluster, deploymentId } = this.target;
    const arns = [...(await this.listTasks("RUNNING")), ...(await this.listTasks("STOPPED"))];
    const tasks: TaskView[] = [];
    for (let i = 0; i < arns.length; i += 100) {
      const chunk = arns.slice(i, i + 100);
      const out = await call(this.io.counter, "DescribeTasks", () =>
        this.io.clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: chunk }), this.options),
      );
      tasks.push(...(out.tasks ?? []));
    }
    this.tasks = tasks.filter((t) => t.startedBy === deploymentId);
    this.tasksKey = key;
    this.targetsSettled = false;
    this.fresh.tasks = true;
  }

  /** One page per desired status: a deployment that needs more than 100 tasks to judge has long since failed. */
  private async listTasks(desiredStatus: "RUNNING" | "STOPPED"): Promise<string[]> {
    const { cluster, service, deploymentId } = this.target;
    const filter = this.listByService ? { serviceName: service } : { startedBy: deploymentId };
    const input = { cluster, ...filter, desiredStatus, maxResults: 100 };
    try {
      const out = await call(this.io.counter, "ListTasks", () =>
        this.io.clients.ecs.send(new ListTasksCommand(input), this.options),
      );
      return out.taskArns ?? [];
    } catch (error) {
      // ECS documents startedBy as "the only filter" allowed. Should it ever refuse it with desiredStatus, list the
      // service's tasks instead and keep ours by their startedBy.
      if (this.listByService || awsErrorName(error) !== "InvalidParameterException") throw error;
      this.listByService = true;
      return this.listTasks(desiredStatus);
    }
  }

  private needsTargets(service: ServiceView | undefined): boolean {
    if (this.targetsSettled || targetGroupArns(service?.loadBalancers).length === 0) return false;
    const ours = findDeployment(service, this.target.deploymentId);
    return (ours?.runningCount ?? 0) > 0 || this.tasks.some((t) => t.lastStatus === "RUNNING");
  }

  private async fetchTargets(service: ServiceView | undefined, at: number): Promise<void> {
    const arns = targetGroupArns(service?.loadBalancers);
    this.targetGroups ??= await this.describeTargetGroups(arns);
    const health: Record<string, TargetHealthView[]> = {};
    for (const arn of arns) {
      const out = await call(this.io.counter, "DescribeTargetHealth", () =>
        this.io.clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }), this.options),
      );
      health[arn] = out.TargetHealthDescriptions ?? [];
    }
    this.targetHealth = health;
    this.fresh.targets = true;
    // Once all our tasks are healthy, stop asking until the tasks change or a verdict needs proof.
    this.targetsSettled = targetsHealthy(this.snapshot(at), this.target);
  }

  /** Names and health check paths, once: the path makes "health checks failed with codes [404]" actionable. */
  private async describeTargetGroups(arns: string[]): Promise<Record<string, TargetGroupView>> {
    const groups: Record<string, TargetGroupView> = {};
    for (const arn of arns) groups[arn] = { name: targetGroupName(arn) };
    try {
      const out = await call(this.io.counter, "DescribeTargetGroups", () =>
        this.io.clients.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns }), this.options),
      );
      for (const tg of out.TargetGroups ?? []) {
        if (!tg.TargetGroupArn) continue;
        groups[tg.TargetGroupArn] = {
          name: tg.TargetGroupName ?? targetGroupName(tg.TargetGroupArn),
          healthCheckPath: tg.HealthCheckPath,
        };
      }
    } catch (error) {
      if (error instanceof Throttled) throw error;
      // Optional: without it messages lack the health check path, nothing more.
    }
    return groups;
  }
}

/** Our deployment's counts, last update and the newest service event: when none moved, our tasks did not either. */
function tasksKey(service: ServiceView | undefined, deploymentId: string): string {
  const d = findDeployment(service, deploymentId);
  const counts = [d?.runningCount, d?.pendingCount, d?.failedTasks, d?.rolloutState, d?.updatedAt?.getTime()];
  return [...counts, service?.events?.[0]?.id].join("|");
}
