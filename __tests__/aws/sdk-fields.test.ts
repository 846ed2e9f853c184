// The pre-flight's check that the bundled SDK knows every field the action sends: its serializer drops an unknown
// member without a word, so a strategy newer than the SDK would never reach ECS.
import { describe, expect, it } from "vitest";
import { unknownUpdateServiceFields } from "../../src/aws/sdk-fields.js";

describe("unknownUpdateServiceFields", () => {
  it("knows the strategy fields, the lifecycle hooks and the blue/green wiring (SDK 3.1164.0)", () => {
    const input = {
      cluster: "apps",
      service: "web",
      deploymentConfiguration: {
        strategy: "CANARY" as const,
        bakeTimeInMinutes: 15,
        canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 },
        linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 5 },
        lifecycleHooks: [
          {
            targetType: "PAUSE" as const,
            lifecycleStages: ["PRE_PRODUCTION_TRAFFIC_SHIFT" as const],
            timeoutConfiguration: { timeoutInMinutes: 120, action: "ROLLBACK" as const },
          },
        ],
      },
      loadBalancers: [
        {
          targetGroupArn: "arn:tg",
          containerName: "web",
          containerPort: 80,
          advancedConfiguration: {
            alternateTargetGroupArn: "arn:tg2",
            productionListenerRule: "arn:rule",
            testListenerRule: "arn:rule2",
            roleArn: "arn:role",
          },
        },
      ],
    };
    expect(unknownUpdateServiceFields(input)).toEqual([]);
  });

  it("knows early success, the breaker's threshold and reset, and the Express Mode marker (SDK 3.1178.0)", () => {
    const input = {
      cluster: "apps",
      service: "web",
      deploymentConfiguration: {
        strategy: "ROLLING" as const,
        minimumHealthyPercent: 50,
        earlySuccessCriteria: { enable: true, healthyPercent: 60, sourceServiceRevisionCleanup: "DEFERRED" as const },
        deploymentCircuitBreaker: {
          enable: true,
          rollback: true,
          resetOnHealthyTask: false,
          thresholdConfiguration: { type: "COUNT" as const, value: 2 },
        },
      },
    };
    expect(unknownUpdateServiceFields(input)).toEqual([]);
  });

  it("names each field the SDK would drop, where it is", () => {
    const input = {
      cluster: "apps",
      deploymentConfiguration: { strategy: "CANARY", warpSpeed: 9 },
      loadBalancers: [{ targetGroupArn: "arn:tg", advancedConfiguration: { roleArn: "arn:role", magic: 1 } }],
      notAField: true,
    } as never;
    expect(unknownUpdateServiceFields(input)).toEqual([
      "deploymentConfiguration.warpSpeed",
      "loadBalancers[0].advancedConfiguration.magic",
      "notAField",
    ]);
  });
});
