// Large services: every page of RUNNING tasks is listed and described, or a service of more than 100 tasks behind
// a load balancer could never prove its tasks healthy. Also: the verdict line shows in the log when it is reached.
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type Task } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { fakeClock, mockAws, serveScenario, watchOptions } from "../support/aws.js";
import { loadScenario } from "../support/scenario.js";

const OURS = "ecs-svc/4980306466373577095";
const TG = "arn:aws:elasticloadbalancing:us-east-1:879613780019:targetgroup/tg-app/6d0ecf831eec9f09";
const COUNT = 150;

const ip = (n: number) => `10.0.${Math.floor(n / 200) + 2}.${(n % 200) + 10}`;

function task(n: number): Task {
  const id = `${(0x9eb3e9c5 + n).toString(16)}7b80a770c59336b277ea917d`;
  return {
    taskArn: `arn:aws:ecs:us-east-1:879613780019:task/guide-test/${id}`,
    taskDefinitionArn: "arn:aws:ecs:us-east-1:879613780019:task-definition/app:42",
    startedBy: OURS,
    lastStatus: "RUNNING",
    desiredStatus: "RUNNING",
    launchType: "FARGATE",
    attachments: [
      {
        type: "ElasticNetworkInterface",
        status: "ATTACHED",
        details: [{ name: "privateIPv4Address", value: ip(n) }],
      },
    ],
  };
}

describe("a service of 150 tasks behind a load balancer", () => {
  it("lists every page of RUNNING tasks and succeeds once all 150 are healthy", async () => {
    const scenario = loadScenario("healthy-rolling-alb");
    const clock = fakeClock();
    const aws = mockAws();
    serveScenario(aws, scenario, clock);
    const [service] = scenario.polls.at(-1)?.describeServices.services ?? [];
    const deployments = service?.deployments?.map((d) => ({ ...d, desiredCount: COUNT, runningCount: COUNT }));
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ ...service, desiredCount: COUNT, deployments }] });
    const tasks = Array.from({ length: COUNT }, (_, n) => task(n));
    const arns = tasks.map((t) => t.taskArn ?? "");
    aws.ecs.on(ListTasksCommand).callsFake((input: { desiredStatus: string; nextToken?: string }) => {
      if (input.desiredStatus === "STOPPED") return { taskArns: [] };
      return input.nextToken === "page-2"
        ? { taskArns: arns.slice(100) }
        : { taskArns: arns.slice(0, 100), nextToken: "page-2" };
    });
    aws.ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: tasks.filter((t) => input.tasks.includes(t.taskArn ?? "")),
      failures: [],
    }));
    aws.elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: tasks.map((_, n) => ({
        Target: { Id: ip(n), Port: 80 },
        TargetHealth: { State: "healthy" },
      })),
    });
    const log: string[] = [];
    const result = await watchRollout({ ...watchOptions(aws, scenario, clock, log), timeoutMs: 20_000 });
    expect(result).toMatchObject({
      outcome: "succeeded",
      message: "revision 42 is live: 150/150 running · 150/150 healthy in tg-app",
    });
    const listed = aws.ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input);
    // RUNNING and STOPPED are listed side by side: the first poll's three calls, in whatever order they went out.
    expect(listed.slice(0, 3)).toEqual(
      expect.arrayContaining([
        { cluster: "guide-test", startedBy: OURS, desiredStatus: "RUNNING", maxResults: 100 },
        { cluster: "guide-test", startedBy: OURS, desiredStatus: "RUNNING", maxResults: 100, nextToken: "page-2" },
        { cluster: "guide-test", startedBy: OURS, desiredStatus: "STOPPED", maxResults: 100 },
      ]),
    );
    expect(aws.ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toContain(50);
    expect(aws.elb.commandCalls(DescribeTargetHealthCommand)[0]?.args[0].input).toEqual({ TargetGroupArn: TG });
  });
});

describe("the verdict line", () => {
  it("is logged the moment the verdict is reached, not only returned", async () => {
    const scenario = loadScenario("healthy-rolling-alb");
    const clock = fakeClock();
    const aws = mockAws();
    serveScenario(aws, scenario, clock);
    const log: string[] = [];
    await watchRollout(watchOptions(aws, scenario, clock, log));
    expect(log.at(-1)).toBe("[0:30] succeeded: revision 42 is live: 2/2 running · 2/2 healthy in tg-app");
  });
});
