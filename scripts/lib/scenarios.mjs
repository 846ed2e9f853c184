// Scripted rollouts over real time, for the end-to-end tests and the benchmark. moto registers the task
// definition and takes UpdateService for real, but never moves a deployment forward; the recording proxy
// answers the rollout's read calls (DescribeServices, ListTasks, DescribeTasks, DescribeTargetHealth) from a
// script of what ECS and the load balancer show at each second after UpdateService. Reasons and messages
// are the ones AWS documents.

/** Task IDs as ECS writes them (32 hex digits); distinct per deployment (index) and task (n). */
export const scenarioTaskId = (index, n) => `${(0x3f2a9c10 + index * 4096 + n).toString(16)}${"5e7d".repeat(6)}`;

/** @typedef {{ id: string, taskDefinition: string }} Deployment */
/** @typedef {{ ours: Deployment, previous: Deployment, world: any, taskId: (n: number) => string }} Context */

function task(ctx, deployment, n, state) {
  const { world } = ctx;
  const id = ctx.taskId(n);
  return {
    taskArn: `arn:aws:ecs:${world.region}:${world.account}:task/${world.cluster}/${id}`,
    clusterArn: `arn:aws:ecs:${world.region}:${world.account}:cluster/${world.cluster}`,
    taskDefinitionArn: deployment.taskDefinition,
    startedBy: deployment.id,
    group: `service:${world.service}`,
    launchType: "FARGATE",
    lastStatus: state.lastStatus,
    desiredStatus: state.lastStatus === "STOPPED" ? "STOPPED" : "RUNNING",
    createdAt: ctx.t0 / 1000,
    ...(state.stoppedReason
      ? { stoppedReason: state.stoppedReason, stopCode: state.stopCode, stoppedAt: Date.now() / 1000 }
      : {}),
    attachments: [
      {
        id: `eni-attachment-${n}`,
        type: "ElasticNetworkInterface",
        status: "ATTACHED",
        details: [{ name: "privateIPv4Address", value: ip(n) }],
      },
    ],
    containers: [
      {
        name: world.service,
        lastStatus: state.lastStatus,
        ...(state.exitCode !== undefined ? { exitCode: state.exitCode } : {}),
        ...(state.reason ? { reason: state.reason } : {}),
      },
    ],
  };
}

const ip = (n) => `10.0.1.${10 + n}`;

function deployment(d, status, counts, extra = {}) {
  return {
    id: d.id,
    status,
    taskDefinition: d.taskDefinition,
    desiredCount: 2,
    pendingCount: counts.pending ?? 0,
    runningCount: counts.running ?? 0,
    failedTasks: counts.failed ?? 0,
    // Fixed per deployment: ECS moves updatedAt only when the deployment changes, and the action relies on that.
    createdAt: (d.at ?? PREVIOUS_DEPLOYED_AT) / 1000,
    updatedAt: (d.at ?? PREVIOUS_DEPLOYED_AT) / 1000,
    launchType: "FARGATE",
    rolloutState: counts.rolloutState ?? "IN_PROGRESS",
    rolloutStateReason: counts.reason ?? `ECS deployment ${d.id} in progress.`,
    ...extra,
  };
}

const PREVIOUS_DEPLOYED_AT = Date.parse("2026-11-01T09:00:00Z");

const running = { lastStatus: "RUNNING" };
const target = (n, port, state, reason, description) => ({
  Target: { Id: ip(n), Port: port },
  TargetHealth: { State: state, ...(reason ? { Reason: reason, Description: description } : {}) },
});

