// I/O: one Snapshot per look, with as few calls as the verdict needs. ECS's read limits are shared by the whole
// account (DescribeServices 20 a second; ListTasks and DescribeTasks another 20 together), so every deploy waiting
// in it counts. DescribeServices every look; our tasks, target health and service deployments only when the
// service says something changed (its counts, its deployments, a new event), when their state can move unseen (a
// task provisioning, a target's health check, a task of ours stopping), on a slow clock otherwise, and fresh for a
// verdict. A quick look (see schedule.ts) reads the service alone unless it changed.
import { describeService } from "../aws/ecs.js";
import { call, type Throttled } from "./calls.js";
import { callOptions, type Io, type Target } from "./io.js";
import { ServiceDeploymentSource } from "./service-deployment.js";
import { TargetReader } from "./target-reader.js";
import { TaskReader } from "./task-reader.js";
import { aboutTargets } from "./verdict/events.js";
import { oldRevision } from "./verdict/live.js";
import type { EventView, ServiceDeploymentView, ServiceView, Snapshot } from "./verdict/model.js";
import { findDeployment, isStaged } from "./verdict/names.js";
import { deregistrationUnseen, expectedHealthy, lastHealthCheck } from "./verdict/pace.js";
import { awaitingPause, goesForward } from "./verdict/stages.js";
import { targetGroupArns, targetsHealthy } from "./verdict/targets.js";
import { healthyTasks, judgedOnTasks } from "./verdict/tasks-health.js";

export type { Io, Target, WatchClients } from "./io.js";

/** Tasks are read at least this often while ours are still starting: a state ECS's counts do not show. */
export const TASKS_SLOW_MS = 60_000;
/** Tasks at least this often while one of ours is PROVISIONING (Fargate: 10–20 s), so PENDING shows as it comes. */
export const TASKS_PROVISIONING_MS = 15_000;
/** Target health at least this often while ours are not all healthy, or the old revision still serves. */
export const TARGETS_SLOW_MS = 15_000;
/** Service deployments (rolling, without rolloutState) at least this often. */
export const SERVICE_DEPLOYMENTS_SLOW_MS = 15_000;
/**
 * During a bake time or a pause only the clock moves, and only the service deployment tells when that ends: one
 * DescribeServiceDeployments a look, the service (and what it leads to) on this slower clock: over a real 10-minute
 * bake at 5 s polls, 120 + 7 DescribeServices + 13 DescribeTargetHealth (two groups), 14 a minute.
 */
export const QUIET_SERVICE_MS = 90_000;

/** What one look asks for. */
export interface Look {
  /** ms since the wait began */
  at: number;
  /** a quick look reads the service alone, unless the service changed */
  quick?: boolean;
}

export class SnapshotSource {
  private readonly tasks: TaskReader;
  private readonly targets: TargetReader;
  private readonly serviceDeployments: ServiceDeploymentSource;
  private service: ServiceView | undefined;
  /** the service's latest answer, even from a look whose other reads failed: what ECS last said of itself */
  private latestService: ServiceView | undefined;
  private serviceDeployment: ServiceDeploymentView | undefined;
  private readonly seenEvents = new Set<string>();
  private serviceKey: string | undefined;
  private oursKey: string | undefined;
  /** our deployment's counts or state moved in the last look */
  private oursMoved = false;
  private readAt = {
    tasks: Number.NEGATIVE_INFINITY,
    targets: Number.NEGATIVE_INFINITY,
    sd: Number.NEGATIVE_INFINITY,
    service: Number.NEGATIVE_INFINITY,
  };
  /** a quiet look's answer, when it showed a change: the full look that follows at once uses it, not asks again */
  private prefetched: ServiceDeploymentView | undefined;
  /** the production weight ECS asked for ours when target health was last read (staged strategies) */
  private weightAtTargets: number | undefined;
  /** what this look fetched already, so a confirmation does not ask twice */
  private fresh = { tasks: false, targets: false };
  /**
   * Reads that were due and got no answer (throttled, late): due again on every look until answered. A read not
   * made is no fact: without this, a look whose task read failed would leave ours unknown, and a later look, seeing
   * nothing move, would never ask again (2/2 running · 0/2 healthy until the timeout).
   */
  private owed = { tasks: false, targets: false };
  /** part of the last look was throttled (its other answers still count): the poller backs off */
  throttled: Throttled | undefined;

