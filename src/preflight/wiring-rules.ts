// Pure: the listener rules of a blue/green, linear or canary deploy against what ECS refuses at once, as its
// troubleshooting guide for blue/green deployments lists (UpdateService answers these with an error after our
// revision was registered): a listener's ARN where an Application Load Balancer needs a rule's, one rule for both
// production and test, a production rule that forwards to one target group with no test rule beside it; and, from
// its page on ALB resources, a rule that does more than forward. Each problem names the key and says the fix;
// strategy.ts gathers them.
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Problem } from "../errors.js";
import { lastSegment, targetGroupName } from "../text/names.js";

export type RuleKey = "production_listener_rule" | "test_listener_rule";

export interface NamedRule {
  key: RuleKey;
  arn: string;
}

/** A rule's actions, or a listener's default actions and its protocol (HTTP and HTTPS: an ALB's; TCP, TLS, UDP: an NLB's). */
export interface RuleFound {
  actions: Action[];
  protocol?: string | undefined;
}

/** What the rules' answers say, by ARN; undefined: no such rule or listener. */
export type RuleAnswers = Map<string, RuleFound | undefined>;

const RULE_OR_LISTENER = /:elasticloadbalancing:[^:]*:\d*:(listener-rule|listener)\/[a-z]+\/([^/]+)\//;

/** The rules ECS would refuse by their ARNs alone, found without a call. */
export function ruleArnProblems(rules: readonly NamedRule[]): Problem[] {
  const problems: Problem[] = rules
    .filter(({ arn }) => !RULE_OR_LISTENER.test(arn))
    .map(({ key, arn }) => ({
      key: `load_balancer.${key}`,
      message: `\`load_balancer.${key}\` is ${arn}, neither a listener rule nor a listener: name the listener rule (Application Load Balancer) or the listener (Network Load Balancer) that forwards the traffic`,
    }));
  const [production, test] = [
    rules.find((r) => r.key === "production_listener_rule"),
    rules.find((r) => r.key === "test_listener_rule"),
  ];
  if (production && test && production.arn === test.arn) {
    const message = `\`load_balancer.production_listener_rule\` and \`load_balancer.test_listener_rule\` are the same, ${lastSegment(test.arn)}: ECS refuses one rule for both. Give test traffic a rule of its own (on a second listener, or with a header condition), or leave \`test_listener_rule\` out`;
    problems.push({ key: "load_balancer.test_listener_rule", message });
  }
  return problems;
}

/** The rules worth reading: none refused by its ARN, each once. */
export function rulesToRead(rules: readonly NamedRule[]): NamedRule[] {
  const refused = new Set(ruleArnProblems(rules).map((p) => p.key));
  return rules.filter(
    (r, i) => !refused.has(`load_balancer.${r.key}`) && rules.findIndex((o) => o.arn === r.arn) === i,
  );
}

/**
 * A listener where ECS needs a rule, or a load balancer ECS cannot shift traffic on. The listener's protocol says
 * its load balancer's type (the ARN's `app`/`net` says it too, on AWS; moto writes `app` for both).
 */
function listenerProblem({ key, arn }: NamedRule, found: RuleFound): string | undefined {
  const at = `\`load_balancer.${key}\``;
  const name = RULE_OR_LISTENER.exec(arn)?.[2] ?? "";
  const protocol = found.protocol ?? "";
  if (arn.includes(":listener-rule/") || !protocol) return undefined;
  if (["HTTP", "HTTPS"].includes(protocol)) {
    return `${at} is a listener (${protocol}) of Application Load Balancer ${name}, not a listener rule: ECS refuses it ("invalid ARN format. Must be RuleArn for ALB"). Name the rule that forwards the traffic (\`aws elbv2 describe-rules --listener-arn ${arn}\` lists them)`;
  }
  if (protocol === "GENEVE") {
    return `${at} is a listener of Gateway Load Balancer ${name}: ECS moves blue/green traffic through an Application or a Network Load Balancer only`;
  }
  return undefined;
}

