// Pure: the strategy keys of `[deployment]` and the `[load_balancer]` wiring as UpdateService takes them, completed
// from the service as it is (UpdateService replaces deploymentConfiguration and loadBalancers whole), and what they
// change, line by line for the diff and the plan.
import type {
  AdvancedConfiguration,
  DeploymentConfiguration,
  DeploymentLifecycleHook,
  LoadBalancer,
} from "@aws-sdk/client-ecs";
import type { Config } from "../../config/index.js";
import { type LifecycleHookConfig, STAGED_STRATEGIES, type Strategy } from "../../config/index.js";
import type { Problem } from "../../errors.js";
import { lastSegment, targetGroupName } from "../../text/names.js";
import type { DiffLine } from "../task-definition/diff.js";

type Deployment = NonNullable<Config["deployment"]>;

/** The strategy the service deploys with after this deploy: the config's, else the service's (ECS's default ROLLING). */
export function effectiveStrategy(config: Pick<Config, "deployment">, current: DeploymentConfiguration | undefined) {
  return (config.deployment?.strategy ?? current?.strategy ?? "ROLLING") as Strategy;
}

export function isStagedStrategy(strategy: string | undefined): boolean {
  return (STAGED_STRATEGIES as readonly string[]).includes(strategy ?? "");
}

export function lifecycleHook(hook: LifecycleHookConfig): DeploymentLifecycleHook {
  const timeout = {
    ...(hook.timeout !== undefined ? { timeoutInMinutes: hook.timeout } : {}),
    ...(hook.on_timeout ? { action: hook.on_timeout } : {}),
  };
  const pause = hook.target === "pause";
  return {
    targetType: pause ? "PAUSE" : "AWS_LAMBDA",
    ...(pause ? {} : { hookTargetArn: hook.target }),
    ...(hook.role_arn ? { roleArn: hook.role_arn } : {}),
    lifecycleStages: [...hook.stages],
    ...(Object.keys(timeout).length > 0 ? { timeoutConfiguration: timeout } : {}),
  };
}

/**
 * The strategy fields over the service's deployment configuration. Settings of another strategy than the one it
 * ends with are dropped: ECS takes linearConfiguration with LINEAR only, canaryConfiguration with CANARY only.
 */
export function withStrategy(deployment: Deployment, merged: DeploymentConfiguration): DeploymentConfiguration {
  const { strategy, bake_time: bake, linear, canary, lifecycle_hooks: hooks } = deployment;
  const next: DeploymentConfiguration = {
    ...merged,
    ...(strategy ? { strategy } : {}),
    ...(bake !== undefined ? { bakeTimeInMinutes: bake } : {}),
    ...(linear
      ? {
          linearConfiguration: {
            ...merged.linearConfiguration,
            ...(linear.step_percent !== undefined ? { stepPercent: linear.step_percent } : {}),
            ...(linear.step_bake_time !== undefined ? { stepBakeTimeInMinutes: linear.step_bake_time } : {}),
          },
        }
      : {}),
    ...(canary
      ? {
          canaryConfiguration: {
            ...merged.canaryConfiguration,
            ...(canary.percent !== undefined ? { canaryPercent: canary.percent } : {}),
            ...(canary.bake_time !== undefined ? { canaryBakeTimeInMinutes: canary.bake_time } : {}),
          },
        }
      : {}),
    ...(hooks ? { lifecycleHooks: hooks.map(lifecycleHook) } : {}),
  };
  const ends = next.strategy ?? "ROLLING";
  if (ends !== "LINEAR") delete next.linearConfiguration;
  if (ends !== "CANARY") delete next.canaryConfiguration;
  if (!isStagedStrategy(ends)) {
    delete next.bakeTimeInMinutes;
    delete next.lifecycleHooks;
  }
  return next;
}

/** What the config's `[load_balancer]` makes of the service's load balancers. */
export interface LoadBalancerPlan {
  /** The whole list UpdateService takes, when the wiring changes; undefined when it stays as it is. */
  loadBalancers?: LoadBalancer[] | undefined;
  /** The wiring of the main container's load balancer after this deploy (the config's over the service's). */
  wiring?: { targetGroupArn: string; advanced: AdvancedConfiguration } | undefined;
  problems: Problem[];
}

const REQUIRED: [keyof AdvancedConfiguration, string][] = [
  ["alternateTargetGroupArn", "alternate_target_group"],
  ["productionListenerRule", "production_listener_rule"],
  ["roleArn", "role_arn"],
];

function advancedFrom(config: NonNullable<Config["load_balancer"]>, current: AdvancedConfiguration | undefined) {
  return {
    ...current,
    ...(config.alternate_target_group ? { alternateTargetGroupArn: config.alternate_target_group } : {}),
    ...(config.production_listener_rule ? { productionListenerRule: config.production_listener_rule } : {}),
    ...(config.test_listener_rule ? { testListenerRule: config.test_listener_rule } : {}),
    ...(config.role_arn ? { roleArn: config.role_arn } : {}),
  };
}

/**
 * The pair of target groups is the same whichever of the two ECS now calls the alternate: it alternates them
 * deployment by deployment. Sending the list again on every deploy would reset that (terraform-provider-aws#45678),
 * so it is sent only when the wiring really changes.
 */
function sameWiring(a: LoadBalancer, b: LoadBalancer): boolean {
  const pair = (lb: LoadBalancer) => [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn].sort();
  const [x, y] = [a.advancedConfiguration, b.advancedConfiguration];
  return (
    JSON.stringify(pair(a)) === JSON.stringify(pair(b)) &&
    x?.productionListenerRule === y?.productionListenerRule &&
    x?.testListenerRule === y?.testListenerRule &&
    x?.roleArn === y?.roleArn
  );
}