  constructor(
    private readonly io: Io,
    private readonly target: Target,
  ) {
    this.tasks = new TaskReader(io, target);
    this.targets = new TargetReader(io);
    this.serviceDeployments = new ServiceDeploymentSource(io, target);
  }

  /** Lines for the log about how the wait follows the rollout (an API given up on), each once. */
  takeNotes(): string[] {
    return this.serviceDeployments.notes.splice(0);
  }

  async poll(look: Look): Promise<Snapshot> {
    this.fresh = { tasks: false, targets: false };
    this.throttled = undefined;
    if (this.quiet(look.at)) {
      const quiet = await this.quietLook(look.at);
      if (quiet) return quiet;
    }
    return this.fullLook(look);
  }

  /** In a bake time or a pause, going forward, with the service read within the slow clock: a cheap look will do. */
  private quiet(at: number): boolean {
    const sd = this.serviceDeployment;
    if (!this.service || !sd?.serviceDeploymentArn || !goesForward(sd)) return false;
    if (sd.lifecycleStage !== "BAKE_TIME" && !awaitingPause(sd)) return false;
    return at - this.readAt.service < QUIET_SERVICE_MS && !this.owed.tasks && !this.owed.targets;
  }

  /** The service deployment alone; undefined when it moved (or did not answer): then a full look, at once. */
  private async quietLook(at: number): Promise<Snapshot | undefined> {
    const before = this.serviceDeployment;
    const sd = await this.fetchServiceDeployment(this.service, at);
    if (this.throttled) return this.snapshot(at);
    if (!sd || quietKey(sd) !== quietKey(before)) {
      this.prefetched = sd;
      return undefined;
    }
    this.serviceDeployment = sd;
    return this.snapshot(at);
  }

  private async fullLook(look: Look): Promise<Snapshot> {
    const { at, quick = false } = look;
    const service = await this.describeService();
    this.readAt.service = at;
    this.latestService = service;
    const news = this.newEvents(service);
    const key = serviceKey(service);
    const changed = key !== this.serviceKey || news.length > 0;
    const ours = oursKey(service, this.target.deploymentId);
    this.oursMoved = ours !== this.oursKey;
    const ranBefore = this.tasks.runningArns();
    const wantTasks = this.tasksDue(service, news, look);
    const wantSd = this.serviceDeploymentsDue(service, changed, look);
    // Both need only the service's answer: one round trip, not two.
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    const [serviceDeployment] = await Promise.all([
      prefetched ?? (wantSd ? this.fetchServiceDeployment(service, at) : this.serviceDeployment),
      wantTasks ? this.fetchTasks(service, news, at) : undefined,
    ]);
    this.service = service;
    this.serviceDeployment = serviceDeployment;
    const tasksMoved = wantTasks && !sameSet(ranBefore, this.tasks.runningArns());
    if (this.targetsDue(tasksMoved || this.weightMoved(), news, at, quick)) await this.fetchTargets(at);
    // Only a look whose reads all answered counts as seen: after a failed one, the same news and moves are news again.
    this.serviceKey = key;
    this.oursKey = ours;
    this.see(service);
    return this.snapshot(at);
  }

  /** Fresh tasks and target health for a final verdict: the root cause of a failure, or proof of a success. */
  async confirm(at: number): Promise<Snapshot> {
    if (!this.fresh.tasks) await this.fetchTasks(this.service, [], at);
    const balanced = targetGroupArns(this.service?.loadBalancers).length > 0;
    // Targets only for tasks that ran: a task that never started (a pull error) has none.
    const ran = this.tasks.all.some((t) => t.startedAt || t.lastStatus === "RUNNING");
    if (balanced && ran && !this.fresh.targets) await this.fetchTargets(at);
    return this.snapshot(at);
  }

  /** The last full snapshot with the service as ECS last answered: what a timeout judges ECS's own word on. */
  latest(at: number): Snapshot {
    return { ...this.snapshot(at), service: this.latestService ?? this.service };
  }

