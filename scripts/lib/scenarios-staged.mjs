// Scripted blue/green, linear and canary rollouts. moto 5.2.1 answers ListServiceDeployments and
// DescribeServiceDeployments with HTTP 500 and knows no StopServiceDeployment, so the proxy plays them from a script,
// over the healthy rolling script's tasks and targets (scenarios.mjs). The shapes are the ECS API's, as its model
// gives them (aws-sdk-js-v3 client-ecs, models_0: ServiceDeployment, ServiceRevisionSummary,
// DeploymentLifecycleHookDetail, ServiceDeploymentAlarms; ListServiceDeployments' ServiceDeploymentBrief;
// StopServiceDeploymentResponse { serviceDeploymentArn }). The stage order and what moves when are the ECS developer
// guide's ("Amazon ECS blue/green deployments", "linear deployments", "canary deployments": scale up the green
// revision, shift test traffic, shift production traffic once per step, bake, clean up; a rollback shifts the
// traffic back while the blue revision still runs).
import { scriptedRollout } from "./scenarios.mjs";
import { json, safeJson } from "./scripted-ecs.mjs";

/** The revision the service ran before: the healthy script's previous deployment's number. */
const SOURCE_REVISION = "1000000000000000001";

/** Seconds of the healthy script by which our tasks run and are healthy (scenarios.mjs: 44 s and 52.4 s). */
const HEALTHY_AT = 53;

/**
 * Phases in script seconds: `[at, { stage, prod, test, status?, hooks?, alarms?, reason? }]`. A phase holds until
 * the next one; the last one holds for ever.
 */
function phaseAt(phases, t) {
  let current = phases[0][1];
  for (const [at, phase] of phases) if (t >= at) current = phase;
  return current;
}

/** When (script seconds) the phase in effect at `t` began, and when the first rollback phase did. */
function phaseTimes(phases, t) {
  let began = phases[0][0];
  for (const [at] of phases) if (t >= at) began = at;
  const rollback = phases.find(([, phase]) => phase.status?.startsWith("ROLLBACK"))?.[0];
  return { began, rollback };
}

/** The deployment configuration ECS echoes on the service deployment and the service. */
function configurationOf(staged) {
  return {
    strategy: staged.strategy,
    bakeTimeInMinutes: staged.bakeMinutes,
    ...(staged.strategy === "CANARY" ? { canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 1 } } : {}),
    ...(staged.strategy === "LINEAR" ? { linearConfiguration: { stepPercent: 34, stepBakeTimeInMinutes: 0 } } : {}),
    ...(staged.alarms ? { alarms: { alarmNames: staged.alarms, rollback: false, enable: true } } : {}),
  };
}

/** What ECS does after StopServiceDeployment(ROLLBACK): traffic back within seconds, then ROLLBACK_SUCCESSFUL. */
const ROLLBACK_PHASES = [
  [0, { stage: "PRODUCTION_TRAFFIC_SHIFT", status: "ROLLBACK_REQUESTED", prod: 5, test: 100 }],
  [2, { stage: "PRODUCTION_TRAFFIC_SHIFT", status: "ROLLBACK_IN_PROGRESS", prod: 0, test: 0 }],
  [
    8,
    {
      stage: "CLEAN_UP",
      status: "ROLLBACK_SUCCESSFUL",
      prod: 0,
      test: 0,
      reason: "Service deployment stopped with rollback.",
    },
  ],
];

/**
 * The proxy's answer for a staged scenario: `staged` = { strategy, bakeMinutes, phases, alarms?, alternate, rule,
 * testRule?, role, opaqueRevision?, afterContinue? }. `stops` records each StopServiceDeployment request, `continues`
 * each ContinueServiceDeployment one (ContinueServiceDeploymentResponse { serviceDeploymentArn }), after which the
 * deployment plays `afterContinue` (phases in seconds since the answer). With `opaqueRevision` the
 * service revision's ARN does not end with the deployment's number (no document says it must), so the action
 * proves the service deployment ours through DescribeServiceRevisions, answered here with our task definition.
 */
