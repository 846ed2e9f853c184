// I/O: our deployment's tasks, read with as few calls as possible. What we know and what ECS's events name are
// described directly (DescribeTasks takes ids as events write them); ListTasks only when ECS counts more of ours
// than that, which also catches a task stopped and another started between two looks.
import type { ListTasksCommandOutput } from "@aws-sdk/client-ecs";
import { describeTasks, listTasks } from "../aws/ecs.js";
import { lastSegment } from "../text/names.js";
import { awsErrorName, call } from "./calls.js";
import { callOptions, type Io, type Target } from "./io.js";
import { taskIds } from "./verdict/events.js";
import type { DeploymentView, EventView, TaskView } from "./verdict/model.js";
import { isFailedTask } from "./verdict/names.js";

const STARTED = /has started \d+ tasks?/;
const STOPPED = /has stopped \d+ (?:running |pending )?tasks?/;

export class TaskReader {
  private readonly tasks = new Map<string, TaskView>();
  /** ids of tasks an event named that turned out not to be ours (the old revision's) */
  private readonly notOurs = new Set<string>();
  private listed = false;
  private listByService = false;

  constructor(
    private readonly io: Io,
    private readonly target: Target,
  ) {}

  private get options() {
    return callOptions(this.io);
  }

  get all(): TaskView[] {
    return [...this.tasks.values()];
  }

  /** The first listing is done: from then on, what is known is described. */
  get started(): boolean {
    return this.listed;
  }

  live(): TaskView[] {
    return this.all.filter((t) => t.lastStatus !== "STOPPED" && t.desiredStatus !== "STOPPED");
  }

  runningArns(): Set<string> {
    return new Set(this.all.filter((t) => t.lastStatus === "RUNNING").map((t) => t.taskArn ?? ""));
  }

  /**
   * Task ids an event names that may be ours: neither known as ours nor as another revision's. While our counts
   * stand still and no task started, the tasks a `has stopped` event names are the old revision's (one of ours
   * stopping would lower our count): they are not asked about.
   */
  mentioned(news: EventView[], oursMoved: boolean): string[] {
    const known = new Set([...this.tasks.keys()].map(lastSegment));
    const still = !oursMoved && !news.some((e) => STARTED.test(e.message ?? ""));
    const events = still ? news.filter((e) => !STOPPED.test(e.message ?? "")) : news;
    return [...new Set(events.flatMap(taskIds))].filter((id) => !known.has(id) && !this.notOurs.has(id));
  }

  async read(ours: DeploymentView | undefined, news: EventView[], oursMoved: boolean): Promise<void> {
    const expected = (ours?.runningCount ?? 0) + (ours?.pendingCount ?? 0);
    if (!this.listed) {
      const lists = await Promise.all([this.list("RUNNING"), this.list("STOPPED")]);
      await this.describe(lists.flat());
      // Listed only once described: a throttled DescribeTasks leaves the first listing to do again.
      this.listed = true;
      return;
    }
    const live = this.live().map((t) => t.taskArn ?? "");
    await this.describe([...new Set([...live, ...this.mentioned(news, oursMoved)])]);
    const failedKnown = this.all.filter(isFailedTask).length;
    const [running, stopped] = await Promise.all([
      this.live().length < expected ? this.list("RUNNING") : [],
      (ours?.failedTasks ?? 0) > failedKnown ? this.list("STOPPED") : [],
    ]);
    await this.describe([...running, ...stopped], true);
  }

  /** DescribeTasks, 100 at a time, side by side; ours kept, the others' ids remembered as not ours. */
  private async describe(arns: string[], unknownOnly = false): Promise<void> {
    const ids = unknownOnly ? arns.filter((arn) => !this.tasks.has(arn)) : arns;
    if (ids.length === 0) return;
    const { cluster, deploymentId } = this.target;
    const chunks = Array.from({ length: Math.ceil(ids.length / 100) }, (_, i) => ids.slice(i * 100, i * 100 + 100));
    const described = await Promise.all(
      chunks.map((chunk) =>
        call(this.io.counter, "DescribeTasks", () => describeTasks(this.io.clients.ecs, cluster, chunk, this.options)),
      ),
    );
    for (const task of described.flat() as TaskView[]) {
      if (task.startedBy === deploymentId) this.tasks.set(task.taskArn ?? "", task);
      else this.notOurs.add(lastSegment(task.taskArn));
    }
  }

  /**
   * Every page of RUNNING tasks: success needs each of them seen (a service of 150 tasks must be able to succeed).
   * One page of STOPPED: the newest 100 explain a failure, and a deployment with more stopped tasks has failed.
   */
  private async list(desiredStatus: "RUNNING" | "STOPPED"): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.listPage(desiredStatus, nextToken);
      arns.push(...(page.taskArns ?? []));
      nextToken = desiredStatus === "RUNNING" ? page.nextToken : undefined;
    } while (nextToken);
    return arns;
  }

  private async listPage(
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
      return this.listPage(desiredStatus, undefined);
    }
  }
}