  private snapshot(at: number): Snapshot {
    return {
      at,
      service: this.service,
      serviceDeployment: this.serviceDeployment,
      tasks: this.tasks.all,
      targetHealth: this.targets.health,
      targetGroups: this.targets.groups ?? {},
    };
  }

  private async describeService(): Promise<ServiceView | undefined> {
    const { cluster, service } = this.target;
    return call(this.io.counter, "DescribeServices", () =>
      describeService(this.io.clients.ecs, cluster, service, callOptions(this.io)),
    );
  }

  /** Events not seen before; on the first look, those since our deployment began. */
  private newEvents(service: ServiceView | undefined): EventView[] {
    const first = this.seenEvents.size === 0;
    const since = findDeployment(service, this.target.deploymentId)?.createdAt?.getTime() ?? 0;
    return (service?.events ?? []).filter(
      (e) => !this.seenEvents.has(e.id ?? "") && (!first || (e.createdAt?.getTime() ?? 0) >= since),
    );
  }

  private see(service: ServiceView | undefined): void {
    for (const e of service?.events ?? []) this.seenEvents.add(e.id ?? "");
  }

  private tasksDue(service: ServiceView | undefined, news: EventView[], look: Look): boolean {
    const ours = findDeployment(service, this.target.deploymentId);
    if (!ours) return false;
    const counts = (ours.runningCount ?? 0) + (ours.pendingCount ?? 0) + (ours.failedTasks ?? 0);
    const named = this.tasks.mentioned(news, this.oursMoved).length > 0;
    // Right after UpdateService ours has no task yet: nothing to list until ECS counts or names one.
    if (this.tasks.all.length === 0 && counts === 0 && !named) return false;
    if (this.owed.tasks || !this.tasks.started || this.oursMoved || named) return true;
    const starting = (ours.runningCount ?? 0) < (ours.desiredCount ?? 0) || (ours.pendingCount ?? 0) > 0;
    // A worker's tasks prove it by their health checks alone: read them each look until they do, so its success is
    // seen within a poll interval of its tasks turning healthy.
    const checked = this.target.healthChecked ?? [];
    if (
      !look.quick &&
      judgedOnTasks(service, checked) &&
      healthyTasks(this.tasks.all, checked) < (ours.desiredCount ?? 0)
    ) {
      return true;
    }
    if (look.quick || !starting) return false;
    // PROVISIONING → PENDING shows in no count: while one of ours provisions, its tasks on a quicker clock.
    const provisioning = this.tasks.live().some((t) => t.lastStatus === "PROVISIONING");
    return look.at - this.readAt.tasks >= (provisioning ? TASKS_PROVISIONING_MS : TASKS_SLOW_MS);
  }

  private serviceDeploymentsDue(service: ServiceView | undefined, changed: boolean, look: Look): boolean {
    // Staged strategies (blue/green, linear, canary): the lifecycle stages show only there, so every regular look.
    if (isStaged(service)) return !look.quick || changed;
    return changed || (!look.quick && look.at - this.readAt.sd >= SERVICE_DEPLOYMENTS_SLOW_MS);
  }

  private async fetchServiceDeployment(service: ServiceView | undefined, at: number) {
    this.readAt.sd = at;
    const sd = await this.serviceDeployments.fetch(service);
    this.throttled = this.serviceDeployments.throttled;
    return sd;
  }

  private async fetchTasks(service: ServiceView | undefined, news: EventView[], at: number): Promise<void> {
    this.owed.tasks = true;
    await this.tasks.read(findDeployment(service, this.target.deploymentId), news, this.oursMoved);
    this.owed.tasks = false;
    this.readAt.tasks = at;
    this.fresh.tasks = true;
  }

