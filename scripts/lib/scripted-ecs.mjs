// The machinery of the scripted rollouts (scenarios.mjs): what ECS and the load balancer answer, as JSON and XML
// shapes (tasks, deployments, targets, the service view, DescribeTargetHealth's XML), waves of tasks that fail alike,
// and the proxy hook that plays a script. Times are script seconds, stamped onto the real clock at the script's pace
// (`ctx.scale`).

/** Task IDs as ECS writes them (32 hex digits); distinct per deployment (index) and task (n). */
export const scenarioTaskId = (index, n) => `${(0x3f2a9c10 + index * 4096 + n).toString(16)}${"5e7d".repeat(6)}`;

export const PREVIOUS_DEPLOYED_AT = Date.parse("2026-11-01T09:00:00Z");
export const ip = (n) => `10.0.1.${10 + n}`;
export const OLD_IPS = ["10.0.2.111", "10.0.1.112"];

/**
 * How script seconds meet the real clock: `scale` real seconds to a script second throughout, or `segments`
 * ([[fromS, scale], …], each scale holding from that script second on) for a script played fast, then at ECS's own
 * pace, then fast again. `seconds(ms)`: the script second `ms` real milliseconds after its start; `ms(t)`: back.
 */
export function scriptPace({ scale = 1, segments = [[0, scale]] } = {}) {
  const parts = [];
  let realMs = 0;
  for (const [i, [from, rate]] of segments.entries()) {
    if (i > 0) {
      const [prevFrom, prevRate] = segments[i - 1];
      realMs += (from - prevFrom) * 1000 * prevRate;
    }
    parts.push({ from, rate, realMs });
  }
  const byScript = (t) => parts.findLast((p) => t >= p.from) ?? parts[0];
  const byReal = (ms) => parts.findLast((p) => ms >= p.realMs) ?? parts[0];
  return {
    seconds: (ms) => {
      const p = byReal(ms);
      return p.from + (ms - p.realMs) / 1000 / p.rate;
    },
    ms: (t) => {
      const p = byScript(t);
      return p.realMs + (t - p.from) * 1000 * p.rate;
    },
  };
}

/** The scripted clock's second `t` as an ECS timestamp (seconds since the epoch), from the script's start. */
export const stamp = (ctx, t) => (ctx.t0 + ctx.pace.ms(t)) / 1000;

