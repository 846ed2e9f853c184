// Pure: what a rollback sends back besides the previous revision. The deploy may change the service's own settings
// (deployment configuration, network, tags propagation, grace period, load balancers, execute command) and its
// desired count; going back to the old revision alone would leave those as the failed deploy set them. So the
// settings the deploy is about to change are kept from the service as it was (before UpdateService), and the
// rollback sends exactly those back, whole, as DescribeServices showed them.
import type { DeploymentConfiguration } from "@aws-sdk/client-ecs";
import type { DiffLine } from "../task-definition/diff.js";
import { type CurrentService, type ServiceSettings, serviceChanges } from "./settings.js";

export interface Restore {
  /** what UpdateService sends back with the previous revision */
  settings: ServiceSettings;
  desiredCount?: number | undefined;
  /** in words, one per setting: `service propagate tags: SERVICE → NONE` */
  lines: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The service's value of one setting the deploy sends, as UpdateService takes it back. */
function before(key: keyof ServiceSettings, current: CurrentService): ServiceSettings[typeof key] {
  switch (key) {
    case "enableExecuteCommand":
      return current.enableExecuteCommand ?? false;
    case "healthCheckGracePeriodSeconds":
      return current.healthCheckGracePeriodSeconds ?? 0;
    case "propagateTags":
      return current.propagateTags ?? "NONE";
    case "loadBalancers":
      return current.loadBalancers ?? [];
    case "deploymentConfiguration":
      // A service that shows none runs on ECS's defaults; what the deploy added goes back off (explicitOff).
      return current.deploymentConfiguration ?? {};
    default:
      return current[key];
  }
}

/** What the service did not have is sent as "off", so that a breaker or early success the deploy added goes too. */
function explicitOff(d: DeploymentConfiguration): DeploymentConfiguration {
  return {
    ...d,
    deploymentCircuitBreaker: d.deploymentCircuitBreaker ?? { enable: false, rollback: false },
    ...(d.strategy === undefined || d.strategy === "ROLLING"
      ? { earlySuccessCriteria: d.earlySuccessCriteria ?? { enable: false } }
      : {}),
  };
}

/**
 * The settings (and count) to send back: each one the deploy sends that differs from the service as it was, and the
 * desired count when the deploy changes it. A setting the service showed none of (a network on a service without
 * awsvpc, say) cannot be sent back and is left.
 */
export function restorePlan(
  sent: ServiceSettings,
  current: CurrentService,
  count: { from: number; to?: number | undefined },
): Restore {
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(sent) as (keyof ServiceSettings)[]) {
    const was = before(key, current);
    if (was === undefined || same(was, sent[key])) continue;
    settings[key] = key === "deploymentConfiguration" ? explicitOff(was as DeploymentConfiguration) : was;
  }
  const restore = settings as ServiceSettings;
  const deployed = { ...current, ...sent } as CurrentService;
  const lines = serviceChanges(restore, deployed).map((l: DiffLine) => l.text);
  const scaled = count.to !== undefined && count.to !== count.from;
  if (scaled) lines.push(`desired count: ${count.to} → ${count.from}`);
  return { settings: restore, ...(scaled ? { desiredCount: count.from } : {}), lines };
}

/** `propagate tags, circuit breaker and desired count` for the rollback's line; empty when nothing is restored. */
export function restoredText(restore: Restore | undefined): string {
  const what = (restore?.lines ?? []).map((l) => l.replace(/^service /, "").replace(/:.*$/, ""));
  if (what.length === 0) return "";
  return what.length === 1 ? (what[0] as string) : `${what.slice(0, -1).join(", ")} and ${what.at(-1)}`;
}