  /**
   * Target health while ours run: when our running tasks changed, when an event speaks of targets (registered,
   * deregistered, draining, unhealthy), and on the slow clock while ours are not all healthy or the old revision
   * still serves (its drain is what `wait-until: live` waits for).
   */
  private targetsDue(tasksMoved: boolean, news: EventView[], at: number, quick: boolean): boolean {
    const service = this.service;
    if (targetGroupArns(service?.loadBalancers).length === 0) return false;
    const ours = findDeployment(service, this.target.deploymentId);
    const last = this.snapshot(at);
    const running = (ours?.runningCount ?? 0) > 0 || this.tasks.live().some((t) => t.lastStatus === "RUNNING");
    // A task of ours just stopped: its target drains (ECS deregisters it), though nothing of ours runs any more.
    const leaving = !quick && deregistrationUnseen(last, this.target, TARGETS_SLOW_MS);
    if (!running && !leaving) return false;
    const unread = this.owed.targets || !Number.isFinite(this.readAt.targets);
    if (unread || tasksMoved || leaving || news.some(aboutTargets)) return true;
    const healthy = targetsHealthy(last, this.target);
    // wait-until live: around the moment ours should turn healthy (pace.ts), a quick look reads them too.
    if (quick) return !healthy && healthySoon(last, this.target, at);
    // ECS says done and only our targets' health is awaited (they may still be `initial`): every look.
    if (!healthy && ours?.rolloutState === "COMPLETED") return true;
    // wait-until live: the moment ours turn healthy starts the end (schedule.ts), so every look until then.
    if (!healthy && this.target.waitUntil === "live") return true;
    // Ours settling: read after each health check that could have moved one (none before the second), not on a clock.
    const check = healthy ? undefined : lastHealthCheck(last, this.target, at);
    if (check !== undefined) return check > this.readAt.targets;
    if (at - this.readAt.targets < TARGETS_SLOW_MS) return false;
    return !healthy || oldRevision(last, this.target) === "serving";
  }

  /**
   * ECS shifts production traffic only to healthy targets: when the weight moves, the green group's health is read
   * in the same look, so a health line never contradicts the traffic beside it.
   */
  private weightMoved(): boolean {
    const weight = this.serviceDeployment?.targetServiceRevision?.requestedProductionTrafficWeight;
    return weight !== undefined && weight !== this.weightAtTargets;
  }

  private async fetchTargets(at: number): Promise<void> {
    this.owed.targets = true;
    const weight = this.serviceDeployment?.targetServiceRevision?.requestedProductionTrafficWeight;
    await this.targets.read(targetGroupArns(this.service?.loadBalancers));
    this.owed.targets = false;
    this.readAt.targets = at;
    this.weightAtTargets = weight;
    this.fresh.targets = true;
  }
}

/** Ours should turn healthy from 1.5 s before the foreseen moment to 3 s after it (schedule.ts's window). */
function healthySoon(snapshot: Snapshot, target: Target, at: number): boolean {
  return expectedHealthy(snapshot, target).some((moment) => at >= moment - 1500 && at <= moment + 3000);
}

/** What a quiet look watches for: the service deployment's status, stage, weights and hooks. */
function quietKey(sd: ServiceDeploymentView | undefined): string {
  const hooks = (sd?.lifecycleHookDetails ?? []).map((h) => `${h.hookId}:${h.status}`);
  const target = sd?.targetServiceRevision;
  return [
    sd?.status,
    sd?.lifecycleStage,
    target?.requestedProductionTrafficWeight,
    target?.requestedTestTrafficWeight,
    sd?.alarms?.status,
    sd?.deploymentCircuitBreaker?.status,
    ...hooks,
  ].join("|");
}

/** Our deployment's state and counts. */
function oursKey(service: ServiceView | undefined, deploymentId: string): string {
  const d = findDeployment(service, deploymentId);
  return [d?.status, d?.desiredCount, d?.runningCount, d?.pendingCount, d?.failedTasks, d?.rolloutState].join(",");
}

/** What a look compares: every deployment's state and counts, and the newest event. */
function serviceKey(service: ServiceView | undefined): string {
  const deployments = (service?.deployments ?? []).map((d) =>
    [
      d.id,
      d.status,
      d.desiredCount,
      d.runningCount,
      d.pendingCount,
      d.failedTasks,
      d.rolloutState,
      d.updatedAt?.getTime(),
    ].join(","),
  );
  return [service?.status, ...deployments, service?.events?.[0]?.id].join("|");
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
