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
  startedEvents,
  target,
  task,
  tg,
  tgName,
} from "./scripted-ecs.mjs";

export { scenarioTaskId } from "./scripted-ecs.mjs";

/**
 * A healthy rolling deploy of 2 tasks behind the load balancer: created at 3 s, running at 44 s, registered, healthy
 * after one passing check at 52.4 s while the old targets stay healthy; ECS deregisters the old ones at 58.2 s, they
 * drain for `drainS` seconds, and ECS calls ours COMPLETED 3.3 s after they stop.
 */
function healthyRollout({ drainS }) {
  const DRAIN = 58.2;
  const STOP = DRAIN + drainS;
  const DONE = STOP + 3.3;
  return {
    terminalAt: DONE,
    liveAt: DRAIN,
    drainS,
    breaker: true,
    expect: { outcome: "succeeded", firstLine: /./ },
    at(t, ctx) {
      const s = ctx.world.service;
      const up = t >= 44;
      const done = t >= DONE;
      const state = t < 15 ? "PROVISIONING" : t < 44 ? "PENDING" : "RUNNING";
      const ours = [0, 1].map((n) =>
        task(ctx, ctx.ours, n, {
          lastStatus: state,
          created: 3,
          ...(t >= 15 ? { pulling: 15 } : {}),
          ...(up ? { started: 44 } : {}),
        }),
      );
      const initial =
        t < 46
          ? ["Elb.RegistrationInProgress", "Target registration is in progress"]
          : ["Elb.InitialHealthChecking", "Initial health checks in progress"];
      const mine = up
        ? [0, 1].map((n) =>
            target(ip(n), ctx.world.port, t < 52.4 ? "initial" : "healthy", ...(t < 52.4 ? initial : [])),
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
            pending: t >= 3 && !up ? 2 : 0,
            rolloutState: done ? "COMPLETED" : "IN_PROGRESS",
          }),
          ...previous,
        ],
        tasks: t >= 3 ? ours : [],
        targets: [...old, ...mine],
        events: events(ctx, t, [
          [3, `(service ${s}) has started 2 tasks: (task ${ctx.taskId(0)}) (task ${ctx.taskId(1)}).`],
          [44, `(service ${s}) registered 2 targets in (target-group ${tg(ctx)})`],
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
        at: ctx.t0 + tripped * 1000 * ctx.scale,
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

/** The app exits with code 1 eight seconds after it starts; no circuit breaker, so ECS would retry for ever. */
function crashLoop() {
  const waves = failingWaves({
    waves: 3,
    created: 3,
    lifetime: 45,
    gap: 2,
    state(age) {
      if (age < 37) return { lastStatus: age < 12 ? "PROVISIONING" : "PENDING" };
      if (age < 45) return { lastStatus: "RUNNING", started: 37 };
      const exited = { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" };
      return { lastStatus: "STOPPED", ...exited, exitCode: 1, started: 37, stopped: 45 };
    },
  });
  return {
    terminalAt: waves.stopAt(1),
    breaker: false,
    expect: { outcome: "failed", firstLine: /exited with code 1/ },
    at(t, ctx) {
      const tasks = waves.tasks(t, ctx);
      return {
        // Tasks that ran before they died are not counted in failedTasks: the action counts them itself.
        deployments: [
          deployment(ctx.ours, "PRIMARY", counts(tasks, false)),
          deployment(ctx.previous, "ACTIVE", { running: 2, rolloutState: "COMPLETED" }),
        ],
        tasks,
        targets: oldTargets(ctx, "healthy"),
        events: events(ctx, t, startedEvents(ctx, waves)),
      };
    },
  };
}

/**
 * The new image answers 404 on the health check path: each target goes unhealthy 18.1 s after it registers and
 * ECS stops its task 1.3 s later, between two polls; only ECS's event carries the codes. No circuit breaker.
 */
function failingHealthChecks() {
  const RUN = 41.2;
  const BAD = 59.3;
  const STOP = 60.6;
  const waves = failingWaves({
    waves: 3,
    created: 3,
    lifetime: STOP,
    gap: 2.4,
    state(age, ctx) {
      if (age < RUN) return { lastStatus: age < 12 ? "PROVISIONING" : "PENDING" };
      if (age < STOP) return { lastStatus: "RUNNING", started: RUN };
      const elb = `Task failed ELB health checks in (target-group ${tg(ctx)})`;
      return {
        lastStatus: "STOPPED",
        stopCode: "ServiceSchedulerInitiated",
        stoppedReason: elb,
        exitCode: 137,
        started: RUN,
        stopped: STOP,
      };
    },
  });
  const health = (age) => {
    if (age < BAD) return ["initial", "Elb.InitialHealthChecking", "Initial health checks in progress"];
    if (age < STOP) return ["unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]"];
    return ["draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"];
  };
  return {
    terminalAt: waves.stopAt(1),
    breaker: false,
    expect: {
      outcome: "failed",
      firstLine: /health checks failed in .*: GET \/_health on port 80 answered 404 \(healthy is 200\)/,
    },
    at(t, ctx) {
      const { world } = ctx;
      const tasks = waves.tasks(t, ctx);
      const targets = [];
      const list = [...startedEvents(ctx, waves)];
      for (const [w, start] of waves.starts.entries()) {
        const age = t - start;
        const [a, b] = [2 * w, 2 * w + 1];
        if (age >= RUN && age < STOP + 10)
          for (const n of [a, b]) targets.push(target(ip(n), world.port, ...health(age)));
        list.push([start + RUN, `(service ${world.service}) registered 2 targets in (target-group ${tg(ctx)})`]);
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
        targets: [...oldTargets(ctx, "healthy"), ...targets],
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
};

/**
 * Sets the world's target group's deregistration delay (in moto) to the scenario's drain at this scale, so that what
 * the action reads from DescribeTargetGroupAttributes is what the script plays.
 */
export async function matchDrain(endpoint, world, name, scale = 1) {
  const drainS = SCENARIOS[name]?.drainS;
  if (drainS === undefined || !world.targetGroupArn) return;
  const elb = new ElasticLoadBalancingV2Client({
    region: world.region,
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  try {
    const Value = String(Math.max(0, Math.round(drainS * scale)));
    const Attributes = [{ Key: "deregistration_delay.timeout_seconds", Value }];
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: world.targetGroupArn, Attributes }));
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
