// Scripted rollouts over real time, for the end-to-end tests and the benchmark. moto registers the task
// definition and takes UpdateService for real, but never moves a deployment forward; the recording proxy
// answers the rollout's read calls (DescribeServices, ListTasks, DescribeTasks, DescribeTargetHealth) from a
// script of what ECS and the load balancer show at each second after UpdateService. Reasons and messages
// are the ones AWS documents, and the timings are ECS's (research notes A4): a Fargate task runs about 40 s after
// it is created; a new target is healthy after one passing check; the old targets stay healthy until ours are,
// then drain for the target group's deregistration delay (300 s by default) before ECS calls the deployment
// COMPLETED; a target can go unhealthy and its task be stopped between two polls; tasks of one revision fail the
// same way each time. Each script is written in ECS seconds; `scale` runs it faster (a test's 0.1 plays 10 ECS
// seconds in each real one) without changing its order or its gaps relative to each other.

import {
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  counts,
  deployment,
  events,
  failingWaves,
  ip,
  oldTargets,
  playScript,
  staleAtFirst,
  stamp,
  startedEvents,
  target,
  task,
  tg,
  tgName,
} from "./scripted-ecs.mjs";

export { scenarioTaskId } from "./scripted-ecs.mjs";

/**
 * A healthy rolling deploy of 2 tasks behind the load balancer. By default (research notes A4): created at 3 s,
 * running at 44 s, registered, healthy after one passing check at 52.4 s while the old targets stay healthy; ECS
 * deregisters the old ones at 58.2 s, they drain for `drainS` seconds, and ECS calls ours COMPLETED 3.3 s after they
 * stop. `running`, `healthy` and `deregister` move those moments (script seconds); `healthCheck` is the target
 * group's (seconds and counts), set on the world's group by matchDrain.
 */
function healthyRollout({ drainS, running = 44, healthy = 52.4, deregister = 58.2, healthCheck }) {
  const DRAIN = deregister;
  const STOP = DRAIN + drainS;
  const DONE = STOP + 3.3;
  const CREATED = 3;
  const PROVISIONED = CREATED + 12;
  return {
    terminalAt: DONE,
    liveAt: DRAIN,
    drainS,
    ...(healthCheck ? { healthCheck } : {}),
    breaker: true,
    expect: { outcome: "succeeded", firstLine: /./ },
    at(t, ctx) {
      const s = ctx.world.service;
      const up = t >= running;
      const done = t >= DONE;
      const state = t < PROVISIONED ? "PROVISIONING" : t < running ? "PENDING" : "RUNNING";
      const ours = [0, 1].map((n) =>
        task(ctx, ctx.ours, n, {
          lastStatus: state,
          created: CREATED,
          ...(t >= PROVISIONED ? { pulling: PROVISIONED } : {}),
          ...(up ? { started: running } : {}),
        }),
      );
      const initial =
        t < running + 2
          ? ["Elb.RegistrationInProgress", "Target registration is in progress"]
          : ["Elb.InitialHealthChecking", "Initial health checks in progress"];
      const mine = up
        ? [0, 1].map((n) =>
            target(ip(n), ctx.world.port, t < healthy ? "initial" : "healthy", ...(t < healthy ? initial : [])),
          )
        : [];
      const old =
        t < DRAIN
          ? oldTargets(ctx, "healthy")
          : t < STOP
            ? oldTargets(ctx, "draining", "Target.DeregistrationInProgress", "Target deregistration is in progress")
            : [];
      const previous = done
        ? []
        : [deployment(ctx.previous, "ACTIVE", { running: t < STOP ? 2 : 0, rolloutState: "COMPLETED" })];
      return {
        deployments: [
          deployment(ctx.ours, "PRIMARY", {
            running: up ? 2 : 0,
            pending: t >= CREATED && !up ? 2 : 0,
            rolloutState: done ? "COMPLETED" : "IN_PROGRESS",
          }),
          ...previous,
        ],
        tasks: t >= CREATED ? ours : [],
        targets: [...old, ...mine],
        events: events(ctx, t, [
          [CREATED, `(service ${s}) has started 2 tasks: (task ${ctx.taskId(0)}) (task ${ctx.taskId(1)}).`],
          [running, `(service ${s}) registered 2 targets in (target-group ${tg(ctx)})`],
          [
            DRAIN,
            `(service ${s}) has stopped 2 running tasks: (task b8660229443480785184f34e647b7e18) (task d7a82925f96aa3fd045a5a848b7e2025).`,
          ],
          [DRAIN, `(service ${s}) deregistered 2 targets in target-group ${tgName(ctx)}`],
          [DRAIN, `(service ${s}, taskSet ${ctx.previous.id}) has begun draining connections on 2 tasks.`],
          [DONE, `(service ${s}) (deployment ${ctx.ours.id}) deployment completed.`],
          [DONE, `(service ${s}) has reached a steady state.`],
        ]),
      };
    },
  };
}