export function task(ctx, deployment, n, state) {
  const { world } = ctx;
  return {
    taskArn: `arn:aws:ecs:${world.region}:${world.account}:task/${world.cluster}/${ctx.taskId(n)}`,
    clusterArn: `arn:aws:ecs:${world.region}:${world.account}:cluster/${world.cluster}`,
    taskDefinitionArn: deployment.taskDefinition,
    startedBy: deployment.id,
    group: `service:${world.service}`,
    launchType: "FARGATE",
    lastStatus: state.lastStatus,
    desiredStatus: state.lastStatus === "STOPPED" ? "STOPPED" : "RUNNING",
    createdAt: stamp(ctx, state.created ?? 0),
    // PENDING: ECS dates the image pull that begins it.
    ...(state.pulling !== undefined ? { pullStartedAt: stamp(ctx, state.pulling) } : {}),
    ...(state.started !== undefined ? { startedAt: stamp(ctx, state.started) } : {}),
    ...(state.stoppedReason
      ? {
          stoppedReason: state.stoppedReason,
          stopCode: state.stopCode,
          stoppingAt: stamp(ctx, state.stopped ?? 0),
          stoppedAt: stamp(ctx, state.stopped ?? 0),
        }
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

export function deployment(d, status, counts) {
  const done = counts.rolloutState === "COMPLETED";
  return {
    id: d.id,
    status,
    taskDefinition: d.taskDefinition,
    desiredCount: counts.desired ?? 2,
    pendingCount: counts.pending ?? 0,
    runningCount: counts.running ?? 0,
    failedTasks: counts.failed ?? 0,
    // Fixed per deployment: ECS moves updatedAt only when the deployment changes, and the action relies on that.
    createdAt: (d.at ?? PREVIOUS_DEPLOYED_AT) / 1000,
    updatedAt: (d.at ?? PREVIOUS_DEPLOYED_AT) / 1000,
    launchType: "FARGATE",
    rolloutState: counts.rolloutState ?? "IN_PROGRESS",
    rolloutStateReason: counts.reason ?? `ECS deployment ${d.id} ${done ? "completed" : "in progress"}.`,
  };
}

export const target = (id, port, state, reason, description) => ({
  Target: { Id: id, Port: port },
  TargetHealth: { State: state, ...(reason ? { Reason: reason, Description: description } : {}) },
});
export const oldTargets = (ctx, state, ...why) => OLD_IPS.map((id) => target(id, ctx.world.port, state, ...why));
export const tg = (ctx) => ctx.world.targetGroupArn;
export const tgName = (ctx) => ctx.world.targetGroupArn?.split("/")[1] ?? "";

/** Events newest first, each stamped with the scripted second it happened at. */
export function events(ctx, t, list) {
  return list
    .filter(([at]) => t >= at)
    .reverse()
    .map(([at, message]) => ({ at: stamp(ctx, at), message }));
}

/** `scenario`, except that until `staleFor` seconds DescribeServices answers as before UpdateService. */
export function staleAtFirst(scenario, staleFor) {
  return {
    ...scenario,
    at(t, ctx) {
      if (t >= staleFor) return scenario.at(t, ctx);
      const before = deployment(ctx.previous, "PRIMARY", { running: 2, rolloutState: "COMPLETED" });
      return { deployments: [before], tasks: [], targets: oldTargets(ctx, "healthy"), events: [] };
    },
  };
}

/**
 * Waves of two tasks that fail alike, one wave `gap` seconds after the last one's stop. `state(age, ctx)` is a task's
 * state `age` seconds after its wave was created; its `started` and `stopped` are ages too.
 */
export function failingWaves({ waves, created, lifetime, gap, state }) {
  const starts = Array.from({ length: waves }, (_, w) => created + w * (lifetime + gap));
  return {
    starts,
    stopAt: (w) => starts[w] + lifetime,
    tasks(t, ctx) {
      const tasks = [];
      for (const [w, start] of starts.entries()) {
        if (t < start) break;
        const s = state(t - start, ctx);
        const at = (age) => (age === undefined ? undefined : start + age);
        const absolute = {
          ...s,
          created: start,
          pulling: at(s.pulling),
          started: at(s.started),
          stopped: at(s.stopped),
        };
        for (const n of [2 * w, 2 * w + 1]) tasks.push(task(ctx, ctx.ours, n, absolute));
      }
      return tasks;
    },
  };
}

/** Our tasks' counts, as ECS shows them on our deployment. */
export function counts(tasks, failed) {
  const live = tasks.filter((x) => x.lastStatus !== "STOPPED");
  return {
    running: live.filter((x) => x.lastStatus === "RUNNING").length,
    pending: live.filter((x) => x.lastStatus !== "RUNNING").length,
    failed: failed ? tasks.length - live.length : 0,
  };
}

export const startedEvents = (ctx, waves) =>
  waves.starts.map((at, w) => [
    at,
    `(service ${ctx.world.service}) has started 2 tasks: (task ${ctx.taskId(2 * w)}) (task ${ctx.taskId(2 * w + 1)}).`,
  ]);

/** A rollback we start ourselves: the previous revision's tasks run at 20 s and are healthy at 25 s. */
function rollbackScript(t, ctx) {
  const up = t >= 20;
  const healthy = t >= 25;
  return {
    deployments: [
      deployment(ctx.ours, "PRIMARY", {
        running: up ? 2 : 0,
        pending: up ? 0 : 2,
        rolloutState: healthy ? "COMPLETED" : "IN_PROGRESS",
      }),
    ],
    tasks: [0, 1].map((n) =>
      task(ctx, ctx.ours, n + 50, { lastStatus: up ? "RUNNING" : "PENDING", ...(up ? { started: 20 } : {}) }),
    ),
    targets: up ? [0, 1].map((n) => target(ip(n + 50), ctx.world.port, healthy ? "healthy" : "initial")) : [],
    events: [],
  };
}

/**
 * The proxy's `answer` hook for a scenario. The script's clock starts at the first UpdateService; a second
 * UpdateService (our rollback) is answered by a healthy rollback script. `scale` is the real seconds one script
 * second lasts: 1 (the bench) is ECS's own pace, 0.1 plays 10 script seconds each real second; `pace`
 * (scriptPace) changes the scale along the script.
 */
export function playScript(scenario, world, options = {}) {
  const scale = options.scale ?? 1;
  const pace = options.pace ?? scriptPace({ scale });
  const started = [];
  const ctxFor = (index) => ({
    world,
    scale,
    // The rollback we start runs at the given scale; the deploy's own script at its pace.
    pace: index === 0 ? pace : scriptPace({ scale }),
    ours: started[index],
    previous:
      index === 0 ? { id: "ecs-svc/1000000000000000001", taskDefinition: world.initialTaskDefinitionArn } : started[0],
    t0: started[index].at,
    taskId: (n) => scenarioTaskId(index, n),
  });
  const current = () => {
    const index = started.length - 1;
    const ctx = ctxFor(index);
    const t = ctx.pace.seconds(Date.now() - ctx.t0);
    return { state: index === 0 ? scenario.at(t, ctx) : rollbackScript(t, ctx), ctx, index };
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
    const { state, index } = current();
    const request = body ? safeJson(body) : {};
    switch (operation) {
      case "DescribeServices":
        return json({ services: [serviceView(world, state, index === 0 ? scenario.breaker : true)], failures: [] });
      case "ListTasks":
        return json({
          taskArns: state.tasks
            .filter(
              (t) => t.startedBy === request.startedBy && t.desiredStatus === (request.desiredStatus ?? "RUNNING"),
            )
            .map((t) => t.taskArn),
        });
      case "DescribeTasks":
        // ARNs, or bare task ids as ECS's events name them.
        return json({
          tasks: state.tasks.filter((t) =>
            request.tasks?.some((ref) => ref === t.taskArn || t.taskArn.endsWith(`/${ref}`)),
          ),
          failures: [],
        });
      case "DescribeTargetHealth":
        return { headers: { "content-type": "text/xml" }, body: targetHealthXml(state.targets) };
      default:
        return undefined;
    }
  };
  return { hook, started, scenario, scale, pace };
}

export function serviceView(world, state, breaker) {
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
      deploymentCircuitBreaker: { enable: breaker, rollback: breaker },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deploymentController: { type: "ECS" },
    deployments: state.deployments,
    events: state.events.map((e, i) => ({
      id: `event-${state.events.length - i}`,
      createdAt: e.at,
      message: e.message,
    })),
  };
}

export function targetHealthXml(targets) {
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

export const json = (value) => ({ body: JSON.stringify(value) });

export function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
