// ECS's synchronous refusals of a blue/green wiring (its troubleshooting guide for blue/green deployments), on moto:
// moto's UpdateService takes any of them, where ECS answers with an error after the revision was registered. The
// action must refuse each in the pre-flight, all at once, with the fix, and leave AWS as it was (read back).
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { seedNetworkWiring } from "../../scripts/lib/seed.mjs";
import {
  clientConfig,
  deployAction,
  describeService,
  endpoint,
  errorLines,
  image,
  revisions,
  seed,
  type World,
  workspaceWith,
} from "../support/e2e.js";
import { seedWiring, stagedConfig, type Wiring } from "../support/staged.js";

const BLUE_GREEN = ['strategy = "BLUE_GREEN"', "bake_time = 5"];

async function withElb<T>(world: World, use: (elb: ElasticLoadBalancingV2Client) => Promise<T>): Promise<T> {
  const elb = new ElasticLoadBalancingV2Client(clientConfig(world));
  try {
    return await use(elb);
  } finally {
    elb.destroy();
  }
}

/** A rule on the world's listener with these actions (ELB's own validation still applies). */
function ruleWith(world: World, wiring: Wiring, priority: number, actions: object[]): Promise<string> {
  return withElb(world, async (elb) => {
    const created = await elb.send(
      new CreateRuleCommand({
        ListenerArn: wiring.listener,
        Priority: priority,
        Conditions: [{ Field: "path-pattern", Values: [`/p${priority}/*`] }],
        Actions: actions as never,
      }),
    );
    return created.Rules?.[0]?.RuleArn ?? "";
  });
}

/** Runs a blue/green deploy with the wiring changed by `change`; returns the run and what AWS holds after it. */
async function refused(
  prefix: string,
  change: (world: World, wiring: Wiring) => Promise<{ wiring: Wiring; extra?: string }>,
) {
  const world = await seed(prefix);
  const seeded = await seedWiring(world);
  const { wiring, extra } = await change(world, seeded);
  const before = { service: await describeService(world), revisions: await revisions(world) };
  const config = stagedConfig(world, wiring, BLUE_GREEN).replace("[load_balancer]", `[load_balancer]${extra ?? ""}`);
  const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });
  const after = { service: await describeService(world), revisions: await revisions(world) };
  return { run, errors: errorLines(run.stdout), before, after };
}

/** Nothing registered, nothing updated: the family and the service read back as they were. */
function expectUnchanged(result: Awaited<ReturnType<typeof refused>>) {
  const { run, before, after } = result;
  expect(run.code, run.stdout).toBe(1);
  expect(after.revisions).toEqual(before.revisions);
  expect(after.service?.taskDefinition).toBe(before.service?.taskDefinition);
  expect(after.service?.loadBalancers).toEqual(before.service?.loadBalancers);
  expect(after.service?.deploymentConfiguration).toEqual(before.service?.deploymentConfiguration);
  const operations = run.calls.map((c) => c.operation);
  expect(operations).not.toContain("RegisterTaskDefinition");
  expect(operations).not.toContain("UpdateService");
}