/**
 * Image tag r254 does not exist: each task fails CannotPullContainerError 31.7 s after it was created, two at a
 * time. With the 3rd and 4th failure ECS's circuit breaker (threshold 3 for 2 tasks) fails ours 0.9 s later, sets
 * its desired count to 0 and rolls back.
 */
function badImage() {
  const image = (ctx) => `${ctx.world.account}.dkr.ecr.${ctx.world.region}.amazonaws.com/${ctx.world.service}:r254`;
  const waves = failingWaves({
    waves: 2,
    created: 2.5,
    lifetime: 31.7,
    gap: 2.2,
    state(age, ctx) {
      if (age < 11) return { lastStatus: "PROVISIONING" };
      if (age < 31.7) return { lastStatus: "PENDING", pulling: 11 };
      const pull = `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image(ctx)}`;
      return {
        lastStatus: "STOPPED",
        stopCode: "TaskFailedToStart",
        pulling: 11,
        stopped: 31.7,
        stoppedReason: `${pull}: ${image(ctx)}: not found`,
        reason: `${pull}: not found`,
      };
    },
  });
  const terminal = waves.stopAt(1);
  const tripped = terminal + 0.9;
  return {
    terminalAt: terminal,
    breaker: true,
    expect: { outcome: "failed", firstLine: /CannotPullContainerError.*circuit breaker/s },
    at(t, ctx) {
      const tasks = waves.tasks(t, ctx);
      const c = counts(tasks, true);
      const back = {
        id: "ecs-svc/8141592653589793238",
        taskDefinition: ctx.previous.taskDefinition,
        at: ctx.t0 + ctx.pace.ms(tripped),
      };
      const previous = deployment(ctx.previous, "ACTIVE", { running: 2, rolloutState: "COMPLETED" });
      const reason = "ECS deployment circuit breaker: tasks failed to start.";
      return {
        deployments:
          t >= tripped
            ? [
                deployment(back, "PRIMARY", {}),
                deployment(ctx.ours, "ACTIVE", { desired: 0, failed: c.failed, rolloutState: "FAILED", reason }),
                previous,
              ]
            : [deployment(ctx.ours, "PRIMARY", c), previous],
        tasks,
        targets: oldTargets(ctx, "healthy"),
        events: events(ctx, t, [
          ...startedEvents(ctx, waves),
          [
            tripped,
            `(service ${ctx.world.service}) (deployment ${ctx.ours.id}) deployment failed: tasks failed to start.`,
          ],
          [tripped, `(service ${ctx.world.service}) rolling back to deployment ${back.id}.`],
        ]),
      };
    },
  };
}

/**
 * `scenario` (a healthy rollout whose tasks run from `running`), except that both our tasks exit with code 1 at
 * `crashAt`, while the old revision drains: their targets drain too, and nothing replaces them yet. With
 * max-failed-tasks 2 that is the verdict, however quiet the drain looked.
 */