export function stagedRollout(staged, world, options = {}) {
  const script = scriptedRollout("healthy-short-drain", world, options);
  const scale = options.scale ?? 1;
  const stops = [];
  const continues = [];
  const base = `arn:aws:ecs:${world.region}:${world.account}`;
  const seconds = (ms) => script.pace.seconds(ms - (script.started[0]?.at ?? ms));
  const arn = `${base}:service-deployment/${world.cluster}/${world.service}/Kq2ZsR8vXbN3mT5wYcJ1a`;
  const view = () => {
    const ours = script.started[0];
    const t = seconds(Date.now());
    const [stop, answered] = [stops[0], continues[0]];
    const since = (at) => (Date.now() - at) / 1000 / scale;
    const [phases, from, now] = stop
      ? [ROLLBACK_PHASES, stop.at, since(stop.at)]
      : answered
        ? [staged.afterContinue, answered.at, since(answered.at)]
        : [staged.phases, ours.at, t];
    const phase = phaseAt(phases, now);
    // ECS's clock: updatedAt is when it changed the service deployment to this phase, rollback.startedAt when it
    // began to roll back.
    const times = phaseTimes(phases, now);
    const ecsTime = (at) => (from + at * 1000 * scale) / 1000;
    const rollingBack = phase.status?.startsWith("ROLLBACK") && times.rollback !== undefined;
    const revision = (n) => `${base}:service-revision/${world.cluster}/${world.service}/${n}`;
    const weight = (w) => ({ requestedProductionTrafficWeight: w.prod, requestedTestTrafficWeight: w.test });
    return {
      serviceDeploymentArn: arn,
      serviceArn: `${base}:service/${world.cluster}/${world.service}`,
      clusterArn: `${base}:cluster/${world.cluster}`,
      createdAt: ours.at / 1000,
      startedAt: ours.at / 1000,
      updatedAt: ecsTime(times.began),
      targetServiceRevision: {
        arn: revision(staged.opaqueRevision ? "rev-Zt4mQ8sLk2" : ours.id.replace("ecs-svc/", "")),
        requestedTaskCount: 2,
        runningTaskCount: t >= HEALTHY_AT ? 2 : 0,
        pendingTaskCount: t >= HEALTHY_AT ? 0 : 2,
        ...weight(phase),
      },
      sourceServiceRevisions: [
        {
          arn: revision(SOURCE_REVISION),
          requestedTaskCount: 2,
          runningTaskCount: 2,
          pendingTaskCount: 0,
          requestedProductionTrafficWeight: 100 - phase.prod,
          requestedTestTrafficWeight: 100 - phase.test,
        },
      ],
      status: phase.status ?? "IN_PROGRESS",
      ...(phase.reason ? { statusReason: phase.reason } : {}),
      lifecycleStage: phase.stage,
      ...(phase.hooks ? { lifecycleHookDetails: phase.hooks(ours.at) } : {}),
      deploymentConfiguration: configurationOf(staged),
      ...(phase.alarms ? { alarms: phase.alarms } : {}),
      ...(rollingBack ? { rollback: { reason: phase.reason ?? "rollback", startedAt: ecsTime(times.rollback) } } : {}),
    };
  };
  const hook = async (call) => {
    const ours = script.started[0];
    const request = safeJson(call.body);
    if (ours && call.operation === "ListServiceDeployments") {
      const v = view();
      const brief = {
        serviceDeploymentArn: v.serviceDeploymentArn,
        serviceArn: v.serviceArn,
        clusterArn: v.clusterArn,
        createdAt: v.createdAt,
        startedAt: v.startedAt,
        targetServiceRevisionArn: v.targetServiceRevision.arn,
        status: v.status,
      };
      return json({ serviceDeployments: [brief] });
    }
    if (ours && call.operation === "DescribeServiceDeployments") {
      const found = (request.serviceDeploymentArns ?? []).includes(arn);
      return json({ serviceDeployments: found ? [view()] : [], failures: [] });
    }
    if (ours && call.operation === "DescribeServiceRevisions") {
      const serviceRevisions = (request.serviceRevisionArns ?? []).map((serviceRevisionArn) => ({
        serviceRevisionArn,
        serviceArn: `${base}:service/${world.cluster}/${world.service}`,
        clusterArn: `${base}:cluster/${world.cluster}`,
        // The source revision (the one the service ran before) runs the seeded revision 1.
        taskDefinition: serviceRevisionArn.endsWith(`/${SOURCE_REVISION}`)
          ? world.initialTaskDefinitionArn
          : ours.taskDefinition,
        createdAt: ours.at / 1000,
      }));
      return json({ serviceRevisions, failures: [] });
    }
    if (ours && call.operation === "ContinueServiceDeployment") {
      continues.push({ at: Date.now(), request });
      return json({ serviceDeploymentArn: arn });
    }
    if (ours && call.operation === "StopServiceDeployment") {
      stops.push({ at: Date.now(), request });
      return json({ serviceDeploymentArn: arn });
    }
    const answer = await script.hook(call);
    if (call.operation !== "DescribeServices" || !answer || !ours) return answer;
    const body = JSON.parse(answer.body);
    for (const service of body.services ?? []) {
      Object.assign(service.deploymentConfiguration, configurationOf(staged));
      service.currentServiceDeployment = arn;
      for (const lb of service.loadBalancers ?? []) {
        lb.advancedConfiguration = {
          alternateTargetGroupArn: staged.alternate,
          productionListenerRule: staged.rule,
          ...(staged.testRule ? { testListenerRule: staged.testRule } : {}),
          roleArn: staged.role,
        };
      }
    }
    return { ...answer, body: JSON.stringify(body) };
  };
  return { hook, started: script.started, stops, continues, scale, arn };
}
