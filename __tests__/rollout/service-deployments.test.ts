// Following our service deployment (blue/green) over mocked SDK clients and a fake clock: which one is ours, and
// what a server error, a throttle or a missing API does to the wait. None of them may turn into a false success.
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSServiceException,
  ListServiceDeploymentsCommand,
} from "@aws-sdk/client-ecs";
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