export function planLoadBalancers(
  config: Pick<Config, "load_balancer" | "container_name">,
  current: readonly LoadBalancer[],
): LoadBalancerPlan {
  const lb = config.load_balancer;
  if (!lb || Object.keys(lb).length === 0) return { problems: [] };
  const ours = current.filter((l) => l.containerName === config.container_name && l.targetGroupArn);
  const [entry] = ours;
  if (!entry || ours.length > 1) {
    const why = entry
      ? `the service has ${ours.length} load balancers for container \`${config.container_name}\`; [load_balancer] wires one`
      : `the service has no load balancer for container \`${config.container_name}\`: [load_balancer] wires the service's own (create it with the service, in Terraform or the console)`;
    return { problems: [{ key: "load_balancer", message: why }] };
  }
  const advanced = advancedFrom(lb, entry.advancedConfiguration);
  const missing = REQUIRED.filter(([field]) => !advanced[field]).map(([, key]) => `\`load_balancer.${key}\``);
  if (missing.length > 0) {
    const message = `[load_balancer] needs ${missing.join(", ")}: the service's load balancer has none yet`;
    return { problems: [{ key: "load_balancer", message }] };
  }
  const targetGroupArn = entry.targetGroupArn ?? "";
  const wiring = { targetGroupArn, advanced };
  const next = { ...entry, advancedConfiguration: advanced };
  if (sameWiring(entry, next) || sameWiring(entry, swapped(next))) return { wiring, problems: [] };
  return { wiring, loadBalancers: current.map((l) => (l === entry ? next : l)), problems: [] };
}

/** The same wiring with the two target groups' roles exchanged (as ECS leaves them after a deployment). */
function swapped(lb: LoadBalancer): LoadBalancer {
  const alternate = lb.advancedConfiguration?.alternateTargetGroupArn;
  return {
    ...lb,
    targetGroupArn: alternate,
    advancedConfiguration: { ...lb.advancedConfiguration, alternateTargetGroupArn: lb.targetGroupArn },
  };
}

/** Lines for the diff and the plan: the strategy settings that change, in the words of the config. */
export function strategyChanges(next: DeploymentConfiguration, was: DeploymentConfiguration | undefined): DiffLine[] {
  const lines: DiffLine[] = [];
  const change = (label: string, before: string, after: string) => {
    if (before !== after) lines.push({ sign: "~", text: `service ${label}: ${before} → ${after}` });
  };
  change("deployment strategy", was?.strategy ?? "ROLLING", next.strategy ?? "ROLLING");
  change("bake time", minutes(was?.bakeTimeInMinutes), minutes(next.bakeTimeInMinutes));
  change("linear steps", linearText(was?.linearConfiguration), linearText(next.linearConfiguration));
  change("canary", canaryText(was?.canaryConfiguration), canaryText(next.canaryConfiguration));
  change("lifecycle hooks", hooksText(was?.lifecycleHooks), hooksText(next.lifecycleHooks));
  return lines;
}

export function loadBalancerChanges(next: LoadBalancer[] | undefined, was: readonly LoadBalancer[]): DiffLine[] {
  if (!next) return [];
  return next.flatMap((lb, i) => {
    const [a, b] = [was[i]?.advancedConfiguration, lb.advancedConfiguration];
    const before = wiringText(a);
    const after = wiringText(b);
    const where = `${lb.containerName}:${lb.containerPort} (${targetGroupName(lb.targetGroupArn ?? "")})`;
    return before === after
      ? []
      : [{ sign: "~" as const, text: `service blue/green wiring of ${where}: ${before} → ${after}` }];
  });
}

function minutes(value: number | undefined): string {
  return value === undefined ? "none" : `${value} min`;
}

function linearText(c: DeploymentConfiguration["linearConfiguration"]): string {
  if (!c) return "none";
  return `${c.stepPercent ?? "10 (default)"}% a step, ${minutes(c.stepBakeTimeInMinutes ?? 6)} between steps`;
}

function canaryText(c: DeploymentConfiguration["canaryConfiguration"]): string {
  if (!c) return "none";
  return `${c.canaryPercent ?? "5 (default)"}% first, for ${minutes(c.canaryBakeTimeInMinutes ?? 10)}`;
}

function hooksText(hooks: DeploymentLifecycleHook[] | undefined): string {
  if (!hooks || hooks.length === 0) return "none";
  return hooks
    .map((h) => {
      const what = h.targetType === "PAUSE" ? "pause" : lastSegment(h.hookTargetArn?.replace(/:function:/, "/"));
      const timeout = h.timeoutConfiguration;
      const after = timeout ? ` (${timeout.timeoutInMinutes ?? 1440} min, then ${timeout.action ?? "ROLLBACK"})` : "";
      return `${what} at ${(h.lifecycleStages ?? []).join("+")}${after}`;
    })
    .join(", ");
}

function wiringText(a: AdvancedConfiguration | undefined): string {
  if (!a?.alternateTargetGroupArn) return "none";
  const rule = (arn: string | undefined) => (arn ? lastSegment(arn) : "none");
  return `alternate ${targetGroupName(a.alternateTargetGroupArn)}, production rule ${rule(a.productionListenerRule)}, test rule ${rule(a.testListenerRule)}, role ${lastSegment(a.roleArn)}`;
}
