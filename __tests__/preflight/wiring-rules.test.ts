// ECS's synchronous refusals of a blue/green wiring's listener rules (its troubleshooting guide for blue/green
// deployments), found from the ARNs and ELB's answers before anything changes: each one named with its fix.
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { checkWiring, type WiringLookups } from "../../src/preflight/strategy.js";
import {
  type NamedRule,
  type RuleFound,
  ruleArnProblems,
  ruleProblems,
  rulesToRead,
} from "../../src/preflight/wiring-rules.js";

const ELB = "arn:aws:elasticloadbalancing:us-east-1:123456789012";
const BLUE = `${ELB}:targetgroup/web-blue/0123456789abcdef`;
const GREEN = `${ELB}:targetgroup/web-green/fedcba9876543210`;
const OTHER = `${ELB}:targetgroup/api/1111222233334444`;
const ALB_LISTENER = `${ELB}:listener/app/web-alb/0123456789abcdef/fedcba9876543210`;
const RULE = `${ELB}:listener-rule/app/web-alb/0123456789abcdef/fedcba9876543210/1111222233334444`;
const TEST_RULE = `${ELB}:listener-rule/app/web-alb/0123456789abcdef/fedcba9876543210/5555666677778888`;
const NLB_LISTENER = `${ELB}:listener/net/web-nlb/0123456789abcdef/fedcba9876543210`;
const GWY_LISTENER = `${ELB}:listener/gwy/web-gwy/0123456789abcdef/fedcba9876543210`;

const production = (arn: string): NamedRule => ({ key: "production_listener_rule", arn });
const test = (arn: string): NamedRule => ({ key: "test_listener_rule", arn });
const forward = (...groups: string[]): Action[] => [
  groups.length === 1
    ? { Type: "forward", TargetGroupArn: groups[0] }
    : {
        Type: "forward",
        ForwardConfig: { TargetGroups: groups.map((g, i) => ({ TargetGroupArn: g, Weight: i ? 0 : 100 })) },
      },
];
const pair = { production: BLUE, alternate: GREEN };

describe("the rules' ARNs, without a call", () => {
  it("takes a listener rule and a listener", () => {
    expect(ruleArnProblems([production(RULE), test(TEST_RULE)])).toEqual([]);
    expect(ruleArnProblems([production(NLB_LISTENER)])).toEqual([]);
  });

  it("refuses what is no listener rule nor listener", () => {
    expect(ruleArnProblems([production(BLUE)])).toEqual([
      {
        key: "load_balancer.production_listener_rule",
        message: `\`load_balancer.production_listener_rule\` is ${BLUE}, neither a listener rule nor a listener: name the listener rule (Application Load Balancer) or the listener (Network Load Balancer) that forwards the traffic`,
      },
    ]);
  });

  it("refuses one rule for both production and test", () => {
    expect(ruleArnProblems([production(RULE), test(RULE)])).toEqual([
      {
        key: "load_balancer.test_listener_rule",
        message:
          "`load_balancer.production_listener_rule` and `load_balancer.test_listener_rule` are the same, 1111222233334444: ECS refuses one rule for both. Give test traffic a rule of its own (on a second listener, or with a header condition), or leave `test_listener_rule` out",
      },
    ]);
  });

  it("reads only the rules worth reading: none refused by its ARN, each once", () => {
    expect(rulesToRead([production(BLUE), test(TEST_RULE)])).toEqual([test(TEST_RULE)]);
    expect(rulesToRead([production(RULE), test(RULE)])).toEqual([production(RULE)]);
  });
});

