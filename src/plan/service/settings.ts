// Pure: the service settings this deploy sends in UpdateService, and what they change. Only what the config sets is
// sent; a table the config sets in part ([deployment], [network]) is sent whole, the rest taken from the service as
// it is, because UpdateService replaces these objects whole and would otherwise reset what the file leaves out. The
// strategy keys and the blue/green wiring are strategy.ts's.
import type {
  DeploymentConfiguration,
  NetworkConfiguration,
  Service,
  UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import type { Config } from "../../config/index.js";
import type { DiffLine } from "../task-definition/diff.js";
import { loadBalancerChanges, planLoadBalancers, strategyChanges, withStrategy } from "./strategy.js";

export type ServiceSettings = Pick<
  UpdateServiceCommandInput,
  | "enableExecuteCommand"
  | "healthCheckGracePeriodSeconds"
  | "propagateTags"
  | "deploymentConfiguration"
  | "networkConfiguration"
  | "loadBalancers"
>;

/** The service as DescribeServices shows it: the settings a deploy may change. */
export type CurrentService = Pick<Service, keyof ServiceSettings>;

type SettingsConfig = Pick<
  Config,
  | "enable_execute_command"
  | "health_check_grace_period"
  | "propagate_tags"
  | "deployment"
  | "network"
  | "load_balancer"
  | "container_name"
>;

export function serviceSettings(config: SettingsConfig, current: CurrentService): ServiceSettings {
  const deployment = deploymentConfiguration(config.deployment, current.deploymentConfiguration);
  const network = networkConfiguration(config.network, current.networkConfiguration);
  const { loadBalancers } = planLoadBalancers(config, current.loadBalancers ?? []);
  return {
    ...(config.enable_execute_command !== undefined ? { enableExecuteCommand: config.enable_execute_command } : {}),
    ...(config.health_check_grace_period !== undefined
      ? { healthCheckGracePeriodSeconds: config.health_check_grace_period }
      : {}),
    ...(config.propagate_tags !== undefined ? { propagateTags: config.propagate_tags } : {}),
    ...(deployment ? { deploymentConfiguration: deployment } : {}),
    ...(network ? { networkConfiguration: network } : {}),
    ...(loadBalancers ? { loadBalancers } : {}),
  };
}

function deploymentConfiguration(
  deployment: Config["deployment"],
  current: DeploymentConfiguration | undefined,
): DeploymentConfiguration | undefined {
  if (!deployment || Object.keys(deployment).length === 0) return undefined;
  const { minimum_healthy_percent: min, maximum_percent: max, circuit_breaker: breaker, alarms } = deployment;
  const early = deployment.early_success;
  return withStrategy(deployment, {
    ...current,
    ...(min !== undefined ? { minimumHealthyPercent: min } : {}),
    ...(max !== undefined ? { maximumPercent: max } : {}),
    ...(breaker ? { deploymentCircuitBreaker: circuitBreaker(breaker, current?.deploymentCircuitBreaker) } : {}),
    ...(alarms ? { alarms: { alarmNames: alarms.names, rollback: alarms.rollback, enable: alarms.enable } } : {}),
    ...(early
      ? {
          earlySuccessCriteria: {
            enable: true,
            healthyPercent: early.healthy_percent,
            sourceServiceRevisionCleanup: early.cleanup,
          },
        }
      : {}),
  });
}

/** The breaker as the config sets it; its threshold and reset, when the config leaves them out, as they are. */
function circuitBreaker(
  breaker: NonNullable<NonNullable<Config["deployment"]>["circuit_breaker"]>,
  current: DeploymentConfiguration["deploymentCircuitBreaker"],
): NonNullable<DeploymentConfiguration["deploymentCircuitBreaker"]> {
  const { threshold, reset_on_healthy_task: reset } = breaker;
  return {
    ...current,
    enable: breaker.enable,
    rollback: breaker.rollback,
    ...(threshold ? { thresholdConfiguration: { type: threshold.type, value: threshold.value } } : {}),
    ...(reset !== undefined ? { resetOnHealthyTask: reset } : {}),
  };
}

function networkConfiguration(
  network: Config["network"],
  current: NetworkConfiguration | undefined,
): NetworkConfiguration | undefined {
  if (!network || Object.keys(network).length === 0) return undefined;
  const now = current?.awsvpcConfiguration;
  const assign = network.assign_public_ip;
  return {
    awsvpcConfiguration: {
      ...now,
      subnets: network.subnets ?? now?.subnets ?? [],
      ...(network.security_groups ? { securityGroups: network.security_groups } : {}),
      ...(assign !== undefined ? { assignPublicIp: assign ? "ENABLED" : "DISABLED" } : {}),
    },
  };
}

/** One line per setting that changes, in the words of the config. */
export function serviceChanges(settings: ServiceSettings, current: CurrentService): DiffLine[] {
  const lines: DiffLine[] = [];
  const change = (label: string, before: string, after: string) => {
    if (before !== after) lines.push({ sign: "~", text: `service ${label}: ${before} → ${after}` });
  };
  if (settings.enableExecuteCommand !== undefined) {
    change("execute command", onOff(current.enableExecuteCommand), onOff(settings.enableExecuteCommand));
  }
  if (settings.healthCheckGracePeriodSeconds !== undefined) {
    const was = current.healthCheckGracePeriodSeconds;
    change(
      "health check grace period",
      was === undefined ? "none" : `${was}s`,
      `${settings.healthCheckGracePeriodSeconds}s`,
    );
  }
  if (settings.propagateTags !== undefined)
    change("propagate tags", current.propagateTags ?? "NONE", settings.propagateTags);
  const [d, was] = [settings.deploymentConfiguration, current.deploymentConfiguration];
  if (d) {
    change("minimum healthy percent", percent(was?.minimumHealthyPercent), percent(d.minimumHealthyPercent));
    change("maximum percent", percent(was?.maximumPercent), percent(d.maximumPercent));
    change("circuit breaker", breakerText(was?.deploymentCircuitBreaker), breakerText(d.deploymentCircuitBreaker));
    change("alarms", alarmsText(was?.alarms), alarmsText(d.alarms));
    change("early success", earlyText(was?.earlySuccessCriteria), earlyText(d.earlySuccessCriteria));
    lines.push(...strategyChanges(d, was));
  }
  lines.push(...loadBalancerChanges(settings.loadBalancers, current.loadBalancers ?? []));
  const [n, before] = [
    settings.networkConfiguration?.awsvpcConfiguration,
    current.networkConfiguration?.awsvpcConfiguration,
  ];
  if (n) {
    change("subnets", listText(before?.subnets), listText(n.subnets));
    change("security groups", listText(before?.securityGroups), listText(n.securityGroups));
    change("public IP", before?.assignPublicIp ?? "DISABLED", n.assignPublicIp ?? "DISABLED");
  }
  return lines;
}

function onOff(value: boolean | undefined): string {
  return value ? "enabled" : "disabled";
}

function percent(value: number | undefined): string {
  return value === undefined ? "default" : `${value}%`;
}

function breakerText(b: DeploymentConfiguration["deploymentCircuitBreaker"]): string {
  if (!b?.enable) return "off";
  const t = b.thresholdConfiguration;
  const at = t ? `, trips at ${t.type === "COUNT" ? `${t.value} failed tasks` : `${t.value}% (${t.type})`}` : "";
  const reset = b.resetOnHealthyTask === false ? ", no reset on a healthy task" : "";
  return `${b.rollback ? "on, with rollback" : "on, without rollback"}${at}${reset}`;
}

function earlyText(e: DeploymentConfiguration["earlySuccessCriteria"]): string {
  if (!e?.enable) return "off";
  return `at ${e.healthyPercent}% healthy, old tasks removed ${e.sourceServiceRevisionCleanup === "DEFERRED" ? "after" : "before"}`;
}

function alarmsText(a: DeploymentConfiguration["alarms"]): string {
  if (!a?.enable || (a.alarmNames ?? []).length === 0) return "none";
  return `${listText(a.alarmNames)}${a.rollback ? ", with rollback" : ", without rollback"}`;
}

function listText(list: readonly string[] | undefined): string {
  return list && list.length > 0 ? [...list].sort().join(", ") : "none";
}
