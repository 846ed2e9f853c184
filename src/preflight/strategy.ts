// Pure: the pre-flight's checks of a blue/green, linear or canary deploy. From the config and the service alone:
// keys of another strategy, a blue/green deploy without its bake time, a load balancer without its wiring. From
// Elastic Load Balancing's answers: the second target group exists, matches the first and serves no one else, and
// the listener rules are ones ECS takes (wiring-rules.ts). Each problem names the key to fix; all are reported together.
import type { TargetGroup, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Config } from "../config/index.js";
import { earlySuccessIssues, strategyIssues } from "../config/index.js";
import type { Problem } from "../errors.js";
import { effectiveStrategy, isStagedStrategy, planLoadBalancers } from "../plan/service/strategy.js";
import { targetGroupName } from "../text/names.js";
import type { ServiceState } from "./target.js";
import { type NamedRule, type RuleAnswers, ruleArnProblems, ruleProblems, rulesToRead } from "./wiring-rules.js";

type StrategyConfig = Pick<Config, "deployment" | "load_balancer" | "container_name">;

/** What to ask Elastic Load Balancing about the wiring this deploy relies on. */
export interface WiringLookups {
  production: string;
  alternate: string;
  /** listener rule ARNs (ALB), or listener ARNs (NLB), by the key that names them: the ones worth reading */
  rules: NamedRule[];
  /** what ECS would refuse in the rules' ARNs alone, found without a call */
  refused: Problem[];
  /** a test listener rule is set (without one, ECS wants more of the production rule) */
  testRule: boolean;
}

export interface WiringAnswers {
  /** by ARN; undefined: no such target group */
  targetGroups: Map<string, TargetGroup | undefined>;
  /** the actions of each rule (or listener), by ARN; undefined: no such rule */
  rules: RuleAnswers;
  /** the alternate target group's registered targets */
  alternateTargets: TargetHealthDescription[];
  /** the private IPs of the service's running tasks; undefined when they could not all be listed */
  ourIps: Set<string> | undefined;
}

/** The config asks for the staged strategies' wiring: a staged strategy, or `[load_balancer]`. */
function wantsWiring(config: StrategyConfig): boolean {
  return isStagedStrategy(config.deployment?.strategy) || Object.keys(config.load_balancer ?? {}).length > 0;
}

/** Problems the config and the service show without another call. */
export function strategyProblems(config: StrategyConfig, state: ServiceState): Problem[] {
  const current = state.settings.deploymentConfiguration;
  const strategy = effectiveStrategy(config, current);
  const deployment = config.deployment ?? {};
  const problems: Problem[] = [];
  // With `strategy` in the file the config's own check ran already; without it, AWS's strategy decides.
  if (!deployment.strategy) {
    for (const issue of strategyIssues(deployment, strategy)) {
      problems.push({ key: issue.path.join("."), message: `${issue.message} (the service's, as AWS has it)` });
    }
  }
  // With the minimum in the file the config's own check ran already; without it, the service's decides.
  if (deployment.minimum_healthy_percent === undefined) {
    // A service that shows none has ECS's default, 100.
    for (const issue of earlySuccessIssues(deployment, current?.minimumHealthyPercent ?? 100)) {
      problems.push({ key: issue.path.join("."), message: `${issue.message} (the service's, as AWS has it)` });
    }
  }
  const bake = deployment.bake_time ?? current?.bakeTimeInMinutes;
  if (strategy === "BLUE_GREEN" && bake === undefined) {
    const message =
      "`deployment.strategy` is BLUE_GREEN, which needs `deployment.bake_time`: the minutes both revisions run after production traffic moved (0 is allowed)";
    problems.push({ key: "deployment.strategy", message });
  }
  if (Object.keys(config.load_balancer ?? {}).length > 0 && !isStagedStrategy(strategy)) {
    const message = `[load_balancer] wires BLUE_GREEN, LINEAR and CANARY deployments, but the service's strategy is ${strategy}: set \`deployment.strategy\``;
    problems.push({ key: "load_balancer", message });
  }
  const plan = planLoadBalancers(config, state.loadBalancers);
  problems.push(...plan.problems);
  const balanced = state.loadBalancers.some((lb) => lb.containerName === config.container_name && lb.targetGroupArn);
  if (isStagedStrategy(strategy) && wantsWiring(config) && balanced && !plan.wiring) {
    const unwired = state.loadBalancers.some((lb) => !lb.advancedConfiguration?.alternateTargetGroupArn);
    if (unwired && plan.problems.length === 0) {
      const message = `a ${strategy} deployment moves traffic between two target groups, and the service's load balancer has only one: set [load_balancer] alternate_target_group, production_listener_rule and role_arn`;
      problems.push({ key: "load_balancer", message });
    }
  }
  return problems;
}

