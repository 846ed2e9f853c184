// Root causes as AWS writes them, for the stop reasons and target states the scenarios do not cover.
import { describe, expect, it } from "vitest";
import { failedContainer, rootCause } from "../../../src/rollout/verdict/explain.js";
import type { Snapshot, TaskView, WatchContext } from "../../../src/rollout/verdict/model.js";
import { emptyHistory } from "../../../src/rollout/verdict/model.js";
import { failedTasks } from "../../../src/rollout/verdict/names.js";

const ctx: WatchContext = {
  deploymentId: "ecs-svc/4980306466373577095",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:879613780019:task-definition/app:42",
  maxFailedTasks: 3,
};
const TG = "arn:aws:elasticloadbalancing:us-east-1:879613780019:targetgroup/tg-app/6d0ecf831eec9f09";

function stopped(task: Partial<TaskView>, n = 1): TaskView {
  return {
    taskArn: `arn:aws:ecs:us-east-1:879613780019:task/guide-test/${n}f2a9c1e0b7d4e5fa1c2d3e4f5a6b7c8`,
    startedBy: ctx.deploymentId,
    lastStatus: "STOPPED",
    desiredStatus: "STOPPED",
    stoppedAt: new Date(Date.UTC(2026, 10, 20, 10, 0, n)),
    attachments: [{ type: "ElasticNetworkInterface", details: [{ name: "privateIPv4Address", value: `10.0.1.${n}` }] }],
    ...task,
  };
}

function snapshot(part: Partial<Snapshot>): Snapshot {
  const service = { deployments: [{ id: ctx.deploymentId, status: "PRIMARY", createdAt: new Date(0) }] };
  return { at: 0, service, tasks: [], targetHealth: {}, targetGroups: {}, ...part };
}

const cause = (part: Partial<Snapshot>) => rootCause(snapshot(part), ctx, emptyHistory())?.text;

