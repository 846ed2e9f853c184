// Plays a scripted rollout (scripts/lib/scenarios.mjs: what ECS and the load balancer show each second after
// UpdateService, on ECS's timings) to watchRollout on the fake clock, through mocked SDK clients: the same scripts
// the e2e tests and the bench play over real time, here in milliseconds and at any instant, not only at a fixture's
// polls. The script's second t is the fake clock's t × 1000 ms.
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { SCENARIOS } from "../../scripts/lib/scenarios.mjs";
import { scenarioTaskId, scriptPace, serviceView } from "../../scripts/lib/scripted-ecs.mjs";
import type { WatchOptions } from "../../src/rollout/index.js";
import { type FakeClock, fakeClock, type MockAws, mockAws } from "./aws.js";

/** UpdateService's moment on ECS's clock: the script's second 0. */
const T0 = Date.parse("2026-12-07T10:00:00Z");
const ACCOUNT = "879613780019";
const REGION = "us-east-1";

export const SCRIPTED_WORLD = {
  service: "app",
  cluster: "guide-test",
  region: REGION,
  account: ACCOUNT,
  port: 80,
  targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/app-tg/6d0ecf831eec9f09`,
  initialTaskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/app:1`,
};
const OURS = {
  id: "ecs-svc/4980306466373577095",
  taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/app:2`,
  at: T0,
};
const CONTEXT = {
  world: SCRIPTED_WORLD,
  scale: 1,
  pace: scriptPace(),
  ours: OURS,
  previous: { id: "ecs-svc/1000000000000000001", taskDefinition: SCRIPTED_WORLD.initialTaskDefinitionArn },
  t0: T0,
  taskId: (n: number) => scenarioTaskId(0, n),
};

const DATE_KEYS = new Set(["createdAt", "updatedAt", "startedAt", "stoppedAt", "stoppingAt"]);

/** The script's JSON as the SDK hands it over: ECS's epoch seconds as Date. */
function dated<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v) =>
    DATE_KEYS.has(key) && typeof v === "number" ? new Date(v * 1000) : v,
  ) as T;
}

interface ScriptState {
  deployments: unknown[];
  tasks: { taskArn: string; startedBy: string; desiredStatus: string }[];
  targets: unknown[];
  events: unknown[];
}

interface Scenario {
  at: (t: number, ctx: typeof CONTEXT) => ScriptState;
  breaker: boolean;
  terminalAt: number;
  drainS?: number;
  healthCheck?: { intervalS: number; healthyThreshold: number; unhealthyThreshold: number };
}

/** The target group as DescribeTargetGroups shows it, with the scenario's health check. */
function targetGroup(scenario: Scenario) {
  const check = scenario.healthCheck ?? { intervalS: 30, healthyThreshold: 5, unhealthyThreshold: 2 };
  return {
    TargetGroupArn: SCRIPTED_WORLD.targetGroupArn,
    TargetGroupName: "app-tg",
    Protocol: "HTTP" as const,
    Port: SCRIPTED_WORLD.port,
    HealthCheckProtocol: "HTTP" as const,
    HealthCheckPort: "traffic-port",
    HealthCheckPath: "/_health",
    HealthCheckIntervalSeconds: check.intervalS,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: check.healthyThreshold,
    UnhealthyThresholdCount: check.unhealthyThreshold,
    Matcher: { HttpCode: "200" },
    TargetType: "ip" as const,
  };
}

/** Every call answers what the script shows at the fake clock's time. */
export function serveScript(aws: MockAws, scenario: Scenario, clock: FakeClock): void {
  const now = () => scenario.at(clock.now() / 1000, CONTEXT);
  aws.ecs.on(DescribeServicesCommand).callsFake(() => ({
    services: [dated(serviceView(SCRIPTED_WORLD, now(), scenario.breaker))],
    failures: [],
  }));
  aws.ecs.on(ListTasksCommand).callsFake((input: { startedBy?: string; desiredStatus?: string }) => ({
    taskArns: now()
      .tasks.filter((t) => t.startedBy === input.startedBy && t.desiredStatus === (input.desiredStatus ?? "RUNNING"))
      .map((t) => t.taskArn),
  }));
  aws.ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
    tasks: dated(
      now().tasks.filter((t) => input.tasks.some((ref) => ref === t.taskArn || t.taskArn.endsWith(`/${ref}`))),
    ),
    failures: [],
  }));
  aws.ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
  aws.elb.on(DescribeTargetHealthCommand).callsFake(() => ({ TargetHealthDescriptions: now().targets }));
  aws.elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [targetGroup(scenario)] });
  aws.elb.on(DescribeTargetGroupAttributesCommand).resolves({
    Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: String(scenario.drainS ?? 300) }],
  });
}

/** The scripted scenario `name` (scripts/lib/scenarios.mjs), served at a fake clock, ready for watchRollout. */
export function scriptedWatch(name: string) {
  const scenario = (SCENARIOS as Record<string, Scenario>)[name];
  if (!scenario) throw new Error(`no scripted scenario ${name}`);
  const clock = fakeClock();
  const aws = mockAws();
  serveScript(aws, scenario, clock);
  const log: string[] = [];
  const options: WatchOptions = {
    clients: aws.clients,
    cluster: SCRIPTED_WORLD.cluster,
    service: SCRIPTED_WORLD.service,
    deploymentId: OURS.id,
    taskDefinitionArn: OURS.taskDefinition,
    previousTaskDefinitionArn: SCRIPTED_WORLD.initialTaskDefinitionArn,
    timeoutMs: 600_000,
    pollMs: 5_000,
    maxFailedTasks: 3,
    log: (line) => log.push(line),
    now: clock.now,
    sleep: clock.sleep,
  };
  return { scenario, clock, aws, log, options };
}