/** Tasks start, register, turn healthy; ECS says COMPLETED a moment after (the seconds are after UpdateService). */
function healthyRollout({ runningAt, healthyAt, completedAt }) {
  return {
    terminalAt: completedAt,
    expect: { outcome: "succeeded", firstLine: /./ },
    at(t, ctx) {
      const up = t >= runningAt;
      const done = t >= completedAt;
      const state = t < healthyAt ? "initial" : "healthy";
      const initial = state === "initial" ? ["Elb.RegistrationInProgress", "Target registration is in progress"] : [];
      return {
        deployments: [
          deployment(ctx.ours, "PRIMARY", {
            running: up ? 2 : 0,
            pending: up ? 0 : 2,
            rolloutState: done ? "COMPLETED" : "IN_PROGRESS",
            reason: done ? `ECS deployment ${ctx.ours.id} completed.` : undefined,
          }),
          ...(done ? [] : [deployment(ctx.previous, "ACTIVE", { running: 2, rolloutState: "COMPLETED" })]),
        ],
        tasks: [0, 1].map((n) => task(ctx, ctx.ours, n, up ? running : { lastStatus: "PROVISIONING" })),
        targets: up ? [0, 1].map((n) => target(n, ctx.world.port, state, ...initial)) : [],
        events: done ? [`(service ${ctx.world.service}) has reached a steady state.`] : [],
      };
    },
  };
}

/** `scenario`, except that until `staleFor` seconds DescribeServices answers as before UpdateService. */
function staleAtFirst(scenario, staleFor) {
  return {
    ...scenario,
    at(t, ctx) {
      if (t >= staleFor) return scenario.at(t, ctx);
      const before = deployment(ctx.previous, "PRIMARY", {
        running: 2,
        rolloutState: "COMPLETED",
        reason: `ECS deployment ${ctx.previous.id} completed.`,
      });
      return { deployments: [before], tasks: [], targets: [], events: [] };
    },
  };
}

/**
 * Each scenario: `at(t, ctx)` → what AWS shows t seconds after UpdateService; `terminalAt` the second the
 * terminal state first shows; `expect` what a truthful action concludes.
 */
