// The verdict's edges a reviewer found: a success ECS's word alone would grant, rollbacks ECS is doing or failed
// at, a stale first answer, desired count 0, a re-deploy of our own revision. Each case starts from a real-shaped
// fixture and changes only what the case is about.
import { describe, expect, it } from "vitest";
import type { DeploymentView, ServiceDeploymentView, Snapshot } from "../../../src/rollout/verdict/model.js";
import { emptyHistory } from "../../../src/rollout/verdict/model.js";
import { decide } from "../../../src/rollout/verdict/verdict.js";
import { loadScenario, replay, snapshotsOf } from "../../support/scenario.js";

const TD = (revision: number) => `arn:aws:ecs:us-east-1:879613780019:task-definition/app:${revision}`;
const OURS = "ecs-svc/4980306466373577095";
const SD_ARN = (id: string) => `arn:aws:ecs:us-east-1:879613780019:service-deployment/guide-test/app/${id}`;
const REVISION = (n: string) => `arn:aws:ecs:us-east-1:879613780019:service-revision/guide-test/app/${n}`;

function at(name: string, index: number): { snapshot: Snapshot; scenario: ReturnType<typeof loadScenario> } {
  const scenario = loadScenario(name);
  return { snapshot: snapshotsOf(scenario)[index] as Snapshot, scenario };
}

function withOurs(snapshot: Snapshot, change: Partial<DeploymentView>, others = true): Snapshot {
  const deployments = (snapshot.service?.deployments ?? [])
    .filter((d) => others || d.id === OURS)
    .map((d) => (d.id === OURS ? { ...d, ...change } : d));
  return { ...snapshot, service: { ...snapshot.service, deployments } };
}

/** The previous deployment's service deployment: what currentServiceDeployment can name right after UpdateService. */
const previousServiceDeployment: ServiceDeploymentView = {
  serviceDeploymentArn: SD_ARN("r9Ej6DbsYwXU-JFqpkbbS"),
  createdAt: new Date("2026-11-19T10:00:00.000Z"),
  targetServiceRevision: { arn: REVISION("1485800978477494678") },
  status: "SUCCESSFUL",
  lifecycleStage: "CLEAN_UP",
};

describe("P1: success needs ECS's word, our full count and our healthy targets, never one of them alone", () => {
  it("a SUCCESSFUL service deployment with none of our tasks running is pending, not a success", () => {
    const { snapshot, scenario } = at("blue-green-success", 0);
    const verdict = decide({ ...snapshot, serviceDeployment: previousServiceDeployment }, scenario.context);
    expect(verdict).toMatchObject({ kind: "pending", progress: expect.stringMatching(/^0\/2 running/) });
  });

  it("SUCCESSFUL while our rolloutState is still IN_PROGRESS is pending", () => {
    const { snapshot, scenario } = at("blue-green-success", 10);
    const inProgress = withOurs(snapshot, { rolloutState: "IN_PROGRESS" });
    expect(decide(inProgress, scenario.context).kind).toBe("pending");
    expect(decide(snapshot, scenario.context).kind).toBe("succeeded");
  });

  it("COMPLETED and SUCCESSFUL, but 1 of 2 running: pending", () => {
    const { snapshot, scenario } = at("blue-green-success", 10);
    expect(decide(withOurs(snapshot, { runningCount: 1 }), scenario.context).kind).toBe("pending");
  });

  it("COMPLETED with both tasks running but only one of them registered healthy: pending", () => {
    const { snapshot, scenario } = at("healthy-rolling-alb", 6);
    const [tg, targets] = Object.entries(snapshot.targetHealth)[0] as [
      string,
      NonNullable<Snapshot["targetHealth"][string]>,
    ];
    const oneGone = { ...snapshot, targetHealth: { [tg]: targets.slice(0, 1) } };
    const ran = { ...oneGone, tasks: oneGone.tasks.slice(0, 1) };
    expect(decide(ran, scenario.context).kind).toBe("pending");
  });
});

describe("P2: blue/green without service deployment data", () => {
  it("COMPLETED during the bake time, old deployment still there: pending; ours alone: success", () => {
    const scenario = loadScenario("blue-green-success");
    const blind = snapshotsOf(scenario).map((s) => ({ ...s, serviceDeployment: undefined }));
    const kinds = blind.map((s) => decide(s, scenario.context).kind);
    expect(kinds.slice(0, 9).every((k) => k === "pending")).toBe(true);
    expect(kinds[9]).toBe("succeeded");
  });
});