/** The target groups a forward action sends to: one TargetGroupArn, or a weighted ForwardConfig. */
export function forwardedGroups(actions: readonly Action[]): string[] {
  return actions
    .filter((a) => a.Type === "forward")
    .flatMap((a) => [a.TargetGroupArn, ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn)])
    .filter((arn): arn is string => Boolean(arn));
}

interface Pair {
  production: string;
  alternate: string;
}

function ruleProblem(pair: Pair, rule: NamedRule, found: RuleFound | undefined): string | undefined {
  const { key, arn } = rule;
  const at = `load_balancer.${key}`;
  const what = arn.includes(":listener-rule/") ? "listener rule" : "listener";
  const named = `${what} ${lastSegment(arn)} (\`${at}\`)`;
  if (!found) return `${named} does not exist`;
  const listener = listenerProblem(rule, found);
  if (listener) return listener;
  const { actions } = found;
  const others = [...new Set(actions.map((a) => a.Type ?? "unknown").filter((t) => t !== "forward"))];
  if (others.length > 0) {
    const [them, has] =
      others.length > 1
        ? ["them", `${others.join(", ")} actions`]
        : ["it", `${/^[aeiou]/.test(others[0] ?? "") ? "an" : "a"} ${others[0]} action`];
    return `${named} has ${has} beside its forward: ECS's blue/green deployments take rules that only forward. Move ${them} to a rule of its own, or forward from a rule without ${them}`;
  }
  const groups = [pair.production, pair.alternate];
  const forwarded = forwardedGroups(actions);
  if (forwarded.some((g) => groups.includes(g))) return undefined;
  const to = forwarded.length > 0 ? `forwards to ${forwarded.map(targetGroupName).join(", ")}` : "forwards nowhere";
  return `${named} ${to}, not to ${groups.map(targetGroupName).join(" or ")}: ECS moves traffic only through a rule that forwards to the pair`;
}

/**
 * Without a test rule, ECS moves an Application Load Balancer's traffic by the production rule's weights alone, and
 * refuses ("testListenerRule is required when productionListenerRule is not associated with both targetGroup and
 * alternateTargetGroup") a production rule that forwards to one group only.
 */
function pairProblem(pair: Pair, production: NamedRule, actions: Action[]): Problem | undefined {
  const forwarded = new Set(forwardedGroups(actions));
  const missing = [pair.production, pair.alternate].filter((g) => !forwarded.has(g));
  if (missing.length !== 1) return undefined;
  const both = `${targetGroupName(pair.production)} and ${targetGroupName(pair.alternate)}`;
  const message = `listener rule ${lastSegment(production.arn)} (\`load_balancer.production_listener_rule\`) forwards to ${targetGroupName(pair.production === missing[0] ? pair.alternate : pair.production)} only, and there is no \`load_balancer.test_listener_rule\`: ECS refuses that. Make the rule forward to both ${both} (weights 100 and 0), or add a test listener rule`;
  return { key: "load_balancer.production_listener_rule", message };
}

/** Every problem the rules' answers show, together. */
export function ruleProblems(
  pair: Pair,
  rules: readonly NamedRule[],
  testRule: boolean,
  answers: RuleAnswers,
): Problem[] {
  const problems: Problem[] = [];
  for (const rule of rules) {
    const message = ruleProblem(pair, rule, answers.get(rule.arn));
    if (message) problems.push({ key: `load_balancer.${rule.key}`, message });
  }
  // Only an ALB has listener rules; a Network Load Balancer's listener may forward to one group.
  const production = rules.find((r) => r.key === "production_listener_rule" && r.arn.includes(":listener-rule/"));
  const actions = production && answers.get(production.arn)?.actions;
  const refused = problems.some((p) => p.key === "load_balancer.production_listener_rule");
  if (production && actions && !testRule && !refused) {
    const problem = pairProblem(pair, production, actions);
    if (problem) problems.push(problem);
  }
  return problems;
}
