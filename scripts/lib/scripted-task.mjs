// Pre-deploy tasks on moto: a proxy hook (proxy.mjs `answer`) that lets moto 5.2.1 run the action's RunTask for
// real and scripts only what moto cannot do. moto checks and stores the request as the action sends it (the
// cluster, the revision, launch type FARGATE, the service's subnets and security groups, which it gives the task a
// network interface in, the command override, startedBy) and StopTask stops the task in moto. What moto cannot do:
// - run a container: moto answers HTTP 500 for a container definition without `memory` or `memoryReservation` of
//   its own (it sums them for EC2 placement, even for FARGATE), and Fargate task definitions need neither. Rather
//   than put a memory field in the action's task definitions for moto's sake, the hook registers a moto-only twin
//   of the revision (family `moto-runtask-<family>`, the same containers with a memoryReservation) and runs that;
//   its answers name the requested revision again. The twin is registered straight on moto, not through the proxy:
//   it is not a call of the action.
// - move a task on: moto's DescribeTasks steps a task one state per call to STOPPED, with exit code 0 and no stop
//   code whatever happened. The hook shows instead the task's states over real time as ECS moves them
//   (PROVISIONING, PENDING, RUNNING, then STOPPING and STOPPED once the command exits, with its exit code and
//   `EssentialContainerExited`; `UserInitiated` after a StopTask), at the script's pace.
// - write logs: the hook writes the command's log lines into moto's CloudWatch Logs at the script's times, in the
//   stream the awslogs driver would use; the action reads them from moto with GetLogEvents.
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";

/** ECS's order of states, each at a share of the script's start time (real Fargate: about 12 s provisioning of ~47 s). */
const PROVISIONING_SHARE = 0.3;
/** A stopping task: STOPPING while its network interface is detached (tens of seconds on Fargate), then STOPPED. */
const DEFAULT_STOP_MS = 1500;

/**
 * @typedef {{ startMs?: number, runMs?: number, exitCode?: number, stopMs?: number,
 *             lines?: { atMs: number, text: string }[], failures?: { reason: string, detail?: string }[],
 *             neverStarts?: string, sidecar?: { name: string, exitCode: number, atMs: number } }} TaskScript
 *   startMs: RunTask → RUNNING (default 1000); runMs: RunTask → the command's exit (Infinity: it never exits);
 *   lines: written into the container's log stream `atMs` after RunTask;
 *   failures: RunTask answers these and starts no task (no capacity, say), as ECS does;
 *   neverStarts: the task stops at startMs without running (stopCode TaskFailedToStart), with this reason;
 *   sidecar: that essential container exits with its code at atMs, and ECS stops the task (the command gets
 *   SIGTERM: 143).
 * @param {{ endpoint: string, region: string, tasks: TaskScript[] }} options
 *   endpoint: moto's own (not the proxy's); tasks: one script per RunTask, in order (the last one repeats).
 */