/** What the pre-flight looks up, when the config sets the wiring or a staged strategy and the wiring is complete. */
export function wiringLookups(config: StrategyConfig, state: ServiceState): WiringLookups | undefined {
  if (!wantsWiring(config)) return undefined;
  const plan = planLoadBalancers(config, state.loadBalancers);
  const configured = state.loadBalancers.find((lb) => lb.advancedConfiguration?.alternateTargetGroupArn);
  const wiring =
    plan.wiring ??
    (configured && {
      targetGroupArn: configured.targetGroupArn ?? "",
      advanced: configured.advancedConfiguration ?? {},
    });
  const alternate = wiring?.advanced.alternateTargetGroupArn;
  if (!wiring || !alternate || !wiring.targetGroupArn) return undefined;
  const { productionListenerRule: production, testListenerRule: test } = wiring.advanced;
  const named: NamedRule[] = [];
  if (production) named.push({ key: "production_listener_rule", arn: production });
  if (test) named.push({ key: "test_listener_rule", arn: test });
  return {
    production: wiring.targetGroupArn,
    alternate,
    rules: rulesToRead(named),
    refused: ruleArnProblems(named),
    testRule: Boolean(test),
  };
}

function groupProblems(lookups: WiringLookups, answers: WiringAnswers): Problem[] {
  const key = "load_balancer.alternate_target_group";
  const { production, alternate } = lookups;
  const name = targetGroupName(alternate);
  if (production === alternate) {
    return [{ key, message: `\`${key}\` is ${name}, the service's production target group: name a second one` }];
  }
  const alt = answers.targetGroups.get(alternate);
  if (!alt) return [{ key, message: `target group ${name} (\`${key}\`) does not exist in this account and region` }];
  // Fargate tasks (awsvpc) register by IP: ECS refuses a target group of instances.
  if (alt.TargetType && alt.TargetType !== "ip") {
    const message = `target group ${name} (\`${key}\`) has target type ${alt.TargetType}: Fargate tasks register by IP address, and ECS refuses another type. Create it with target type ip`;
    return [{ key, message }];
  }
  const prod = answers.targetGroups.get(production);
  if (!prod) return [];
  const differences = (
    [
      ["VPC", "VpcId"],
      ["protocol", "Protocol"],
      ["target type", "TargetType"],
    ] as const
  )
    .filter(([, field]) => alt[field] !== prod[field])
    .map(
      ([what, field]) => `${what} ${alt[field] ?? "none"} (${targetGroupName(production)}: ${prod[field] ?? "none"})`,
    );
  if (differences.length === 0) return [];
  const message = `target group ${name} (\`${key}\`) must match the production one, ${targetGroupName(production)}, to take its traffic; it differs in ${differences.join(", ")}`;
  return [{ key, message }];
}

/** Targets in the alternate group that are none of the service's tasks: another service (or anything else) uses it. */
function inUseProblems(lookups: WiringLookups, answers: WiringAnswers): Problem[] {
  if (!answers.ourIps) return [];
  const ips = answers.ourIps;
  // Draining and unused targets are on their way out; the rest receive (or are about to receive) its traffic.
  const active = answers.alternateTargets.filter(
    (t) => !["draining", "unused"].includes(t.TargetHealth?.State ?? "") && !ips.has(t.Target?.Id ?? ""),
  );
  if (active.length === 0) return [];
  const shown = active.slice(0, 3).map((t) => `${t.Target?.Id}:${t.Target?.Port} (${t.TargetHealth?.State})`);
  const more = active.length > 3 ? ` and ${active.length - 3} more` : "";
  const key = "load_balancer.alternate_target_group";
  const message = `target group ${targetGroupName(lookups.alternate)} (\`${key}\`) is in use: it holds targets that are no task of this service, ${shown.join(", ")}${more}; a blue/green deploy would send them this service's traffic. Use a target group of this service's own`;
  return [{ key, message }];
}

/** Every problem the load balancer's answers show, together. */
export function checkWiring(lookups: WiringLookups, answers: WiringAnswers): Problem[] {
  return [
    ...groupProblems(lookups, answers),
    ...inUseProblems(lookups, answers),
    ...lookups.refused,
    ...ruleProblems(lookups, lookups.rules, lookups.testRule, answers.rules),
  ];
}
