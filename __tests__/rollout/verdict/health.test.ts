// A failing load balancer health check in one actionable line, from whichever source saw it; ECS's events read
// loosely, in every form real output has shown.
import { describe, expect, it } from "vitest";
import {
  aboutTargets,
  drainingEvent,
  targetsEvent,
  taskIds,
  unhealthyEvent,
} from "../../../src/rollout/verdict/events.js";
import { rootCause } from "../../../src/rollout/verdict/explain.js";
import { healthCheckLine, targetGroupView } from "../../../src/rollout/verdict/health.js";
import type { Snapshot, TaskView, WatchContext } from "../../../src/rollout/verdict/model.js";
import { emptyHistory } from "../../../src/rollout/verdict/model.js";

const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/a1c6e2f3b4d5c6e7";
const web = targetGroupView({
  TargetGroupArn: TG,
  TargetGroupName: "web-tg",
  HealthCheckProtocol: "HTTP",
  HealthCheckPort: "traffic-port",
  HealthCheckPath: "/health",
  HealthCheckTimeoutSeconds: 5,
  Matcher: { HttpCode: "200" },
});

describe("healthCheckLine", () => {
  it("codes: the group, the request, the port, what it answered and what counts as healthy", () => {
    const failure = {
      reason: "Target.ResponseCodeMismatch",
      description: "Health checks failed with these codes: [404]",
    };
    expect(healthCheckLine(TG, web, failure, 8080)).toBe(
      "health checks failed in web-tg: GET /health on port 8080 answered 404 (healthy is 200)",
    );
    const several = { description: "Health checks failed with these codes: [502,503]" };
    expect(healthCheckLine(TG, { ...web, matcher: "200-299" }, several, 8080)).toBe(
      "health checks failed in web-tg: GET /health on port 8080 answered 502, 503 (healthy is 200-299)",
    );
  });

  it("a timeout, a refused connection and an unknown failure each get their own words", () => {
    expect(healthCheckLine(TG, web, { reason: "Target.Timeout", description: "Request timed out" }, 8080)).toBe(
      "health checks timed out in web-tg: GET /health on port 8080 got no answer within 5s",
    );
    expect(healthCheckLine(TG, web, { description: "Request timed out" }, 8080)).toMatch(/^health checks timed out/);
    expect(
      healthCheckLine(TG, web, { reason: "Target.FailedHealthChecks", description: "Health checks failed" }, 8080),
    ).toBe(
      "health checks failed in web-tg: GET /health on port 8080 could not connect (connection refused, reset or closed)",
    );
    expect(healthCheckLine(TG, web, undefined, 8080)).toBe(
      "health checks failed in web-tg: GET /health on port 8080 did not pass (healthy is 200)",
    );
    expect(healthCheckLine(TG, web, { reason: "Elb.InternalError" }, 8080)).toBeUndefined();
  });

  it("a configured health check port, HTTPS, TCP, gRPC, and a group nothing is known of", () => {
    const failure = { description: "Health checks failed with these codes: [404]" };
    expect(healthCheckLine(TG, { ...web, healthCheckPort: "9090", healthCheckProtocol: "HTTPS" }, failure, 8080)).toBe(
      "health checks failed in web-tg: HTTPS GET /health on port 9090 answered 404 (healthy is 200)",
    );
    expect(healthCheckLine(TG, { name: "web-tg", healthCheckProtocol: "TCP" }, undefined, 8080)).toBe(
      "health checks failed in web-tg: a TCP connection on port 8080 did not pass",
    );
    const grpc = targetGroupView({
      TargetGroupName: "rpc-tg",
      HealthCheckPath: "/AWS.ALB/healthcheck",
      Matcher: { GrpcCode: "12" },
    });
    expect(healthCheckLine(TG, grpc, undefined, 50051)).toBe(
      "health checks failed in rpc-tg: GET /AWS.ALB/healthcheck on port 50051 did not pass (healthy is gRPC 12)",
    );
    expect(healthCheckLine(TG, undefined, failure, undefined)).toBe(
      "health checks failed in web-tg: the health check answered 404",
    );
  });

  it("reads the deregistration delay from the group's attributes", () => {
    const attributes = [
      { Key: "stickiness.enabled", Value: "false" },
      { Key: "deregistration_delay.timeout_seconds", Value: "300" },
    ];
    expect(targetGroupView({ TargetGroupName: "web-tg" }, attributes).deregistrationDelaySeconds).toBe(300);
    expect(targetGroupView({ TargetGroupName: "web-tg" }).deregistrationDelaySeconds).toBeUndefined();
  });
});

