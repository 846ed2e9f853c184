// Following our service deployment (blue/green) over mocked SDK clients and a fake clock: which one is ours, and
// what a server error, a throttle or a missing API does to the wait. None of them may turn into a false success.
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSServiceException,
  ListServiceDeploymentsCommand,
} from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { watchRollout } from "../../src/rollout/index.js";
import { scenarioWatch } from "../support/aws.js";

const PREVIOUS_SD = "arn:aws:ecs:us-east-1:879613780019:service-deployment/guide-test/app/r9Ej6DbsYwXU-JFqpkbbS";
const OUR_SD = "arn:aws:ecs:us-east-1:879613780019:service-deployment/guide-test/app/NCWGC2ZR-taawPAYrIaU5";

const setup = () => scenarioWatch("blue-green-success");

function serverError(name: string, message: string, status: number) {
  return new ECSServiceException({ name, message, $fault: "server", $metadata: { httpStatusCode: status } });
}

describe("which service deployment is ours", () => {
  it("not listed yet, the service's current one still the previous SUCCESSFUL one: never taken for ours", async () => {
    const { aws, clock, options, state } = setup();
    // Right after UpdateService: ListServiceDeployments does not list ours yet, and currentServiceDeployment still
    // names the previous deployment's, which is SUCCESSFUL.
    aws.ecs.on(ListServiceDeploymentsCommand).callsFake(() => ({ serviceDeployments: [] }));
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      const out = state().describeServices;
      const [service] = out.services ?? [];
      const current = clock.now() < 10_000 ? PREVIOUS_SD : OUR_SD;
      return { ...out, services: [{ ...service, currentServiceDeployment: current }] };
    });
    aws.ecs.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => {
      if (input.serviceDeploymentArns[0] === OUR_SD) return state().describeServiceDeployments;
      const previous = {
        serviceDeploymentArn: PREVIOUS_SD,
        createdAt: new Date("2026-11-19T10:00:00.000Z"),
        targetServiceRevision: {
          arn: "arn:aws:ecs:us-east-1:879613780019:service-revision/guide-test/app/1485800978477494678",
        },
        status: "SUCCESSFUL",
        lifecycleStage: "CLEAN_UP",
      };
      return { serviceDeployments: [previous], failures: [] };
    });
    const result = await watchRollout(options);
    expect(result).toMatchObject({ outcome: "succeeded", lifecycleStage: "CLEAN_UP" });
    expect(result.timeline.at(-1)?.at).toBe(100_000);
    // Proven ours once (at 10 s), then only ours is described.
    const described = aws.ecs.commandCalls(DescribeServiceDeploymentsCommand).map((c) => c.args[0].input);
    expect(described.slice(0, 2).map((i) => i.serviceDeploymentArns?.[0])).toEqual([PREVIOUS_SD, PREVIOUS_SD]);
    expect(described.slice(2).every((i) => i.serviceDeploymentArns?.[0] === OUR_SD)).toBe(true);
  });
});

describe("the service's currentServiceDeployment", () => {
  it("once another than before UpdateService, and proven ours, it is taken without a ListServiceDeployments call", async () => {
    const { aws, options, state } = setup();
    aws.ecs.on(ListServiceDeploymentsCommand).callsFake(() => ({ serviceDeployments: [] }));
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      const out = state().describeServices;
      const [service] = out.services ?? [];
      return { ...out, services: [{ ...service, currentServiceDeployment: OUR_SD }] };
    });
    const result = await watchRollout({ ...options, priorServiceDeployment: PREVIOUS_SD });
    expect(result).toMatchObject({ outcome: "succeeded", lifecycleStage: "CLEAN_UP" });
    expect(aws.ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
    const described = aws.ecs.commandCalls(DescribeServiceDeploymentsCommand).map((c) => c.args[0].input);
    expect(described.every((i) => i.serviceDeploymentArns?.[0] === OUR_SD)).toBe(true);
  });

  it("still the one from before UpdateService: not described, the list decides", async () => {
    const { aws, options, state } = setup();
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      const out = state().describeServices;
      const [service] = out.services ?? [];
      return { ...out, services: [{ ...service, currentServiceDeployment: PREVIOUS_SD }] };
    });
    const result = await watchRollout({ ...options, priorServiceDeployment: PREVIOUS_SD });
    expect(result).toMatchObject({ outcome: "succeeded", lifecycleStage: "CLEAN_UP" });
    expect(aws.ecs.commandCalls(ListServiceDeploymentsCommand).length).toBeGreaterThan(0);
    const described = aws.ecs.commandCalls(DescribeServiceDeploymentsCommand).map((c) => c.args[0].input);
    expect(described.some((i) => i.serviceDeploymentArns?.[0] === PREVIOUS_SD)).toBe(false);
  });
});