describe.concurrent("ECS's wiring refusals, found in the pre-flight with nothing changed", () => {
  it("an Application Load Balancer's listener where ECS needs a listener rule", async () => {
    const result = await refused("wr-listener", async (_world, wiring) => ({
      wiring: { ...wiring, rule: wiring.listener },
    }));
    expectUnchanged(result);
    expect(result.errors.join("\n")).toContain(
      "`load_balancer.production_listener_rule` is a listener (HTTP) of Application Load Balancer",
    );
    expect(result.errors.join("\n")).toContain("Name the rule that forwards the traffic (`aws elbv2 describe-rules");
  });

  it("one rule for both production and test traffic", async () => {
    const result = await refused("wr-same", async (_world, wiring) => ({
      wiring,
      extra: `\ntest_listener_rule = "${wiring.rule}"`,
    }));
    expectUnchanged(result);
    expect(result.errors.join("\n")).toContain("ECS refuses one rule for both. Give test traffic a rule of its own");
  });

  it("a production rule forwarding to the first group only, without a test rule", async () => {
    const result = await refused("wr-one", async (world, wiring) => ({
      wiring: {
        ...wiring,
        rule: await ruleWith(world, wiring, 30, [{ Type: "forward", TargetGroupArn: world.targetGroupArn }]),
      },
    }));
    expectUnchanged(result);
    expect(result.errors.join("\n")).toMatch(
      /forwards to \S+ only, and there is no `load_balancer.test_listener_rule`: ECS refuses that. Make the rule forward to both .* \(weights 100 and 0\), or add a test listener rule/,
    );
  });

  it("a rule that authenticates before it forwards", async () => {
    const result = await refused("wr-auth", async (world, wiring) => {
      const oidc = {
        Issuer: "https://idp.example.com",
        AuthorizationEndpoint: "https://idp.example.com/authorize",
        TokenEndpoint: "https://idp.example.com/token",
        UserInfoEndpoint: "https://idp.example.com/userinfo",
        ClientId: "client",
        ClientSecret: "not-a-real-secret",
      };
      const forward = {
        Type: "forward",
        Order: 2,
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: world.targetGroupArn, Weight: 100 },
            { TargetGroupArn: wiring.alternate, Weight: 0 },
          ],
        },
      };
      const rule = await ruleWith(world, wiring, 31, [
        { Type: "authenticate-oidc", Order: 1, AuthenticateOidcConfig: oidc },
        forward,
      ]);
      return { wiring: { ...wiring, rule } };
    });
    expectUnchanged(result);
    expect(result.errors.join("\n")).toContain(
      "has an authenticate-oidc action beside its forward: ECS's blue/green deployments take rules that only forward",
    );
  });

  it("every refusal at once: a listener for the test rule, a rule forwarding elsewhere, an instance target group", async () => {
    const result = await refused("wr-all", async (world, wiring) => {
      const group = (suffix: string, TargetType: "instance" | "ip") =>
        withElb(world, async (elb) => {
          const created = await elb.send(
            new CreateTargetGroupCommand({
              Name: `${world.service}-${suffix}`.slice(0, 32),
              Protocol: "HTTP",
              Port: world.port,
              VpcId: world.vpcId,
              TargetType,
            }),
          );
          return created.TargetGroups?.[0]?.TargetGroupArn ?? "";
        });
      const [instances, elsewhere] = await Promise.all([group("i", "instance"), group("x", "ip")]);
      const rule = await ruleWith(world, wiring, 32, [{ Type: "forward", TargetGroupArn: elsewhere }]);
      return {
        wiring: { ...wiring, alternate: instances, rule },
        extra: `\ntest_listener_rule = "${wiring.listener}"`,
      };
    });
    expectUnchanged(result);
    const errors = result.errors.join("\n");
    expect(errors).toContain("has target type instance: Fargate tasks register by IP address");
    expect(errors).toContain("`load_balancer.test_listener_rule` is a listener (HTTP) of Application Load Balancer");
    expect(errors).toMatch(/\(`load_balancer.production_listener_rule`\) forwards to \S+-x, not to /);
  });
});

describe.concurrent("wirings ECS takes pass the pre-flight", () => {
  it("a Network Load Balancer's listener as the production rule: read with DescribeListeners, then deployed", async () => {
    const world = await seed("wr-nlb");
    const wiring = await seedNetworkWiring(world, endpoint());
    const config = stagedConfig(world, wiring, BLUE_GREEN);
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });

    expect(run.code, run.stdout).toBe(0);
    expect(run.calls.map((c) => c.operation)).toContain("DescribeListeners");
    const service = await describeService(world);
    expect(service?.loadBalancers?.[0]?.advancedConfiguration).toMatchObject({
      alternateTargetGroupArn: wiring.alternate,
      productionListenerRule: wiring.rule,
    });
  });

  it("an Application Load Balancer's production rule to both groups, and a test rule beside it", async () => {
    const world = await seed("wr-alb");
    const wiring = await seedWiring(world);
    const config = stagedConfig(world, wiring, BLUE_GREEN).replace(
      "[load_balancer]",
      `[load_balancer]\ntest_listener_rule = "${wiring.testRule}"`,
    );
    const run = await deployAction(workspaceWith(config), { images: image(world), wait: "false" });

    expect(run.code, run.stdout).toBe(0);
    expect((await describeService(world))?.loadBalancers?.[0]?.advancedConfiguration?.testListenerRule).toBe(
      wiring.testRule,
    );
  });
});