describe("rootCause", () => {
  it("quotes ResourceInitializationError as AWS writes it", () => {
    const reason =
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
      "unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: " +
      "User: arn:aws:sts::879613780019:assumed-role/app-task-execution-role/1a2b3c is not authorized to perform: " +
      "secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:879613780019:secret:app/db-AbCdEf";
    expect(cause({ tasks: [stopped({ stopCode: "TaskFailedToStart", stoppedReason: reason })] })).toBe(reason);
  });

  it("takes the container's CannotPullContainerError when the task's reason is generic", () => {
    const pull =
      "CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: 403 Forbidden";
    const task = stopped({
      stopCode: "TaskFailedToStart",
      stoppedReason: "Task failed to start",
      containers: [{ name: "app", lastStatus: "STOPPED", reason: pull }],
    });
    expect(cause({ tasks: [task] })).toBe(pull);
  });

  it("names the container, its exit code and the OOM reason; sidecars stopped by ECS are not the cause", () => {
    const task = stopped({
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
      containers: [
        { name: "envoy", exitCode: 137 },
        { name: "app", exitCode: 137, reason: "OutOfMemoryError: Container killed due to memory usage" },
      ],
    });
    expect(cause({ tasks: [task] })).toBe(
      "container app exited with code 137: OutOfMemoryError: Container killed due to memory usage",
    );
    const onlyApp = {
      ...task,
      containers: [
        { name: "envoy", exitCode: 143 },
        { name: "app", exitCode: 1 },
      ],
    };
    expect(cause({ tasks: [onlyApp] })).toBe("container app exited with code 1");
  });

  it("says which container failed its container health check", () => {
    const task = stopped({
      stopCode: "TaskFailedToStart",
      stoppedReason: "Task failed container health checks",
      containers: [{ name: "app", healthStatus: "UNHEALTHY", lastStatus: "STOPPED" }],
    });
    expect(cause({ tasks: [task] })).toBe("container app failed its container health check");
  });

  it("a task stopped for ELB health checks that no poll and no event explains: the group ECS names, by name", () => {
    const reason = `Task failed ELB health checks in (target-group ${TG})`;
    expect(cause({ tasks: [stopped({ stopCode: "ServiceSchedulerInitiated", stoppedReason: reason })] })).toBe(
      "health checks failed in tg-app: the health check did not pass",
    );
  });

  it("reads timeouts and other target states while tasks still run", () => {
    const running: TaskView = { ...stopped({}), lastStatus: "RUNNING", desiredStatus: "RUNNING" };
    const health = (Reason: string, Description: string) => ({
      [TG]: [{ Target: { Id: "10.0.1.1", Port: 80 }, TargetHealth: { State: "unhealthy", Reason, Description } }],
    });
    const service = {
      deployments: [{ id: ctx.deploymentId, status: "PRIMARY", runningCount: 1 }],
      loadBalancers: [{ targetGroupArn: TG, containerName: "app", containerPort: 80 }],
    };
    const groups = { [TG]: { name: "tg-app", healthCheckPath: "/healthz" } };
    const base = { tasks: [running], service, targetGroups: groups };
    expect(cause({ ...base, targetHealth: health("Target.Timeout", "Request timed out") })).toBe(
      "health checks timed out in tg-app: GET /healthz on port 80 got no answer in time",
    );
    expect(cause({ ...base, targetHealth: health("Target.FailedHealthChecks", "Health checks failed") })).toBe(
      "health checks failed in tg-app: GET /healthz on port 80 could not connect (connection refused, reset or closed)",
    );
    expect(
      cause({ ...base, targetHealth: health("Elb.InternalError", "Health checks failed due to an internal error") }),
    ).toBe(
      "target 10.0.1.1:80 in tg-app is unhealthy: Elb.InternalError: Health checks failed due to an internal error",
    );
  });

  it("a target state without ELB's description prints no 'undefined'", () => {
    const running: TaskView = { ...stopped({}), lastStatus: "RUNNING", desiredStatus: "RUNNING" };
    const service = {
      deployments: [{ id: ctx.deploymentId, status: "PRIMARY", runningCount: 1 }],
      loadBalancers: [{ targetGroupArn: TG, containerName: "app", containerPort: 80 }],
    };
    const targetHealth = {
      [TG]: [
        { Target: { Id: "10.0.1.1", Port: 80 }, TargetHealth: { State: "unhealthy", Reason: "Elb.InternalError" } },
      ],
    };
    expect(cause({ tasks: [running], service, targetHealth })).toBe(
      "target 10.0.1.1:80 in tg-app is unhealthy: Elb.InternalError",
    );
  });

  it("a task stopped for ELB health checks whose own target no poll saw: another task of ours in that group", () => {
    const reason = `Task failed ELB health checks in (target-group ${TG})`;
    const task = stopped({ stopCode: "ServiceSchedulerInitiated", stoppedReason: reason }, 1);
    const other = (targetGroupArn: string) => ({
      targetGroupArn,
      target: {
        Target: { Id: "10.0.1.7", Port: 80 },
        TargetHealth: {
          State: "unhealthy",
          Reason: "Target.ResponseCodeMismatch",
          Description: "Health checks failed with these codes: [404]",
        },
      },
    });
    const sameGroup = { ...emptyHistory(), unhealthyTargets: [other(TG)] };
    expect(rootCause(snapshot({ tasks: [task] }), ctx, sameGroup)?.text).toBe(
      "health checks failed in tg-app: the health check on port 80 answered 404",
    );
    // A target in another group says nothing about the group ECS named: only that group's name is sure.
    const otherGroup = { ...emptyHistory(), unhealthyTargets: [other(`${TG.replace("tg-app", "tg-admin")}`)] };
    expect(rootCause(snapshot({ tasks: [task] }), ctx, otherGroup)?.text).toBe(
      "health checks failed in tg-app: the health check did not pass",
    );
  });

  it("uses the newest troubled service event when no task stopped, but not ECS's own verdict events", () => {
    const events = [
      { id: "3", createdAt: new Date(3000), message: "(service app) rolling back to deployment ecs-svc/1." },
      {
        id: "2",
        createdAt: new Date(2000),
        message:
          "(service app) failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::879613780019:role/app-task-execution-role').",
      },
      { id: "1", createdAt: new Date(1000), message: "(service app) has started 1 tasks: (task 1)." },
    ];
    const service = { deployments: [{ id: ctx.deploymentId, status: "PRIMARY", createdAt: new Date(0) }], events };
    expect(cause({ service })).toBe(events[1]?.message);
  });

  it("has no cause when nothing went wrong", () => {
    expect(cause({})).toBeUndefined();
  });
});

describe("failed tasks", () => {
  it("ordinary scale-in, Spot interruptions and running tasks are not failures", () => {
    const tasks = [
      stopped(
        {
          stopCode: "ServiceSchedulerInitiated",
          stoppedReason: `Scaling activity initiated by (deployment ${ctx.deploymentId})`,
        },
        1,
      ),
      stopped({ stopCode: "SpotInterruption", stoppedReason: "Your Spot Task was interrupted." }, 2),
      { ...stopped({}, 3), lastStatus: "RUNNING", desiredStatus: "RUNNING" },
      stopped({ stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" }, 4),
    ];
    expect(failedTasks(tasks, []).map((t) => t.taskArn?.slice(-32, -31))).toEqual(["4"]);
  });

  it("picks the newest stopped task whose container ran, for its logs", () => {
    const pull = stopped({ stopCode: "TaskFailedToStart", stoppedReason: "CannotPullContainerError: not found" }, 5);
    const crash = stopped(
      { stoppedReason: "Essential container in task exited", containers: [{ name: "app", exitCode: 2 }] },
      3,
    );
    expect(failedContainer(snapshot({ tasks: [pull, crash] }), emptyHistory())).toEqual({
      task: crash,
      containerName: "app",
    });
    expect(failedContainer(snapshot({ tasks: [pull] }), emptyHistory())).toBeUndefined();
  });
});