export const SCENARIOS = {
  healthy: healthyRollout({ runningAt: 2, healthyAt: 5, completedAt: 6 }),

  // A large image and a slow start: a minute in which nothing changes, where the wait should cost one call a poll.
  "slow-healthy": healthyRollout({ runningAt: 40, healthyAt: 55, completedAt: 60 }),

  // ECS reads are eventually consistent: for the first half second after UpdateService, DescribeServices still shows
  // the previous deployment PRIMARY and ours absent. A truthful wait calls that neither a rollback nor anything else.
  "stale-first-describe": staleAtFirst(healthyRollout({ runningAt: 2, healthyAt: 5, completedAt: 6 }), 0.5),

  "bad-image-with-breaker": {
    terminalAt: 3,
    expect: {
      outcome: "failed",
      firstLine: /CannotPullContainerError.*circuit breaker|circuit breaker.*CannotPullContainerError/s,
    },
    at(t, ctx) {
      const image = `${ctx.world.account}.dkr.ecr.${ctx.world.region}.amazonaws.com/${ctx.world.service}:r254`;
      const pull = {
        lastStatus: "STOPPED",
        stopCode: "TaskFailedToStart",
        stoppedReason: `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${image}: ${image}: not found`,
        reason: `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${image}: not found`,
      };
      const stopped = t >= 2 ? 2 : t >= 1 ? 1 : 0;
      const failed = t >= 3;
      const tasks = [0, 1].map((n) => task(ctx, ctx.ours, n, n < stopped ? pull : { lastStatus: "PENDING" }));
      return {
        deployments: [
          deployment(ctx.ours, failed ? "ACTIVE" : "PRIMARY", {
            pending: 2 - stopped,
            failed: stopped,
            rolloutState: failed ? "FAILED" : "IN_PROGRESS",
            reason: failed ? "ECS deployment circuit breaker: tasks failed to start." : undefined,
          }),
          deployment(ctx.previous, failed ? "PRIMARY" : "ACTIVE", {
            running: 2,
            rolloutState: failed ? "IN_PROGRESS" : "COMPLETED",
          }),
        ],
        tasks,
        targets: [],
        events: failed
          ? [
              `(service ${ctx.world.service}) (deployment ${ctx.ours.id}) deployment failed: tasks failed to start.`,
              `(service ${ctx.world.service}) rolling back to deployment ${ctx.previous.id}.`,
            ]
          : [],
      };
    },
  },

  "crash-loop-without-breaker": {
    terminalAt: 6,
    expect: { outcome: "failed", firstLine: /exited with code 1/ },
    at(t, ctx) {
      const crashed = {
        lastStatus: "STOPPED",
        stopCode: "EssentialContainerExited",
        stoppedReason: "Essential container in task exited",
        exitCode: 1,
      };
      // A task starts, runs a moment and exits; ECS starts another. The third stop is at 6 s.
      const stops = Math.min(3, Math.floor(t / 2));
      const tasks = [];
      for (let n = 0; n < stops; n++) tasks.push(task(ctx, ctx.ours, n, crashed));
      tasks.push(task(ctx, ctx.ours, stops, running));
      return {
        deployments: [
          deployment(ctx.ours, "PRIMARY", { running: 1, pending: 1, failed: stops }),
          deployment(ctx.previous, "ACTIVE", { running: 2, rolloutState: "COMPLETED" }),
        ],
        tasks,
        targets: [],
        events: stops > 0 ? [`(service ${ctx.world.service}) has started 1 tasks: (task ${ctx.taskId(stops)}).`] : [],
      };
    },
  },

  "failing-health-checks": {
    terminalAt: 5,
    expect: { outcome: "failed", firstLine: /health checks failed with codes \[404\]/ },
    at(t, ctx) {
      const p = ctx.world.port;
      const tgArn = ctx.world.targetGroupArn;
      const elbStop = {
        lastStatus: "STOPPED",
        stopCode: "ServiceSchedulerInitiated",
        stoppedReason: `Task failed ELB health checks in (target-group ${tgArn})`,
      };
      const stops = t >= 5 ? 3 : t >= 4 ? 2 : t >= 3 ? 1 : 0;
      const tasks = [];
      for (let n = 0; n < stops; n++) tasks.push(task(ctx, ctx.ours, n, elbStop));
      tasks.push(task(ctx, ctx.ours, stops, running), task(ctx, ctx.ours, stops + 1, running));
      const unhealthy = (n) =>
        target(n, p, "unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]");
      return {
        deployments: [
          deployment(ctx.ours, "PRIMARY", { running: 2, failed: stops }),
          deployment(ctx.previous, "ACTIVE", { running: 2, rolloutState: "COMPLETED" }),
        ],
        tasks,
        targets: t >= 1 ? [unhealthy(stops), unhealthy(stops + 1)] : [],
        events:
          stops > 0
            ? [
                `(service ${ctx.world.service}) (task ${ctx.taskId(0)}) failed ELB health checks in (target-group ${tgArn})`,
              ]
            : [],
      };
    },
  },
};

/** A rollback we start ourselves: the previous revision comes back healthy in two seconds. */
function rollbackScript(t, ctx) {
  const done = t >= 2;
  return {
    deployments: [
      deployment(ctx.ours, "PRIMARY", {
        running: done ? 2 : 0,
        pending: done ? 0 : 2,
        rolloutState: done ? "COMPLETED" : "IN_PROGRESS",
      }),
    ],
    tasks: [0, 1].map((n) => task(ctx, ctx.ours, n + 50, done ? running : { lastStatus: "PENDING" })),
    targets: done ? [0, 1].map((n) => target(n + 50, ctx.world.port, "healthy")) : [],
    events: [],
  };
}

/**
 * The proxy's `answer` hook for a scenario. The script's clock starts at the first UpdateService; a second
 * UpdateService (our rollback) is answered by a healthy rollback script.
 */