function crashWhileDraining(scenario, { running, crashAt }) {
  return {
    ...scenario,
    terminalAt: crashAt,
    expect: { outcome: "failed", firstLine: /exited with code 1/ },
    at(t, ctx) {
      const state = scenario.at(t, ctx);
      if (t < crashAt) return state;
      const exited = { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" };
      const stopped = { lastStatus: "STOPPED", ...exited, exitCode: 1, created: 3, started: running, stopped: crashAt };
      const mine = new Set([ip(0), ip(1)]);
      const stop = `(service ${ctx.world.service}) has stopped 2 running tasks: (task ${ctx.taskId(0)}) (task ${ctx.taskId(1)}).`;
      return {
        ...state,
        deployments: state.deployments.map((d) => (d.id === ctx.ours.id ? { ...d, runningCount: 0 } : d)),
        tasks: [0, 1].map((n) => task(ctx, ctx.ours, n, stopped)),
        targets: state.targets.map((x) =>
          mine.has(x.Target.Id) ? target(x.Target.Id, x.Target.Port, ...DRAINING) : x,
        ),
        events: [{ at: stamp(ctx, crashAt), message: stop }, ...state.events],
      };
    },
  };
}

/** How ECS shows the targets of a wave of two: registered as the tasks run, through `health(age)` while they do. */
function waveTargets(ctx, waves, t, { run, until, health }) {
  const targets = [];
  for (const [w, start] of waves.starts.entries()) {
    const age = t - start;
    if (age >= run && age < until)
      for (const n of [2 * w, 2 * w + 1]) targets.push(target(ip(n), ctx.world.port, ...health(age)));
  }
  return targets;
}

const registeredEvents = (ctx, waves, run) =>
  waves.starts.map((start) => [
    start + run,
    `(service ${ctx.world.service}) registered 2 targets in (target-group ${tg(ctx)})`,
  ]);

const DRAINING = ["draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"];
const INITIAL = ["initial", "Elb.InitialHealthChecking", "Initial health checks in progress"];

/**
 * The app exits with code 1 eight seconds after it starts; no circuit breaker, so ECS would retry for ever. By
 * default (research notes A4) it runs 37 s after it is created, without a load balancer's targets of its own; with
 * `targets`, each running task is registered (initial) and its target drains from the moment the task stops, for
 * `drainS` seconds.
 */
function crashLoop({ run = 37, targets = false, drainS, healthCheck } = {}) {
  const life = run + 8;
  const waves = failingWaves({
    waves: 3,
    created: 3,
    lifetime: life,
    gap: 2,
    state(age) {
      if (age < run) return { lastStatus: age < 12 ? "PROVISIONING" : "PENDING" };
      if (age < life) return { lastStatus: "RUNNING", started: run };
      const exited = { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" };
      return { lastStatus: "STOPPED", ...exited, exitCode: 1, started: run, stopped: life };
    },
  });
  const health = (age) => (age < life ? INITIAL : DRAINING);
  return {
    terminalAt: waves.stopAt(1),
    breaker: false,
    ...(drainS === undefined ? {} : { drainS }),
    ...(healthCheck ? { healthCheck } : {}),
    expect: { outcome: "failed", firstLine: /exited with code 1/ },
    at(t, ctx) {
      const tasks = waves.tasks(t, ctx);
      const list = [...startedEvents(ctx, waves), ...(targets ? registeredEvents(ctx, waves, run) : [])];
      return {
        // Tasks that ran before they died are not counted in failedTasks: the action counts them itself.
        deployments: [
          deployment(ctx.ours, "PRIMARY", counts(tasks, false)),
          deployment(ctx.previous, "ACTIVE", { running: 2, rolloutState: "COMPLETED" }),
        ],
        tasks,
        targets: [
          ...oldTargets(ctx, "healthy"),
          ...(targets ? waveTargets(ctx, waves, t, { run, until: life + (drainS ?? 0), health }) : []),
        ],
        events: events(
          ctx,
          t,
          list.sort((x, y) => x[0] - y[0]),
        ),
      };
    },
  };
}

/**
 * The new image answers 404 on the health check path: each target goes unhealthy `bad` s after its task was created
 * and ECS stops the task at `stop`; its target drains for `shownDrainS` s after. By default (research notes A4) it
 * registers at 41.2 s, goes unhealthy 18.1 s later and ECS stops its task 1.3 s after that, between two polls: only
 * ECS's event carries the codes. No circuit breaker.
 */
function failingHealthChecks({ run = 41.2, bad = 59.3, stop = 60.6, shownDrainS = 10, drainS, healthCheck } = {}) {
  const waves = failingWaves({
    waves: 3,
    created: 3,
    lifetime: stop,
    gap: 2.4,
    state(age, ctx) {
      if (age < run) return { lastStatus: age < 12 ? "PROVISIONING" : "PENDING" };
      if (age < stop) return { lastStatus: "RUNNING", started: run };
      const elb = `Task failed ELB health checks in (target-group ${tg(ctx)})`;
      return {
        lastStatus: "STOPPED",
        stopCode: "ServiceSchedulerInitiated",
        stoppedReason: elb,
        exitCode: 137,
        started: run,
        stopped: stop,
      };
    },
  });
  const health = (age) => {
    if (age < bad) return INITIAL;
    if (age < stop) return ["unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]"];
    return DRAINING;
  };
  return {
    terminalAt: waves.stopAt(1),
    breaker: false,
    ...(drainS === undefined ? {} : { drainS }),
    ...(healthCheck ? { healthCheck } : {}),
    expect: {
      outcome: "failed",
      firstLine: /health checks failed in .*: GET \/_health on port 80 answered 404 \(healthy is 200\)/,
    },
    at(t, ctx) {
      const { world } = ctx;
      const tasks = waves.tasks(t, ctx);
      const list = [...startedEvents(ctx, waves), ...registeredEvents(ctx, waves, run)];
      for (const w of waves.starts.keys()) {
        const [a, b] = [2 * w, 2 * w + 1];
        for (const n of [a, b]) {
          const why = "(reason Health checks failed with these codes: [404])";
          list.push([
            waves.stopAt(w),
            `(service ${world.service}) (task ${ctx.taskId(n)}) (port ${world.port}) is unhealthy in (target-group ${tg(ctx)}) due to ${why}.`,
          ]);
        }
        list.push([
          waves.stopAt(w),
          `(service ${world.service}) has stopped 2 running tasks: (task ${ctx.taskId(a)}) (task ${ctx.taskId(b)}).`,
        ]);
      }
      return {
        deployments: [
          deployment(ctx.ours, "PRIMARY", counts(tasks, true)),
          deployment(ctx.previous, "ACTIVE", { running: 2, rolloutState: "COMPLETED" }),
        ],
        tasks,
        targets: [
          ...oldTargets(ctx, "healthy"),
          ...waveTargets(ctx, waves, t, { run, until: stop + shownDrainS, health }),
        ],
        events: events(
          ctx,
          t,
          list.sort((x, y) => x[0] - y[0]),
        ),
      };
    },
  };
}

/** The target group's health check of the scenarios on issue 21's timings: 10 s apart, 3 to pass, 2 to fail. */
const ECS_HEALTH_CHECK = { intervalS: 10, healthyThreshold: 3, unhealthyThreshold: 2 };

/**
 * Each scenario: `at(t, ctx)` → what AWS shows t ECS seconds after UpdateService; `terminalAt` the second the
 * terminal state first shows (`liveAt`: when the revision serves every request); `expect` what a truthful action
 * concludes; `breaker` whether the service has a circuit breaker with rollback.
 */
export const SCENARIOS = {
  healthy: healthyRollout({ drainS: 300 }),
  // The same with a 30 s deregistration delay, for tests that cannot wait 5 minutes.
  "healthy-short-drain": healthyRollout({ drainS: 30 }),
  // ECS reads are eventually consistent: for the first seconds after UpdateService, DescribeServices still shows the
  // previous deployment PRIMARY and ours absent. A truthful wait calls that neither a rollback nor anything else.
  "stale-first-describe": staleAtFirst(healthyRollout({ drainS: 30 }), 4),
  "bad-image-with-breaker": badImage(),
  "crash-loop-without-breaker": crashLoop(),
  "failing-health-checks": failingHealthChecks(),
  // On the timings issue 21 measured ECS at: a task runs 35 s after it is created, its target is healthy 30 s later
  // (three passing checks 10 s apart), the old targets drain for 120 s.
  "healthy-ecs-timings": healthyRollout({
    drainS: 120,
    running: 38,
    healthy: 68,
    deregister: 70.4,
    healthCheck: ECS_HEALTH_CHECK,
  }),
  // Failing health checks there: two checks after registration the targets are unhealthy (5 s, about a poll, before
  // ECS stops their tasks and drains them); no circuit breaker.
  "failing-health-checks-ecs-timings": failingHealthChecks({
    run: 35,
    bad: 55,
    stop: 60,
    shownDrainS: 120,
    drainS: 120,
    healthCheck: ECS_HEALTH_CHECK,
  }),
  // Both our tasks crash halfway through the old revision's drain, when the wait looks every other poll.
  "crash-while-draining-ecs-timings": crashWhileDraining(
    healthyRollout({ drainS: 120, running: 38, healthy: 68, deregister: 70.4, healthCheck: ECS_HEALTH_CHECK }),
    { running: 38, crashAt: 125.3 },
  ),
  // A crash loop there: each task exits 8 s after it runs, its target (still initial) drains from that moment.
  "crash-loop-ecs-timings": crashLoop({ run: 35, targets: true, drainS: 120, healthCheck: ECS_HEALTH_CHECK }),
};

/**
 * Sets the world's target group's deregistration delay (in moto) to the scenario's drain at this scale, and its health
 * check to the scenario's where it has one, so that what the action reads from DescribeTargetGroupAttributes and
 * DescribeTargetGroups is what the script plays.
 */
export async function matchDrain(endpoint, world, name, scale = 1) {
  const { drainS, healthCheck } = SCENARIOS[name] ?? {};
  if ((drainS === undefined && !healthCheck) || !world.targetGroupArn) return;
  const elb = new ElasticLoadBalancingV2Client({
    region: world.region,
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  const TargetGroupArn = world.targetGroupArn;
  try {
    if (drainS !== undefined) {
      const Value = String(Math.max(0, Math.round(drainS * scale)));
      const Attributes = [{ Key: "deregistration_delay.timeout_seconds", Value }];
      await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn, Attributes }));
    }
    if (healthCheck) {
      await elb.send(
        new ModifyTargetGroupCommand({
          TargetGroupArn,
          HealthCheckIntervalSeconds: Math.max(5, Math.round(healthCheck.intervalS * scale)),
          HealthyThresholdCount: healthCheck.healthyThreshold,
          UnhealthyThresholdCount: healthCheck.unhealthyThreshold,
        }),
      );
    }
  } finally {
    elb.destroy();
  }
}

/**
 * The proxy's `answer` hook for a scenario (see playScript): its clock starts at the first UpdateService; a second
 * UpdateService, our rollback, is answered by a healthy rollback script.
 */
export function scriptedRollout(name, world, options = {}) {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`no scenario ${name}`);
  return playScript(scenario, world, options);
}
