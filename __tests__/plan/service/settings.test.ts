// The service's settings: only what the config sets is sent, a table set in part is completed from the service, and
// every change has a line of its own.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { type CurrentService, serviceChanges, serviceSettings } from "../../../src/plan/service/settings.js";
import { guideToml } from "../../support/config.js";

const current: CurrentService = {
  enableExecuteCommand: false,
  healthCheckGracePeriodSeconds: 0,
  propagateTags: "NONE",
  deploymentConfiguration: {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    strategy: "ROLLING",
  },
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ["subnet-0a0a0a0a"], securityGroups: ["sg-0b0b0b0b"], assignPublicIp: "DISABLED" },
  },
};

const config = (extra: string) => parseConfig(`${guideToml}${extra}`, "a.toml");

describe("serviceSettings", () => {
  it("sends nothing for a config that sets no service key", () => {
    expect(serviceSettings(config(""), current)).toEqual({});
  });

  it("sends each top-level setting as UpdateService names it", () => {
    const settings = serviceSettings(
      config('enable_execute_command = true\nhealth_check_grace_period = 60\npropagate_tags = "SERVICE"\n'),
      current,
    );
    expect(settings).toEqual({
      enableExecuteCommand: true,
      healthCheckGracePeriodSeconds: 60,
      propagateTags: "SERVICE",
    });
  });

  it("completes [deployment] from the service, so what the file leaves out is kept", () => {
    const settings = serviceSettings(
      config('[deployment]\nminimum_healthy_percent = 50\nalarms = { names = ["web-5xx"], rollback = true }\n'),
      current,
    );
    expect(settings.deploymentConfiguration).toEqual({
      minimumHealthyPercent: 50,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      strategy: "ROLLING",
      alarms: { alarmNames: ["web-5xx"], rollback: true, enable: true },
    });
  });

  it("sends early success and the breaker's threshold as ECS names them, the breaker's other keys kept", () => {
    const settings = serviceSettings(
      config(
        '[deployment]\nearly_success = { healthy_percent = 100, cleanup = "DEFERRED" }\ncircuit_breaker = { enable = true, rollback = true, threshold = { type = "COUNT", value = 2 } }\n',
      ),
      {
        ...current,
        deploymentConfiguration: {
          ...current.deploymentConfiguration,
          deploymentCircuitBreaker: { enable: true, rollback: true, resetOnHealthyTask: false },
        },
      },
    );
    expect(settings.deploymentConfiguration).toEqual({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      strategy: "ROLLING",
      deploymentCircuitBreaker: {
        enable: true,
        rollback: true,
        resetOnHealthyTask: false,
        thresholdConfiguration: { type: "COUNT", value: 2 },
      },
      earlySuccessCriteria: { enable: true, healthyPercent: 100, sourceServiceRevisionCleanup: "DEFERRED" },
    });
    expect(serviceChanges(settings, current).map((l) => l.text)).toEqual([
      "service circuit breaker: on, with rollback → on, with rollback, trips at 2 failed tasks, no reset on a healthy task",
      "service early success: off → at 100% healthy, old tasks removed after",
    ]);
  });

  it("completes [network] from the service: subnets kept when only the public IP is set", () => {
    const settings = serviceSettings(config("[network]\nassign_public_ip = true\n"), current);
    expect(settings.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ["subnet-0a0a0a0a"], securityGroups: ["sg-0b0b0b0b"], assignPublicIp: "ENABLED" },
    });
  });
});

describe("serviceChanges", () => {
  it("says nothing when the settings equal the service's", () => {
    const settings = serviceSettings(config('propagate_tags = "NONE"\n[deployment]\nmaximum_percent = 200\n'), current);
    expect(serviceChanges(settings, current)).toEqual([]);
  });

  it("one line per change, in the config's words", () => {
    const settings = serviceSettings(
      config(
        [
          "enable_execute_command = true",
          "health_check_grace_period = 30",
          'propagate_tags = "TASK_DEFINITION"',
          "[deployment]",
          "minimum_healthy_percent = 50",
          "maximum_percent = 150",
          "circuit_breaker = { enable = true, rollback = false }",
          'alarms = { names = ["web-5xx", "web-latency"], rollback = true }',
          "[network]",
          'subnets = ["subnet-0c0c0c0c", "subnet-0d0d0d0d"]',
          "assign_public_ip = true",
          "",
        ].join("\n"),
      ),
      current,
    );
    expect(serviceChanges(settings, current).map((l) => `${l.sign} ${l.text}`)).toEqual([
      "~ service execute command: disabled → enabled",
      "~ service health check grace period: 0s → 30s",
      "~ service propagate tags: NONE → TASK_DEFINITION",
      "~ service minimum healthy percent: 100% → 50%",
      "~ service maximum percent: 200% → 150%",
      "~ service circuit breaker: on, with rollback → on, without rollback",
      "~ service alarms: none → web-5xx, web-latency, with rollback",
      "~ service subnets: subnet-0a0a0a0a → subnet-0c0c0c0c, subnet-0d0d0d0d",
      "~ service public IP: DISABLED → ENABLED",
    ]);
  });
});