describe("server errors on the service deployment calls", () => {
  it("one 503 during the bake time is no 'unsupported': asked again next poll, success only when SUCCESSFUL", async () => {
    const { aws, clock, options, log, state } = setup();
    aws.ecs
      .on(DescribeServiceDeploymentsCommand)
      .callsFake(() =>
        clock.now() === 35_000
          ? Promise.reject(serverError("ServiceUnavailableException", "Service Unavailable", 503))
          : state().describeServiceDeployments,
      );
    const result = await watchRollout(options);
    expect(result).toMatchObject({ outcome: "succeeded", lifecycleStage: "CLEAN_UP" });
    expect(result.timeline.at(-1)?.at).toBe(100_000);
    const times = aws.ecs.commandCalls(DescribeServiceDeploymentsCommand).length;
    expect(times).toBe(21);
    expect(log.some((l) => l.includes("following our deployment's rolloutState"))).toBe(false);
  });

  it("three in a row: given up on, said so, and success then needs ours to be the only deployment", async () => {
    const { aws, clock, options, log, state } = setup();
    aws.ecs
      .on(DescribeServiceDeploymentsCommand)
      .callsFake(() =>
        clock.now() >= 35_000
          ? Promise.reject(serverError("ServerException", "Service encountered an unexpected problem.", 500))
          : state().describeServiceDeployments,
      );
    const result = await watchRollout(options);
    expect(result.outcome).toBe("succeeded");
    expect(result.timeline.at(-1)?.at).toBe(95_000);
    expect(aws.ecs.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(7 + 3);
    expect(log).toContain(
      "[0:45] DescribeServiceDeployments failed: ServerException: Service encountered an unexpected problem. " +
        "(3 times in a row): following our deployment's rolloutState and the service's deployments instead",
    );
  });

  it("a throttled DescribeServiceDeployments keeps the poll's other answers and backs off", async () => {
    const { aws, clock, options, log, state } = setup();
    const throttle = new ECSServiceException({
      name: "ThrottlingException",
      message: "Rate exceeded",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
    });
    aws.ecs
      .on(DescribeServiceDeploymentsCommand)
      .callsFake(() => (clock.now() === 10_000 ? Promise.reject(throttle) : state().describeServiceDeployments));
    const result = await watchRollout(options);
    expect(result.timeline.at(-1)?.at).toBeGreaterThanOrEqual(100_000);
    // At 10 s our tasks came up: DescribeServices said so, and that answer is not thrown away.
    expect(log.some((l) => l.startsWith("[0:10]") && l.includes("2/2 running"))).toBe(true);
    expect(log).toContain("[0:10] ECS is throttling DescribeServiceDeployments (Rate exceeded): retrying");
    expect(clock.sleeps.slice(0, 3)).toEqual([5000, 5000, 6000]);
  });
});

describe("target health beside the traffic (issue 21.1)", () => {
  it("the green group's health is read in the look that sees the production weight move", async () => {
    const { aws, clock, options, state } = setup();
    const weights: [number, number | undefined][] = [];
    const healthReadAt = new Set<number>();
    aws.ecs.on(DescribeServiceDeploymentsCommand).callsFake(() => {
      const out = state().describeServiceDeployments;
      const weight = out.serviceDeployments?.[0]?.targetServiceRevision?.requestedProductionTrafficWeight;
      weights.push([clock.now(), weight]);
      return out;
    });
    aws.elb.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn: string }) => {
      healthReadAt.add(clock.now());
      return {
        TargetHealthDescriptions: state().describeTargetHealth[input.TargetGroupArn]?.TargetHealthDescriptions ?? [],
      };
    });
    const result = await watchRollout(options);
    expect(result.outcome).toBe("succeeded");
    // ECS shifts production traffic only to healthy targets: each look that sees the weight move reads health too.
    const moved = weights.filter(([, w], i) => i > 0 && w !== weights[i - 1]?.[1]).map(([at]) => at);
    expect(moved.length).toBeGreaterThan(0);
    for (const at of moved) expect(healthReadAt, `weight moved at ${at} ms`).toContain(at);
  });
});

describe("a frugal bake time (issue 21.2)", () => {
  it("one DescribeServiceDeployments a look, the service on a slower clock; the verdict still on ECS's poll", async () => {
    const { aws, clock, options, state } = setup();
    const calls: [number, string][] = [];
    const seen = (name: string) => calls.push([clock.now(), name]);
    aws.ecs.on(DescribeServicesCommand).callsFake(() => {
      seen("DescribeServices");
      return state().describeServices;
    });
    aws.ecs.on(DescribeServiceDeploymentsCommand).callsFake(() => {
      seen("DescribeServiceDeployments");
      return state().describeServiceDeployments;
    });
    aws.elb.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn: string }) => {
      seen("DescribeTargetHealth");
      return {
        TargetHealthDescriptions: state().describeTargetHealth[input.TargetGroupArn]?.TargetHealthDescriptions ?? [],
      };
    });
    const result = await watchRollout(options);
    expect(result.outcome).toBe("succeeded");
    // ECS says SUCCESSFUL at 100 s: the verdict comes on that look.
    expect(result.timeline.at(-1)?.at).toBe(100_000);
    // BAKE_TIME from 35 s to 95 s, first seen at 35 s: after that look, every look is the service deployment alone
    // but for one read of the service (and its target groups) every 90 s.
    const bake = calls.filter(([at]) => at > 35_000 && at < 95_000);
    // A look every 5 s on the grid (11), and the quick looks around the bake time's foreseen end.
    const looks = bake.filter(([, name]) => name === "DescribeServiceDeployments").map(([at]) => at);
    for (let at = 40_000; at < 95_000; at += 5000) expect(looks).toContain(at);
    expect(bake.filter(([, name]) => name === "DescribeServices").length).toBeLessThanOrEqual(1);
    expect(bake.length).toBeLessThanOrEqual(15);
  });
});