export function scriptedTasks(options) {
  const base = {
    region: options.region,
    endpoint: options.endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
  const ecs = new ECSClient(base);
  const logs = new CloudWatchLogsClient(base);
  /** requested revision ARN → its twin's ARN */
  const twins = new Map();
  /** @type {{ request: any, twinArn: string, taskArn: string, at: number, script: TaskScript, target: string,
   *           stopped?: { at: number, reason: string }, timers: NodeJS.Timeout[] }[]} */
  const runs = [];

  async function twinOf(requested) {
    const known = twins.get(requested);
    if (known) return known;
    const { taskDefinition: td } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: requested }));
    const share = Math.floor(Number(td.memory ?? 512) / td.containerDefinitions.length);
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `moto-runtask-${td.family}`,
        networkMode: td.networkMode,
        requiresCompatibilities: td.requiresCompatibilities,
        cpu: td.cpu,
        memory: td.memory,
        containerDefinitions: td.containerDefinitions.map((c) =>
          c.memory || c.memoryReservation ? c : { ...c, memoryReservation: share },
        ),
      }),
    );
    const twin = { arn: registered.taskDefinition.taskDefinitionArn, definition: td };
    twins.set(requested, twin);
    return twin;
  }

  /** Every RunTask, in order (refused ones too), each with the script it was given. */
  const requests = [];

  async function onRunTask(body, forward) {
    const request = JSON.parse(body);
    const script = options.tasks[Math.min(requests.length, options.tasks.length - 1)] ?? {};
    requests.push({ request, script });
    if (script.failures) return { body: JSON.stringify({ tasks: [], failures: script.failures }) };
    const twin = await twinOf(request.taskDefinition);
    const answer = await forward(JSON.stringify({ ...request, taskDefinition: twin.arn }));
    if (answer.status !== 200) return answer;
    const out = JSON.parse(answer.body);
    const target = request.overrides?.containerOverrides?.[0]?.name ?? twin.definition.containerDefinitions[0].name;
    for (const task of out.tasks ?? []) {
      const run = {
        request,
        twin,
        twinArn: twin.arn,
        taskArn: task.taskArn,
        at: Date.now(),
        script,
        target,
        timers: [],
      };
      runs.push(run);
      writeLines(run);
      // ECS answers RunTask with the task PROVISIONING; moto with it RUNNING already.
      overlay(task, run, run.at);
    }
    return { ...answer, body: named(JSON.stringify(out)) };
  }

  /** Twin ARNs back to the revision the action asked for. */
  function named(text) {
    let out = text;
    for (const [requested, twin] of twins) out = out.replaceAll(twin.arn, requested);
    return out;
  }

  function writeLines(run) {
    const definition = run.twin.definition.containerDefinitions.find((c) => c.name === run.target);
    const options_ = definition?.logConfiguration?.options ?? {};
    const group = options_["awslogs-group"];
    const prefix = options_["awslogs-stream-prefix"];
    if (!group || !prefix) return;
    const stream = `${prefix}/${run.target}/${run.taskArn.split("/").pop()}`;
    let created;
    for (const line of run.script.lines ?? []) {
      const timer = setTimeout(async () => {
        created ??= logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
        await created;
        await logs.send(
          new PutLogEventsCommand({
            logGroupName: group,
            logStreamName: stream,
            logEvents: [{ timestamp: Date.now(), message: line.text }],
          }),
        );
      }, line.atMs);
      run.timers.push(timer);
    }
  }

  /** What ECS would show of the task now, over moto's own view of it (its id, ENI, overrides, startedBy). */
  function overlay(task, run, now) {
    const s = run.script;
    const startMs = s.startMs ?? 1000;
    const stopMs = s.stopMs ?? DEFAULT_STOP_MS;
    const t = now - run.at;
    const ends = ending(run, startMs);
    const exitAt = ends.at;
    const stamp = (ms) => (run.at + ms) / 1000;
    const lastStatus =
      t < startMs * PROVISIONING_SHARE
        ? "PROVISIONING"
        : t < startMs && t < exitAt
          ? "PENDING"
          : t < exitAt
            ? "RUNNING"
            : t < exitAt + stopMs
              ? "STOPPING"
              : "STOPPED";
    const ended = t >= exitAt;
    const ran = !s.neverStarts && exitAt >= startMs;
    Object.assign(task, {
      lastStatus,
      desiredStatus: ended ? "STOPPED" : "RUNNING",
      createdAt: stamp(0),
      ...(t >= startMs * PROVISIONING_SHARE ? { pullStartedAt: stamp(startMs * PROVISIONING_SHARE) } : {}),
      ...(t >= startMs && ran ? { pullStoppedAt: stamp(startMs), startedAt: stamp(startMs) } : {}),
      ...(ended ? { stoppingAt: stamp(exitAt), executionStoppedAt: stamp(exitAt) } : {}),
      ...(lastStatus === "STOPPED"
        ? { stoppedAt: stamp(exitAt + stopMs), stopCode: ends.stopCode, stoppedReason: ends.reason }
        : { stoppedReason: undefined }),
      containers: run.twin.definition.containerDefinitions.map((c) => ({
        containerArn: `${task.taskArn.replace(":task/", ":container/")}/${c.name}`,
        taskArn: task.taskArn,
        name: c.name,
        lastStatus: ended ? "STOPPED" : lastStatus === "RUNNING" ? "RUNNING" : "PENDING",
        ...(ended && ran ? { exitCode: ends.codes[c.name] ?? 0 } : {}),
        ...(ended && !ran && c.name === run.target ? { reason: s.neverStarts } : {}),
      })),
    });
    return task;
  }

  /** When and how the task ends: a StopTask, a start that failed, an essential sidecar's exit, or the command's. */
  function ending(run, startMs) {
    const s = run.script;
    const stopped = run.stopped && run.stopped.at - run.at;
    const sidecar = s.sidecar && s.sidecar.atMs < (s.runMs ?? 3000) ? s.sidecar : undefined;
    const own = s.neverStarts ? startMs : (sidecar?.atMs ?? s.runMs ?? 3000);
    if (stopped !== undefined && stopped < own) {
      return { at: stopped, stopCode: "UserInitiated", reason: run.stopped.reason, codes: { [run.target]: 143 } };
    }
    if (s.neverStarts) return { at: own, stopCode: "TaskFailedToStart", reason: s.neverStarts, codes: {} };
    const reason = "Essential container in task exited";
    if (sidecar) {
      const codes = { [run.target]: 143, [sidecar.name]: sidecar.exitCode };
      return { at: own, stopCode: "EssentialContainerExited", reason, codes };
    }
    return { at: own, stopCode: "EssentialContainerExited", reason, codes: { [run.target]: s.exitCode ?? 0 } };
  }

  async function onDescribeTasks(forward) {
    const answer = await forward();
    if (answer.status !== 200) return answer;
    const out = JSON.parse(answer.body);
    const now = Date.now();
    for (const task of out.tasks ?? []) {
      const run = runs.find((r) => r.taskArn === task.taskArn);
      if (run) overlay(task, run, now);
    }
    return { ...answer, body: named(JSON.stringify(out)) };
  }

  async function onStopTask(body, forward) {
    const { task: arn, reason } = JSON.parse(body);
    const run = runs.find((r) => r.taskArn === arn || r.taskArn.endsWith(`/${arn}`));
    if (run && !run.stopped) run.stopped = { at: Date.now(), reason: reason ?? "Task stopped by user" };
    const answer = await forward();
    if (answer.status !== 200 || !run) return answer;
    const out = JSON.parse(answer.body);
    if (out.task) overlay(out.task, run, Date.now());
    return { ...answer, body: named(JSON.stringify(out)) };
  }

  /** @type {NonNullable<Parameters<typeof import("./proxy.mjs").startProxy>[0]["answer"]>} */
  const hook = async ({ operation, body, forward }) => {
    if (operation === "RunTask") return onRunTask(body, forward);
    if (operation === "DescribeTasks" && runs.length > 0) return onDescribeTasks(forward);
    if (operation === "StopTask") return onStopTask(body, forward);
    return undefined;
  };

  return {
    hook,
    runs,
    requests,
    stop: () => {
      for (const run of runs) for (const timer of run.timers) clearTimeout(timer);
      ecs.destroy();
      logs.destroy();
    },
  };
}
