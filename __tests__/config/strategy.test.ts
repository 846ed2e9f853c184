// The strategy keys of [deployment] and the [load_balancer] wiring: ECS's documented ranges, refused at their key.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { guideProblems, guideToml } from "../support/config.js";

const problems = (extra: string) => guideProblems(extra).map((p) => [p.key, p.message]);
const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test";
const ROLE = "arn:aws:iam::123456789012:role/ecs-lifecycle-hooks";

describe("strategy keys", () => {
  it("accepts each strategy with its own settings", () => {
    const config = parseConfig(
      `${guideToml}[deployment]\nstrategy = "LINEAR"\nbake_time = 0\nlinear = { step_percent = 3, step_bake_time = 1440 }\n`,
      "deploy.toml",
    );
    expect(config.deployment).toMatchObject({ strategy: "LINEAR", bake_time: 0, linear: { step_percent: 3 } });
    const canary = parseConfig(`${guideToml}[deployment]\nstrategy = "CANARY"\ncanary = { percent = 0.1 }\n`, "d.toml");
    expect(canary.deployment?.canary).toEqual({ percent: 0.1 });
  });

  it.each([
    ['strategy = "CANARI"', "deployment.strategy", /must be one of "ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"/],
    [
      'strategy = "LINEAR"\nlinear = { step_percent = 2.9 }',
      "deployment.linear.step_percent",
      /from 3 to 100 in steps of 0\.1/,
    ],
    ['strategy = "LINEAR"\nlinear = { step_percent = 10.05 }', "deployment.linear.step_percent", /in steps of 0\.1/],
    ['strategy = "CANARY"\ncanary = { percent = 0.05 }', "deployment.canary.percent", /from 0\.1 to 100/],
    ['strategy = "CANARY"\ncanary = { percent = 100.1 }', "deployment.canary.percent", /from 0\.1 to 100/],
    ['strategy = "BLUE_GREEN"\nbake_time = 1441', "deployment.bake_time", /from 0 to 1440/],
    ['strategy = "LINEAR"\nlinear = { step_bake_time = -1 }', "deployment.linear.step_bake_time", /from 0 to 1440/],
  ])("%s", (lines, key, message) => {
    const found = problems(`[deployment]\n${lines}\n`);
    expect(found).toContainEqual([key, expect.stringMatching(message)]);
  });

  it("settings of another strategy, and hooks on ROLLING, name the key to remove", () => {
    expect(problems('[deployment]\nstrategy = "CANARY"\nlinear = { step_percent = 20 }\n')).toContainEqual([
      "deployment.linear",
      expect.stringContaining("applies to the LINEAR strategy, but the deployment's strategy is CANARY"),
    ]);
    expect(problems('[deployment]\nstrategy = "ROLLING"\nbake_time = 5\n')).toContainEqual([
      "deployment.bake_time",
      expect.stringContaining("but the strategy is ROLLING"),
    ]);
  });

  it("hooks: a Lambda needs its role, a pause takes none and never at a traffic shift, timeouts in range", () => {
    const hook = (lines: string) =>
      problems(`[deployment]\nstrategy = "BLUE_GREEN"\nbake_time = 5\n[[deployment.lifecycle_hooks]]\n${lines}\n`);
    expect(hook(`target = "${LAMBDA}"\nstages = ["POST_SCALE_UP"]`)).toContainEqual([
      "deployment.lifecycle_hooks[0].target",
      expect.stringContaining("has no role_arn"),
    ]);
    expect(hook('target = "pause"\nstages = ["PRODUCTION_TRAFFIC_SHIFT"]')).toContainEqual([
      "deployment.lifecycle_hooks[0].stages",
      expect.stringContaining("where ECS shifts traffic and takes no pause"),
    ]);
    expect(hook(`target = "pause"\nstages = ["POST_SCALE_UP"]\nrole_arn = "${ROLE}"`)).toContainEqual([
      "deployment.lifecycle_hooks[0].role_arn",
      expect.stringContaining("remove its role_arn"),
    ]);
    expect(
      hook(`target = "${LAMBDA}"\nstages = ["POST_SCALE_UP"]\nrole_arn = "${ROLE}"\ntimeout = 1441`),
    ).toContainEqual(["deployment.lifecycle_hooks[0].timeout", expect.stringContaining("at most 1440")]);
    expect(hook('target = "arn:aws:lambda:us-east-1:1234:function:x"\nstages = ["POST_SCALE_UP"]')).toContainEqual([
      "deployment.lifecycle_hooks[0].target",
      expect.stringContaining("a Lambda function ARN"),
    ]);
    expect(hook('target = "pause"\nstages = ["BAKE_TIME"]')).toContainEqual([
      "deployment.lifecycle_hooks[0].stages[0]",
      expect.stringContaining("must be one of RECONCILE_SERVICE"),
    ]);
  });

  it("[load_balancer] takes only well-formed ARNs", () => {
    const found = problems('[load_balancer]\nalternate_target_group = "tg-green"\nrole_arn = "ecs-role"\n');
    expect(found.map(([key]) => key)).toEqual(["load_balancer.alternate_target_group", "load_balancer.role_arn"]);
  });
});
