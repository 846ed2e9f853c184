// The failed container's last log lines: read in the log group's own region, and never with a secret in them.
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { fakeClock, mockAws, serveScenario, watchOptions } from "../support/aws.js";
import { loadScenario } from "../support/scenario.js";

const STREAM = "app/app/9eb3e9c57b80a770c59336b277ea917d";

function awslogs(region: string) {
  const options = { "awslogs-group": "/aws/ecs/fargate/app", "awslogs-region": region, "awslogs-stream-prefix": "app" };
  return {
    taskDefinition: {
      containerDefinitions: [{ name: "app", logConfiguration: { logDriver: "awslogs" as const, options } }],
    },
  };
}

function setup(region: string) {
  const scenario = loadScenario("crash-loop-no-breaker");
  const clock = fakeClock();
  const aws = mockAws();
  serveScenario(aws, scenario, clock);
  aws.ecs.on(DescribeTaskDefinitionCommand).resolves(awslogs(region));
  return { aws, options: watchOptions(aws, scenario, clock) };
}

const crashLines = [
  { timestamp: 1, message: "connecting to postgresql://app:Wq7pX9zK@db.internal:5432/app" },
  { timestamp: 2, message: 'sqlalchemy.exc.OperationalError: password authentication failed for user "app"\n' },
];

describe("logs of the failed container", () => {
  it("masks a password the app printed: SSM secrets are unknown to the runner, so GitHub cannot mask them", async () => {
    const { aws, options } = setup("us-east-1");
    aws.logs.on(GetLogEventsCommand).resolves({ events: crashLines });
    const result = await watchRollout(options);
    expect(result.details.slice(-2)).toEqual([
      "  connecting to postgresql://app:***@db.internal:5432/app",
      '  sqlalchemy.exc.OperationalError: password authentication failed for user "app"',
    ]);
    expect(result.details.join("\n")).not.toContain("Wq7pX9zK");
  });

  it("logs in another region are named, not looked for in the service's region", async () => {
    const { aws, options } = setup("eu-west-1");
    const result = await watchRollout(options);
    expect(aws.logs.commandCalls(GetLogEventsCommand)).toHaveLength(0);
    expect(result.details.at(-1)).toBe(`logs of app are in eu-west-1, not read: /aws/ecs/fargate/app ${STREAM}`);
  });

  it("with a client for that region, they are read there", async () => {
    const { options } = setup("eu-west-1");
    const ireland = new CloudWatchLogsClient({
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    });
    const mock = mockClient(ireland);
    mock.on(GetLogEventsCommand).resolves({ events: crashLines });
    const regions: string[] = [];
    const logsFor = (region: string) => {
      regions.push(region);
      return ireland;
    };
    const result = await watchRollout({ ...options, clients: { ...options.clients, logsFor } });
    expect(regions).toEqual(["eu-west-1"]);
    expect(mock.commandCalls(GetLogEventsCommand)[0]?.args[0].input).toMatchObject({ logStreamName: STREAM });
    expect(result.details.at(-3)).toBe(`last 2 log lines of app (/aws/ecs/fargate/app ${STREAM}):`);
  });
});
