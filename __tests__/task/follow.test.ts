// Following one pre-deploy task on an injected clock: a look every poll interval from RunTask, the log lines as they
// arrive (from the forward token, redacted), StopTask at the timeout, and what RunTask's own errors become.
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type Task } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { type FollowOptions, followPreDeployTask } from "../../src/task/follow.js";
import { fakeClock, mockAws } from "../support/aws.js";

const taskArn = "arn:aws:ecs:us-east-1:123456789012:task/c/3f2a9c1e5b7d4f60a1b2c3d4e5f60718";
const at = (status: string, fields: Partial<Task> = {}): { tasks: Task[] } => ({
  tasks: [{ taskArn, lastStatus: status, ...fields }],
});

function follow(aws: ReturnType<typeof mockAws>, overrides: Partial<FollowOptions> = {}) {
  const clock = fakeClock();
  const printed: string[] = [];
  const notes: string[] = [];
  const options: FollowOptions = {
    clients: aws.clients,
    request: { cluster: "c", taskDefinition: "arn:td:2" },
    judge: { target: "app", essential: new Set(["app"]) },
    logStream: () => ({ group: "/aws/ecs/fargate/app", stream: "app/app/3f2a", region: undefined }),
    timeoutMs: 60_000,
    pollMs: 1000,
    lines: (lines) => printed.push(...lines),
    note: (line) => notes.push(line),
    now: clock.now,
    sleep: clock.sleep,
    ...overrides,
  };
  return { clock, printed, notes, result: followPreDeployTask(options) };
}

describe("followPreDeployTask", () => {
  it("looks every poll interval, prints the lines once each, redacted, and succeeds on exit code 0", async () => {
    const aws = mockAws();
    aws.ecs.on(RunTaskCommand).resolves(at("PROVISIONING"));
    aws.ecs
      .on(DescribeTasksCommand)
      .resolvesOnce(at("PENDING"))
      .resolvesOnce(at("RUNNING", { startedAt: new Date(2000) }))
      .resolves(at("STOPPING", { containers: [{ name: "app", lastStatus: "STOPPED", exitCode: 0 }] }));
    // The stream as CloudWatch Logs answers it: what follows a token, and the same token again once nothing new.
    const stream = { "": ["migrating password=hunter2"], "f/1": ["done"], "f/2": [] } as Record<string, string[]>;
    aws.logs.on(GetLogEventsCommand).callsFake(({ nextToken = "" }) => {
      const events = (stream[nextToken] ?? []).map((message) => ({ message }));
      return { events, nextForwardToken: events.length > 0 ? `f/${Number(nextToken.slice(2) || 0) + 1}` : nextToken };
    });
    const { clock, printed, result } = follow(aws);
    const out = await result;

    expect(out).toMatchObject({ outcome: "succeeded", exitCode: 0, reason: "exited with code 0" });
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
    expect(printed[0]).toMatch(/^migrating password=\S*\*\*\*/);
    expect(printed.join("\n")).not.toContain("hunter2");
    expect(printed.filter((l) => l === "done")).toHaveLength(1);
    // The second read asks from the token the first one returned.
    expect(aws.logs.commandCalls(GetLogEventsCommand)[1]?.args[0].input).toMatchObject({
      nextToken: "f/1",
      startFromHead: true,
    });
    expect(aws.ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  it("stops a task that runs past its timeout, and says so", async () => {
    const aws = mockAws();
    aws.ecs.on(RunTaskCommand).resolves(at("PROVISIONING"));
    aws.ecs.on(DescribeTasksCommand).resolves(at("RUNNING", { startedAt: new Date(1) }));
    aws.ecs.on(StopTaskCommand).resolves({ task: { taskArn, lastStatus: "RUNNING", desiredStatus: "STOPPED" } });
    aws.logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: "f/0" });
    const { clock, result } = follow(aws, { timeoutMs: 3000 });
    const out = await result;

    expect(out).toMatchObject({
      outcome: "failed",
      cause: "timeout",
      reason: "ran past its timeout of 3s: stopped it (StopTask)",
    });
    // The last look falls on the deadline.
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
    expect(aws.ecs.commandCalls(StopTaskCommand)[0]?.args[0].input).toEqual({
      cluster: "c",
      task: taskArn,
      reason: "the pre-deploy task ran past its timeout of 3s",
    });
  });

  it("says RunTask's error as the reason, and looks at nothing", async () => {
    const aws = mockAws();
    const denied = Object.assign(new Error("User is not authorized to perform: ecs:RunTask"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    aws.ecs.on(RunTaskCommand).rejects(denied);
    const out = await follow(aws).result;

    expect(out.outcome).toBe("failed");
    expect(out.cause).toBe("error");
    expect(out.reason).toMatch(/^could not be started: .*ecs:RunTask/);
    expect(aws.ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });
});