describe("ECS's events, read loosely", () => {
  const at = (message: string) => ({ id: "1", createdAt: new Date(0), message });

  it.each([
    [
      `(service web) (task 9d85800c30b349039d104d52b506b930) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [404]).`,
      {
        taskId: "9d85800c30b349039d104d52b506b930",
        port: 8080,
        targetGroup: TG,
        reason: "Health checks failed with these codes: [404]",
      },
    ],
    [
      `(service corp-Service-T8q) (port 5005) is unhealthy in (target-group ${TG}) due to (reason Health checks failed)`,
      { taskId: undefined, port: 5005, targetGroup: TG, reason: "Health checks failed" },
    ],
    [
      "(service web, taskSet ecs-svc/1214983551022201730) (task 3f2a) (port 80) is unhealthy in target-group web-tg due to (reason Request timed out).",
      { taskId: "3f2a", port: 80, targetGroup: "web-tg", reason: "Request timed out" },
    ],
  ])("unhealthy: %s", (message, expected) => {
    expect(unhealthyEvent(at(message))).toMatchObject(expected);
  });

  it("registered and deregistered targets, with an ARN in parentheses or a bare name; draining", () => {
    expect(targetsEvent(at(`(service web) registered 2 targets in (target-group ${TG})`))).toEqual({
      kind: "registered",
      count: 2,
      targetGroup: TG,
    });
    expect(
      targetsEvent(at("(service devops-g3-order) deregistered 1 targets in target-group devops-g3-order-tg")),
    ).toEqual({
      kind: "deregistered",
      count: 1,
      targetGroup: "devops-g3-order-tg",
    });
    const draining = at(
      "(service web, taskSet ecs-svc/1214983551022201730) has begun draining connections on 2 tasks.",
    );
    expect(drainingEvent(draining)).toBe(true);
    expect(aboutTargets(draining)).toBe(true);
    expect(aboutTargets(at("(service web) has reached a steady state."))).toBe(false);
  });

  it("the task ids an event names", () => {
    expect(taskIds(at("(service web) has started 2 tasks: (task 7453f1e1) (task 2cd7aa01)."))).toEqual([
      "7453f1e1",
      "2cd7aa01",
    ]);
  });
});

describe("a task stopped for ELB health checks between two polls", () => {
  const ctx: WatchContext = {
    deploymentId: "ecs-svc/4980306466373577095",
    taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2",
    maxFailedTasks: 3,
  };
  const id = "3f2a9c1e0b7d4e5fa1c2d3e4f5a6b7c8";
  const task: TaskView = {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`,
    startedBy: ctx.deploymentId,
    lastStatus: "STOPPED",
    desiredStatus: "STOPPED",
    stopCode: "ServiceSchedulerInitiated",
    stoppedReason: `Task failed ELB health checks in (target-group ${TG})`,
    attachments: [{ type: "ElasticNetworkInterface", details: [{ name: "privateIPv4Address", value: "10.0.1.9" }] }],
  };
  const snapshot = (events: string[], groups: Snapshot["targetGroups"] = { [TG]: web }): Snapshot => ({
    at: 70_000,
    service: {
      deployments: [{ id: ctx.deploymentId, status: "PRIMARY", createdAt: new Date(0) }],
      loadBalancers: [{ targetGroupArn: TG, containerName: "web", containerPort: 8080 }],
      events: events.map((message, i) => ({ id: `e${i}`, createdAt: new Date(60_000), message })),
    },
    tasks: [task],
    targetHealth: {},
    targetGroups: groups,
  });

  it("no poll saw its target unhealthy: ECS's event about the task carries the codes", () => {
    const event = `(service web) (task ${id}) (port 8080) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [404]).`;
    expect(rootCause(snapshot([event]), ctx, emptyHistory())).toEqual({
      text: "health checks failed in web-tg: GET /health on port 8080 answered 404 (healthy is 200)",
      healthChecks: true,
    });
  });

  it("an event in the target group's name form, about a sibling task of ours", () => {
    const event = "(service web) (port 8080) is unhealthy in target-group web-tg due to (reason Request timed out).";
    expect(rootCause(snapshot([event]), ctx, emptyHistory())?.text).toBe(
      "health checks timed out in web-tg: GET /health on port 8080 got no answer within 5s",
    );
  });

  it("nothing but the stop reason: the target group's name and what it checks, never its ARN", () => {
    expect(rootCause(snapshot([]), ctx, emptyHistory())?.text).toBe(
      "health checks failed in web-tg: GET /health on port 8080 did not pass (healthy is 200)",
    );
    expect(rootCause(snapshot([], {}), ctx, emptyHistory())?.text).toBe(
      "health checks failed in web-tg: the health check on port 8080 did not pass",
    );
  });

  it("a container health check is not ELB's: its own words", () => {
    const sick: TaskView = {
      ...task,
      stopCode: "TaskFailedToStart",
      stoppedReason: "Task failed container health checks",
      containers: [{ name: "web", healthStatus: "UNHEALTHY" }],
    };
    expect(rootCause({ ...snapshot([]), tasks: [sick] }, ctx, emptyHistory())).toEqual({
      text: "container web failed its container health check",
      healthChecks: false,
    });
    const running: TaskView = { ...sick, lastStatus: "RUNNING", desiredStatus: "RUNNING", stoppedReason: undefined };
    expect(rootCause({ ...snapshot([]), tasks: [running] }, ctx, emptyHistory())?.text).toBe(
      "container web of task 3f2a9c1e… reports UNHEALTHY: its container health check fails",
    );
  });
});