export function scriptedRollout(name, world, options = {}) {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`no scenario ${name}`);
  const started = [];
  let state;
  const ctxFor = (index) => ({
    world,
    ours: started[index],
    previous:
      index === 0 ? { id: "ecs-svc/1000000000000000001", taskDefinition: world.initialTaskDefinitionArn } : started[0],
    t0: started[index].at,
    taskId: (n) => scenarioTaskId(index, n),
  });
  const current = () => {
    const index = started.length - 1;
    const ctx = ctxFor(index);
    const t = (Date.now() - ctx.t0) / 1000;
    return index === 0 ? scenario.at(t, ctx) : rollbackScript(t, ctx);
  };
  const hook = async ({ operation, body, forward }) => {
    if (operation === "UpdateService") {
      const response = await forward();
      const service = JSON.parse(response.body).service;
      const primary = service?.deployments?.find((d) => d.status === "PRIMARY");
      if (primary) started.push({ id: primary.id, taskDefinition: primary.taskDefinition, at: Date.now() });
      if (started.length === 1) options.onStart?.(Date.now());
      return response;
    }
    if (started.length === 0) return undefined;
    state = current();
    const request = body ? safeJson(body) : {};
    switch (operation) {
      case "DescribeServices":
        return json({ services: [serviceView(world, state)], failures: [] });
      case "ListTasks":
        return json({
          taskArns: state.tasks
            .filter(
              (t) => t.startedBy === request.startedBy && t.desiredStatus === (request.desiredStatus ?? "RUNNING"),
            )
            .map((t) => t.taskArn),
        });
      case "DescribeTasks":
        return json({ tasks: state.tasks.filter((t) => request.tasks?.includes(t.taskArn)), failures: [] });
      case "DescribeTargetHealth":
        return { headers: { "content-type": "text/xml" }, body: targetHealthXml(state.targets) };
      default:
        return undefined;
    }
  };
  return { hook, started };
}

function serviceView(world, state) {
  const primary = state.deployments.find((d) => d.status === "PRIMARY");
  const arn = (kind) => `arn:aws:ecs:${world.region}:${world.account}:${kind}`;
  return {
    serviceArn: arn(`service/${world.cluster}/${world.service}`),
    serviceName: world.service,
    clusterArn: arn(`cluster/${world.cluster}`),
    status: "ACTIVE",
    launchType: "FARGATE",
    desiredCount: 2,
    runningCount: state.deployments.reduce((sum, d) => sum + d.runningCount, 0),
    pendingCount: state.deployments.reduce((sum, d) => sum + d.pendingCount, 0),
    taskDefinition: primary?.taskDefinition,
    loadBalancers: world.targetGroupArn
      ? [{ targetGroupArn: world.targetGroupArn, containerName: world.service, containerPort: world.port }]
      : [],
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deploymentController: { type: "ECS" },
    deployments: state.deployments,
    events: state.events.map((message, i) => ({ id: `event-${i}`, createdAt: Date.now() / 1000, message })),
  };
}

function targetHealthXml(targets) {
  const member = (t) =>
    `<member><Target><Id>${t.Target.Id}</Id><Port>${t.Target.Port}</Port></Target><HealthCheckPort>${t.Target.Port}</HealthCheckPort>` +
    `<TargetHealth><State>${t.TargetHealth.State}</State>` +
    (t.TargetHealth.Reason
      ? `<Reason>${t.TargetHealth.Reason}</Reason><Description>${t.TargetHealth.Description}</Description>`
      : "") +
    "</TargetHealth></member>";
  return (
    '<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">' +
    `<DescribeTargetHealthResult><TargetHealthDescriptions>${targets.map(member).join("")}</TargetHealthDescriptions></DescribeTargetHealthResult>` +
    "<ResponseMetadata><RequestId>scripted</RequestId></ResponseMetadata></DescribeTargetHealthResponse>"
  );
}

const json = (value) => ({ body: JSON.stringify(value) });

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
