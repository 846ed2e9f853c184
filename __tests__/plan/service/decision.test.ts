import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import {
  type DecisionOptions,
  decideChanges,
  describeDecision,
  scaleOnly,
} from "../../../src/plan/service/decision.js";
import type { Deployable } from "../../../src/steps/preflight.js";

const ARN = "arn:aws:ecs:us-east-1:879613780019:task-definition/app:41";
const PINNED = "879613780019.dkr.ecr.us-east-1.amazonaws.com/app@sha256:".padEnd(120, "a");
const rendered: RegisterTaskDefinitionCommandInput = {
  family: "app",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "512",
  containerDefinitions: [{ name: "app", image: PINNED, essential: true, portMappings: [{ containerPort: 80 }] }],
};

/** A pre-flight that found the service settled on revision 41, which equals what we render. */
function deployable(edit: Partial<Deployable> = {}): Deployable {
  return {
    target: {
      serviceArn: "arn:aws:ecs:us-east-1:879613780019:service/c/app",
      clusterArn: "arn:aws:ecs:us-east-1:879613780019:cluster/c",
      taskDefinition: ARN,
      desiredCount: 2,
      loadBalancers: [],
      unsettledBecause: undefined,
      deployedAt: new Date("2026-11-20T10:00:00Z"),
      settings: {},
    },
    secrets: [],
    images: { resolved: [{ container: "app", uri: "app:r254", pinned: PINNED }], problems: [], warnings: [] },
    current: { ...rendered, taskDefinitionArn: ARN, revision: 41, status: "ACTIVE" },
    taskDefinition: rendered,
    ...edit,
  };
}

const plain: DecisionOptions = { forceNewDeployment: false };

describe("decideChanges", () => {
  it("changes nothing when the service is settled on an equal revision", () => {
    const decision = decideChanges(deployable(), plain);
    expect(decision).toEqual({ reuse: { arn: ARN, revision: 41 } });
    expect(describeDecision(decision)).toMatch(/^nothing to deploy/);
  });

  it("registers and deploys a changed task definition", () => {
    const changed = { ...rendered, cpu: "512", memory: "1024" };
    expect(decideChanges(deployable({ taskDefinition: changed }), plain)).toEqual({
      deployBecause: "the task definition changed",
    });
  });

  it.each(["INACTIVE", "DELETE_IN_PROGRESS"] as const)("registers an equal revision again over a %s one", (status) => {
    const current = { ...rendered, taskDefinitionArn: ARN, revision: 41, status };
    const decision = decideChanges(deployable({ current }), plain);
    expect(decision).toEqual({ deployBecause: `app:41 is ${status}: an equal revision is registered` });
    expect(describeDecision(decision)).toBe(`register a new revision and deploy it: ${decision.deployBecause}`);
  });

  it("only scales when the revision is equal but desired_count is not", () => {
    const decision = decideChanges(deployable(), { ...plain, desiredCount: 4 });
    expect(decision).toEqual({ reuse: { arn: ARN, revision: 41 }, count: { from: 2, to: 4 } });
    expect(scaleOnly(decision)).toBe(4);
    expect(describeDecision(decision)).toBe(
      "the service runs revision 41 already: set its desired count 2 → 4, no new deployment",
    );
  });

  it("sets the desired count along with a deployment, not instead of it", () => {
    const decision = decideChanges(deployable(), { forceNewDeployment: true, desiredCount: 4 });
    expect(decision.count).toEqual({ from: 2, to: 4 });
    expect(scaleOnly(decision)).toBeUndefined();
  });

  it.each([
    ["force-new-deployment", deployable(), { forceNewDeployment: true }, "force-new-deployment is set"],
    [
      "a rollout of the revision still going on",
      deployable({ target: { ...deployable().target, unsettledBecause: "its deployment ecs-svc/9 is IN_PROGRESS" } }),
      plain,
      "the service is not settled on app:41: its deployment ecs-svc/9 is IN_PROGRESS",
    ],
    [
      "a secret rotated after the running deployment started",
      deployable({ newestSecret: { name: "DB_PASSWORD", modifiedAt: new Date("2026-11-24T08:00:00Z") } }),
      plain,
      "secret DB_PASSWORD changed after the running deployment started: its tasks may hold the old value",
    ],
    [
      "an image named by a tag, which may have moved",
      deployable({
        images: {
          resolved: [{ container: "app", uri: "nginx:stable", pinned: "nginx:stable" }],
          problems: [],
          warnings: [],
        },
      }),
      plain,
      "image nginx:stable is named by tag, not digest: the tag may point at a new image",
    ],
  ])("deploys an equal revision again on %s", (_why, preflight, options, because) => {
    const decision = decideChanges(preflight, options);
    expect(decision).toEqual({ reuse: { arn: ARN, revision: 41 }, deployBecause: because });
    expect(describeDecision(decision)).toBe(`deploy revision 41 again: ${because}`);
  });

  it("a secret changed before the running deployment started needs no new tasks", () => {
    const older = deployable({ newestSecret: { name: "DB_PASSWORD", modifiedAt: new Date("2026-11-19T08:00:00Z") } });
    expect(decideChanges(older, plain)).toEqual({ reuse: { arn: ARN, revision: 41 } });
  });

  it("a change of service settings alone deploys the equal revision again, with the settings", () => {
    const service = {
      settings: { healthCheckGracePeriodSeconds: 30 },
      changes: [{ sign: "~" as const, text: "service health check grace period: none → 30s" }],
    };
    const decision = decideChanges(deployable({ service }), plain);
    expect(decision).toEqual({
      reuse: { arn: ARN, revision: 41 },
      deployBecause: "the service's settings change (health check grace period: none → 30s)",
      service,
    });
  });

  it("settings the service already has change nothing, and are still carried for UpdateService", () => {
    const service = { settings: { propagateTags: "SERVICE" as const }, changes: [] };
    expect(decideChanges(deployable({ service }), plain)).toEqual({ reuse: { arn: ARN, revision: 41 }, service });
  });
});