describe("P4: what ECS does about a failed deployment", () => {
  it("breaker tripped, ours still PRIMARY, rollback on: ECS is rolling back, and says to which revision", () => {
    const { snapshot, scenario } = at("bad-image-breaker-rollback", 7);
    const justTripped = withOurs(snapshot, { status: "PRIMARY" }, false);
    const verdict = decide(justTripped, scenario.context);
    expect(verdict).toMatchObject({
      kind: "failed",
      cause: "circuit-breaker",
      message: expect.stringMatching(
        /^CannotPullContainerError: .* — deployment circuit breaker is rolling back to revision 41$/,
      ),
      rolledBackTo: TD(41),
    });
  });

  it("service deployment ROLLBACK_FAILED: ECS's rollback failed, nothing was rolled back", () => {
    const { snapshot, scenario } = at("blue-green-hook-rollback", 6);
    const failed = { ...snapshot, serviceDeployment: { ...snapshot.serviceDeployment, status: "ROLLBACK_FAILED" } };
    const verdict = decide(failed, scenario.context);
    expect(verdict).toMatchObject({
      kind: "failed",
      cause: "rollback-failed",
      message:
        "the service deployment failed at POST_TEST_TRAFFIC_SHIFT with production 0% · test 100% on revision 42: " +
        "Service deployment rolled back because the lifecycle hook app-smoke-test returned FAILED; " +
        "ECS's rollback to revision 41 failed",
    });
    expect(verdict).not.toHaveProperty("rolledBackTo");
  });
});

describe("P6: a stale first DescribeServices is no rollback", () => {
  it("ours absent and the old deployment PRIMARY on the first poll: pending; then success as usual", () => {
    const r = replay(loadScenario("stale-first-describe"));
    expect(r.verdicts[0]).toEqual({ kind: "pending", progress: "deployment not in the service yet" });
    expect(r.index).toBe(6);
    expect(r.verdict.kind).toBe("succeeded");
  });

  it("absent after having been seen: a verdict at once", () => {
    const [snapshot] = snapshotsOf(loadScenario("steady-on-another-revision")) as [Snapshot];
    const ctx = loadScenario("steady-on-another-revision").context;
    expect(decide(snapshot, ctx, { ...emptyHistory(), oursSeen: true })).toMatchObject({ cause: "circuit-breaker" });
    expect(decide(snapshot, ctx, emptyHistory()).kind).toBe("pending");
  });
});

describe("P7: desired count 0", () => {
  it("succeeds, but says no task ran: never 'live'", () => {
    const { snapshot, scenario } = at("healthy-rolling-alb", 6);
    const parked = withOurs({ ...snapshot, tasks: [], targetHealth: {} }, { desiredCount: 0, runningCount: 0 });
    const verdict = decide(parked, scenario.context);
    expect(verdict).toMatchObject({
      kind: "succeeded",
      message: "revision 42: no task was started (desired count 0): the revision is registered but unproven",
    });
    expect(verdict.kind === "succeeded" && verdict.message).not.toMatch(/live/);
  });
});

describe("P9: a new deployment of our own revision", () => {
  it("is a replacement, not a rollback, even when 'previous' is our revision (force-new-deployment)", () => {
    const { snapshot, scenario } = at("replaced-by-concurrent-deploy", 2);
    const sameRevision: Snapshot = {
      ...snapshot,
      service: {
        ...snapshot.service,
        deployments: snapshot.service?.deployments?.map((d) =>
          d.status === "PRIMARY" ? { ...d, taskDefinition: TD(42) } : d,
        ),
      },
    };
    const ctx = { ...scenario.context, previousTaskDefinitionArn: TD(42) };
    expect(decide(sameRevision, ctx)).toMatchObject({
      cause: "replaced",
      message:
        "replaced by deployment ecs-svc/5551337420196871034 (revision 42, the same revision) before this deployment finished",
    });
    expect(decide(sameRevision, ctx)).not.toHaveProperty("rolledBackTo");
  });
});

describe("P10: no 'undefined' in a first line", () => {
  it("breaker tripped without a rolloutStateReason", () => {
    const { snapshot, scenario } = at("bad-image-breaker-rollback", 7);
    const bare: Snapshot = {
      ...withOurs(snapshot, { status: "PRIMARY", rolloutStateReason: undefined }, false),
      tasks: [],
    };
    const noRollback = {
      ...bare,
      service: {
        ...bare.service,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
      },
    };
    expect(decide(noRollback, scenario.context)).toMatchObject({
      message: "deployment circuit breaker stopped the deployment",
    });
  });
});

describe("max-failed-tasks and ECS's circuit breaker", () => {
  const { snapshot, scenario } = at("elb-unhealthy-between-polls", 9);
  const breaker = (config: object) => ({
    ...snapshot,
    service: { ...snapshot.service, deploymentConfiguration: { deploymentCircuitBreaker: config } },
  });
  const history = { ...emptyHistory(), desiredSeen: 2 };

  it("the failures reach the breaker's threshold and it rolls back: ours to report, not ours to roll back", () => {
    const verdict = decide(breaker({ enable: true, rollback: true }), scenario.context, history);
    expect(verdict).toMatchObject({ cause: "circuit-breaker", rolledBackTo: TD(41).replace("app:41", "web:1") });
  });

  it("a breaker without rollback, or one whose threshold is not reached yet, leaves the rollback to us", () => {
    for (const config of [
      { enable: true, rollback: false },
      { enable: false, rollback: true },
      { enable: true, rollback: true, thresholdConfiguration: { type: "COUNT", value: 10 } },
    ]) {
      const verdict = decide(breaker(config), scenario.context, history);
      expect(verdict).toMatchObject({ kind: "failed", cause: "unhealthy-targets" });
      expect(verdict).not.toHaveProperty("rolledBackTo");
    }
  });
});
