// Drives watchRollout without AWS and without real time: SDK clients mocked with aws-sdk-client-mock answer what a
// scenario fixture says AWS held at the fake clock's current time, and sleep advances that clock.
//
// A benchmark uses the same pieces: `const clock = fakeClock(); const aws = mockAws(); serveScenario(aws, scenario,
// clock); const result = await watchRollout({ ...aws.target(scenario), now: clock.now, sleep: clock.sleep, … })`.
// Detection latency = the time of the verdict (result.timeline.at(-1).at) minus the `at` of the first poll in the
// fixture that shows the terminal state; AWS calls per minute = result.awsCalls / (that time / 60 000).
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ECSServiceException,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import type { WatchOptions } from "../../src/rollout/index.js";
import { loadScenario, type Poll, type Scenario } from "./scenario.js";

export interface FakeClock {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** every sleep asked for, in order */
  sleeps: number[];
}

export function fakeClock(): FakeClock {
  let time = 0;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

const config = { region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } };

export function mockAws() {
  const clients = {
    ecs: new ECSClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
    logs: new CloudWatchLogsClient(config),
  };
  const mocks = {
    ecs: mockClient(clients.ecs),
    elb: mockClient(clients.elb),
    logs: mockClient(clients.logs),
  };
  /** Every AWS call made through the mocks, all clients together. */
  const calls = () => Object.values(mocks).reduce((sum, mock) => sum + mock.calls().length, 0);
  return { clients, ...mocks, calls };
}

export type MockAws = ReturnType<typeof mockAws>;

/** What AWS holds at time `now`: the latest poll at or before it, with unchanged parts carried over. */
export function stateAt(scenario: Scenario, now: number): Required<Poll> {
  const polls = scenario.polls.filter((p) => p.at <= now);
  const pick = <K extends keyof Poll>(key: K) => polls.findLast((p) => p[key] !== undefined)?.[key];
  return {
    at: now,
    describeServices: pick("describeServices") ?? { services: [] },
    describeTasks: pick("describeTasks") ?? { tasks: [] },
    describeTargetHealth: pick("describeTargetHealth") ?? {},
    describeServiceDeployments: pick("describeServiceDeployments") ?? { serviceDeployments: [] },
  };
}

/** Scripted answers that change over time: each call answers from the scenario's state at the clock's time. */
export function serveScenario(aws: MockAws, scenario: Scenario, clock: FakeClock): void {
  const now = () => stateAt(scenario, clock.now());
  aws.ecs.on(DescribeServicesCommand).callsFake(() => now().describeServices);
  aws.ecs.on(ListTasksCommand).callsFake((input: { desiredStatus?: string }) => ({
    taskArns: now()
      .describeTasks.tasks.filter((t) => (t.desiredStatus === "STOPPED") === (input.desiredStatus === "STOPPED"))
      .map((t) => t.taskArn),
  }));
  // DescribeTasks takes ARNs or bare task ids (as ECS's events name them).
  aws.ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
    tasks: now().describeTasks.tasks.filter((t) =>
      input.tasks.some((ref) => ref === t.taskArn || ref === t.taskArn?.split("/").pop()),
    ),
    failures: [],
  }));
  aws.elb.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn: string }) => ({
    TargetHealthDescriptions: now().describeTargetHealth[input.TargetGroupArn]?.TargetHealthDescriptions ?? [],
  }));
  aws.elb.on(DescribeTargetGroupsCommand).resolves(scenario.describeTargetGroups ?? { TargetGroups: [] });
  aws.elb.on(DescribeTargetGroupAttributesCommand).callsFake((input: { TargetGroupArn: string }) => ({
    Attributes: scenario.describeTargetGroupAttributes?.[input.TargetGroupArn]?.Attributes ?? [],
  }));
  aws.ecs.on(ListServiceDeploymentsCommand).callsFake(() => ({
    serviceDeployments: now().describeServiceDeployments.serviceDeployments?.map((d) => ({
      serviceDeploymentArn: d.serviceDeploymentArn,
      targetServiceRevisionArn: d.targetServiceRevision?.arn,
      status: d.status,
    })),
  }));
  aws.ecs.on(DescribeServiceDeploymentsCommand).callsFake(() => now().describeServiceDeployments);
}

/** The options watchRollout needs for a scenario, on the mocked clients and the fake clock. */
export function watchOptions(aws: MockAws, scenario: Scenario, clock: FakeClock, log: string[] = []): WatchOptions {
  const { deploymentId, taskDefinitionArn, previousTaskDefinitionArn, maxFailedTasks } = scenario.context;
  return {
    clients: aws.clients,
    cluster: "guide-test",
    service: "app",
    deploymentId,
    taskDefinitionArn,
    ...(previousTaskDefinitionArn ? { previousTaskDefinitionArn } : {}),
    timeoutMs: 600_000,
    pollMs: 5_000,
    maxFailedTasks,
    log: (line) => log.push(line),
    now: clock.now,
    sleep: clock.sleep,
  };
}

/** The scenario fixture `name`, served by mocked clients at a fake clock: where most wait tests start. */
export function scenarioWatch(name: string) {
  const scenario = loadScenario(name);
  const clock = fakeClock();
  const aws = mockAws();
  serveScenario(aws, scenario, clock);
  const log: string[] = [];
  const state = () => stateAt(scenario, clock.now());
  return { scenario, clock, aws, log, state, options: watchOptions(aws, scenario, clock, log) };
}

/** An error as the SDK throws it for an ECS error response. */
export function awsError(name: string, message: string, status = 400) {
  return new ECSServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode: status } });
}
