// I/O: one Snapshot per poll, with as few calls as the verdict needs. DescribeServices every poll; our tasks only
// when our deployment moved; target health only while our tasks run and are not all healthy yet; service
// deployments only where the deployment strategy has lifecycle stages (or rolloutState is missing).
import type { ListTasksCommandOutput } from "@aws-sdk/client-ecs";
import { describeService, describeTasks, listTasks } from "../aws/ecs.js";
import { describeTargetGroups, describeTargetHealth } from "../aws/elb.js";
import { targetGroupName } from "../text/names.js";
import { awsErrorName, call, Throttled } from "./calls.js";
import { callOptions, type Io, type Target } from "./io.js";
import { ServiceDeploymentSource } from "./service-deployment.js";
import type {
  ServiceDeploymentView,
  ServiceView,
  Snapshot,
  TargetGroupView,
  TargetHealthView,
  TaskView,
} from "./verdict/model.js";
import { findDeployment } from "./verdict/names.js";
import { targetGroupArns, targetsHealthy } from "./verdict/targets.js";

export type { Io, Target, WatchClients } from "./io.js";

export class SnapshotSource {
  private tasks: TaskView[] = [];
  private targetHealth: Record<string, TargetHealthView[]> = {};
  private targetGroups: Record<string, TargetGroupView> | undefined;
  /** what our deployment looked like when we last listed its tasks */
  private tasksKey: string | undefined;
  private targetsSettled = false;
  /** what this poll fetched already, so a confirmation does not ask twice */
  private fresh = { tasks: false, targets: false };
  private readonly serviceDeployments: ServiceDeploymentSource;
  private listByService = false;
  private last: { service: ServiceView | undefined; serviceDeployment: ServiceDeploymentView | undefined } = {
    service: undefined,
    serviceDeployment: undefined,
  };

  constructor(
    private readonly io: Io,
    private readonly target: Target,
  ) {
    this.serviceDeployments = new ServiceDeploymentSource(io, target);
  }

  /** Part of the last poll was throttled (its other answers still count): the poller backs off. */
  get throttled(): boolean {
    return this.serviceDeployments.throttled;
  }

  /** Lines for the log about how the wait follows the rollout (an API given up on), each once. */
  takeNotes(): string[] {
    return this.serviceDeployments.notes.splice(0);
  }

  private get options() {
    return callOptions(this.io);
  }

  async poll(at: number): Promise<Snapshot> {
    this.fresh = { tasks: false, targets: false };
    const service = await this.describeService();
    const key = tasksKey(service, this.target.deploymentId);
    // Both need only the service's answer: one round trip, not two.
    const [serviceDeployment] = await Promise.all([
      this.serviceDeployments.fetch(service),
      key !== this.tasksKey ? this.fetchTasks(key) : undefined,
    ]);
    this.last = { service, serviceDeployment };
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
    return call(this.io.counter, "DescribeServices", () =>
      describeService(this.io.clients.ecs, cluster, service, this.options),
    );
  }

  private async fetchTasks(key: string | undefined): Promise<void> {
    const { cluster, deploymentId } = this.target;
    const lists = await Promise.all([this.listTasks("RUNNING"), this.listTasks("STOPPED")]);
    const arns = lists.flat();
    const chunks = Array.from({ length: Math.ceil(arns.length / 100) }, (_, i) => arns.slice(i * 100, i * 100 + 100));
    const described = await Promise.all(
      chunks.map((chunk) =>
        call(this.io.counter, "DescribeTasks", () => describeTasks(this.io.clients.ecs, cluster, chunk, this.options)),
      ),
    );
    const tasks: TaskView[] = described.flat();
    this.tasks = tasks.filter((t) => t.startedBy === deploymentId);
    this.tasksKey = key;
    this.targetsSettled = false;
    this.fresh.tasks = true;
  }

  /**
   * Every page of RUNNING tasks: success needs each of them seen (a service of 150 tasks must be able to succeed).
   * One page of STOPPED: the newest 100 explain a failure, and a deployment with more stopped tasks has failed.
   */
  private async listTasks(desiredStatus: "RUNNING" | "STOPPED"): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.listTasksPage(desiredStatus, nextToken);
      arns.push(...(page.taskArns ?? []));
      nextToken = desiredStatus === "RUNNING" ? page.nextToken : undefined;
    } while (nextToken);
    return arns;
  }

  private async listTasksPage(
    desiredStatus: "RUNNING" | "STOPPED",
    nextToken: string | undefined,
  ): Promise<ListTasksCommandOutput> {
    const { cluster, service, deploymentId } = this.target;
    const byService = this.listByService;
    const filter = byService ? { serviceName: service } : { startedBy: deploymentId };
    const input = { cluster, ...filter, desiredStatus, maxResults: 100, ...(nextToken ? { nextToken } : {}) };
    try {
      return await call(this.io.counter, "ListTasks", () => listTasks(this.io.clients.ecs, input, this.options));
    } catch (error) {
      // ECS documents startedBy as "the only filter" allowed. Should it ever refuse it with desiredStatus, list the
      // service's tasks instead and keep ours by their startedBy. Judged by this request's filter, not the flag: the
      // RUNNING and STOPPED listings run side by side, and the other may have switched already.
      if (byService || awsErrorName(error) !== "InvalidParameterException") throw error;
      this.listByService = true;
      return this.listTasksPage(desiredStatus, undefined);
    }
  }

  private needsTargets(service: ServiceView | undefined): boolean {
    if (this.targetsSettled || targetGroupArns(service?.loadBalancers).length === 0) return false;
    const ours = findDeployment(service, this.target.deploymentId);
    return (ours?.runningCount ?? 0) > 0 || this.tasks.some((t) => t.lastStatus === "RUNNING");
  }

  private async fetchTargets(service: ServiceView | undefined, at: number): Promise<void> {
    const arns = targetGroupArns(service?.loadBalancers);
    // The groups' names (once) and every group's health, side by side.
    const [groups, ...health] = await Promise.all([
      this.targetGroups ?? this.describeTargetGroups(arns),
      ...arns.map((arn) =>
        call(this.io.counter, "DescribeTargetHealth", () =>
          describeTargetHealth(this.io.clients.elb, arn, this.options),
        ),
      ),
    ]);
    this.targetGroups = groups;
    this.targetHealth = Object.fromEntries(arns.map((arn, i) => [arn, health[i] ?? []]));
    this.fresh.targets = true;
    // Once all our tasks are healthy, stop asking until the tasks change or a verdict needs proof.
    this.targetsSettled = targetsHealthy(this.snapshot(at), this.target);
  }

  /** Names and health check paths, once: the path makes "health checks failed with codes [404]" actionable. */
  private async describeTargetGroups(arns: string[]): Promise<Record<string, TargetGroupView>> {
    const groups: Record<string, TargetGroupView> = {};
    for (const arn of arns) groups[arn] = { name: targetGroupName(arn) };
    try {
      const found = await call(this.io.counter, "DescribeTargetGroups", () =>
        describeTargetGroups(this.io.clients.elb, arns, this.options),
      );
      for (const tg of found) {
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