describe("the rules' answers", () => {
  const answers = (entries: [string, Action[] | undefined, string?][]) =>
    new Map<string, RuleFound | undefined>(
      entries.map(([arn, actions, protocol]) => [arn, actions && { actions, protocol }]),
    );

  it("refuses an Application Load Balancer's listener where ECS needs a rule, and says how to find the rule", () => {
    const listener = answers([[ALB_LISTENER, forward(BLUE, GREEN), "HTTPS"]]);
    expect(ruleProblems(pair, [production(ALB_LISTENER)], false, listener)).toEqual([
      {
        key: "load_balancer.production_listener_rule",
        message: `\`load_balancer.production_listener_rule\` is a listener (HTTPS) of Application Load Balancer web-alb, not a listener rule: ECS refuses it ("invalid ARN format. Must be RuleArn for ALB"). Name the rule that forwards the traffic (\`aws elbv2 describe-rules --listener-arn ${ALB_LISTENER}\` lists them)`,
      },
    ]);
  });

  it("refuses a Gateway Load Balancer's listener", () => {
    const listener = answers([[GWY_LISTENER, forward(BLUE, GREEN), "GENEVE"]]);
    expect(ruleProblems(pair, [test(GWY_LISTENER)], true, listener)[0]?.message).toBe(
      "`load_balancer.test_listener_rule` is a listener of Gateway Load Balancer web-gwy: ECS moves blue/green traffic through an Application or a Network Load Balancer only",
    );
  });

  it("takes a production rule forwarding to both groups without a test rule, or to one with a test rule beside it", () => {
    expect(ruleProblems(pair, [production(RULE)], false, answers([[RULE, forward(BLUE, GREEN)]]))).toEqual([]);
    const withTest = answers([
      [RULE, forward(BLUE)],
      [TEST_RULE, forward(BLUE, GREEN)],
    ]);
    expect(ruleProblems(pair, [production(RULE), test(TEST_RULE)], true, withTest)).toEqual([]);
  });

  it("refuses an ALB production rule forwarding to one group when there is no test rule, with both fixes", () => {
    expect(ruleProblems(pair, [production(RULE)], false, answers([[RULE, forward(BLUE)]]))).toEqual([
      {
        key: "load_balancer.production_listener_rule",
        message:
          "listener rule 1111222233334444 (`load_balancer.production_listener_rule`) forwards to web-blue only, and there is no `load_balancer.test_listener_rule`: ECS refuses that. Make the rule forward to both web-blue and web-green (weights 100 and 0), or add a test listener rule",
      },
    ]);
  });

  it("leaves a Network Load Balancer's listener forwarding to one group alone (the refusal is an ALB's)", () => {
    expect(
      ruleProblems(pair, [production(NLB_LISTENER)], false, answers([[NLB_LISTENER, forward(BLUE), "TCP"]])),
    ).toEqual([]);
  });

  it("refuses a rule with actions beside its forward", () => {
    const auth: Action[] = [
      { Type: "authenticate-oidc", Order: 1 },
      { ...(forward(BLUE, GREEN)[0] as Action), Order: 2 },
    ];
    const [problem] = ruleProblems(pair, [production(RULE)], false, answers([[RULE, auth]]));
    expect(problem?.message).toBe(
      "listener rule 1111222233334444 (`load_balancer.production_listener_rule`) has an authenticate-oidc action beside its forward: ECS's blue/green deployments take rules that only forward. Move it to a rule of its own, or forward from a rule without it",
    );
  });

  it("refuses a rule that forwards elsewhere, and one that does not exist, each once", () => {
    const problems = ruleProblems(
      pair,
      [production(RULE), test(TEST_RULE)],
      true,
      answers([
        [RULE, forward(OTHER)],
        [TEST_RULE, undefined],
      ]),
    );
    expect(problems.map((p) => p.message)).toEqual([
      "listener rule 1111222233334444 (`load_balancer.production_listener_rule`) forwards to api, not to web-blue or web-green: ECS moves traffic only through a rule that forwards to the pair",
      "listener rule 5555666677778888 (`load_balancer.test_listener_rule`) does not exist",
    ]);
  });
});

describe("checkWiring: every refusal at once", () => {
  it("gathers the ARN refusals, the groups' and the rules' problems together", () => {
    const lookups: WiringLookups = {
      production: BLUE,
      alternate: GREEN,
      rules: [production(RULE), test(ALB_LISTENER)],
      refused: ruleArnProblems([production(RULE), test(ALB_LISTENER)]),
      testRule: true,
    };
    const problems = checkWiring(lookups, {
      targetGroups: new Map([
        [BLUE, { TargetGroupArn: BLUE, TargetType: "ip", Protocol: "HTTP", VpcId: "vpc-1" }],
        [GREEN, { TargetGroupArn: GREEN, TargetType: "instance", Protocol: "HTTP", VpcId: "vpc-1" }],
      ]),
      rules: new Map([
        [RULE, { actions: forward(OTHER) }],
        [ALB_LISTENER, { actions: forward(BLUE), protocol: "HTTP" }],
      ]),
      alternateTargets: [],
      ourIps: new Set(),
    });
    expect(problems.map((p) => p.key)).toEqual([
      "load_balancer.alternate_target_group",
      "load_balancer.production_listener_rule",
      "load_balancer.test_listener_rule",
    ]);
    expect(problems[0]?.message).toBe(
      "target group web-green (`load_balancer.alternate_target_group`) has target type instance: Fargate tasks register by IP address, and ECS refuses another type. Create it with target type ip",
    );
  });
});
