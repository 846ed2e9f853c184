// The deployment strategy keys of `[deployment]`: how ECS itself moves traffic to the new revision (blue/green,
// linear, canary), how long it keeps the old one ready, and the lifecycle hooks it runs or pauses at. The ranges are
// ECS's (SDK DeploymentConfiguration, LinearConfiguration, CanaryConfiguration, DeploymentLifecycleHook docs), so a
// value ECS would refuse is refused here, at its line in the file.

import * as z from "zod";
import type { CheckIssue } from "./checks.js";
import { intIn, matching, mustBe, withExamples } from "./fields.js";

export const STRATEGIES = ["ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** The strategies whose deployments ECS runs in lifecycle stages, with traffic shifts and a bake time. */
export const STAGED_STRATEGIES: readonly Strategy[] = ["BLUE_GREEN", "LINEAR", "CANARY"];

/** Where a hook may run (SDK DeploymentLifecycleHookStage): SCALE_UP, BAKE_TIME and CLEAN_UP take none. */
export const HOOK_STAGES = [
  "RECONCILE_SERVICE",
  "PRE_SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRE_PRODUCTION_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
] as const;
/** ECS refuses a pause where it shifts traffic itself (SDK DeploymentLifecycleHook.targetType). */
const NO_PAUSE_STAGES = new Set(["TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"]);

/** Minutes: ECS's step bake times take 0 to 1440; a bake time over a day would hold both revisions that long. */
const MAX_BAKE_MINUTES = 1440;
/** The API model's hook timeout (DeploymentLifecycleHookDuration, 1-20160); the Lambda hooks guide says 1-1440. */
const MAX_HOOK_MINUTES = 20160;
const MAX_LAMBDA_HOOK_MINUTES = 1440;

const PARTITION = "aws[a-z-]*";
export const LAMBDA_ARN = new RegExp(
  `^arn:${PARTITION}:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\\$LATEST|[A-Za-z0-9_-]{1,128}))?$`,
);
export const IAM_ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/[\\w+=,.@/-]+$`);

/** A percentage ECS takes in steps of 0.1 (LinearConfiguration.stepPercent, CanaryConfiguration.canaryPercent). */
function tenths(min: number, max: number) {
  const expected = `a number from ${min} to ${max} in steps of 0.1`;
  const error = mustBe(expected);
  return z
    .number({ error })
    .min(min, { error })
    .max(max, { error })
    .refine((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, { error });
}

const minutes = (what: string) =>
  intIn(0, MAX_BAKE_MINUTES, `a whole number of minutes from 0 to ${MAX_BAKE_MINUTES}`).describe(what);

const linear = z
  .strictObject(
    withExamples(
      {
        step_percent: tenths(3, 100)
          .optional()
          .describe("The share of production traffic each step moves to the new revision (ECS's default: 10)."),
        step_bake_time: minutes("Minutes between two steps (ECS's default: 6).").optional(),
      },
      { step_percent: 20, step_bake_time: 5 },
    ),
    { error: mustBe("a table { step_percent = 20, step_bake_time = 5 }") },
  )
  .describe("LINEAR: production traffic moves in equal steps: linear = { step_percent = 20, step_bake_time = 5 }.");

const canary = z
  .strictObject(
    withExamples(
      {
        percent: tenths(0.1, 100)
          .optional()
          .describe("The share of production traffic the canary gets first (ECS's default: 5)."),
        bake_time: minutes(
          "Minutes the canary runs before the rest of the traffic moves (ECS's default: 10).",
        ).optional(),
      },
      { percent: 5, bake_time: 10 },
    ),
    { error: mustBe("a table { percent = 5, bake_time = 10 }") },
  )
  .describe("CANARY: a share of production traffic first, then the rest: canary = { percent = 5, bake_time = 10 }.");

const hookTarget = z
  .string({ error: mustBe('a Lambda function ARN or "pause"') })
  .refine((target) => target === "pause" || LAMBDA_ARN.test(target), {
    error: mustBe('a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>) or "pause"'),
  });

const lifecycleHook = z
  .strictObject(
    withExamples(
      {
        target: hookTarget.describe(
          'The Lambda function ECS invokes at each stage, or "pause": the deployment waits there for an answer (the action\'s `continue` input, or ContinueServiceDeployment).',
        ),
        stages: z
          .array(z.enum(HOOK_STAGES, { error: mustBe(`one of ${HOOK_STAGES.join(", ")}`) }), {
            error: mustBe("an array of lifecycle stages"),
          })
          .min(1, { error: "must name at least one lifecycle stage" })
          .describe("The lifecycle stages the hook runs at."),
        role_arn: matching(IAM_ROLE_ARN, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
          .optional()
          .describe("The role ECS assumes to invoke the Lambda function (required for a Lambda, none for a pause)."),
        timeout: intIn(1, MAX_HOOK_MINUTES, `a whole number of minutes from 1 to ${MAX_HOOK_MINUTES}`)
          .optional()
          .describe("Minutes ECS waits for the hook before its on_timeout action (ECS's default: 1440)."),
        on_timeout: z
          .enum(["ROLLBACK", "CONTINUE"], { error: mustBe('"ROLLBACK" or "CONTINUE"') })
          .optional()
          .describe("What ECS does when the hook times out (ECS's default: ROLLBACK)."),
      },
      {
        target: "arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test",
        stages: ["POST_TEST_TRAFFIC_SHIFT"],
        role_arn: "arn:aws:iam::123456789012:role/ecs-lifecycle-hooks",
        timeout: 30,
        on_timeout: "ROLLBACK",
      },
    ),
    { error: mustBe("a table") },
  )
  .describe("A lifecycle hook: a Lambda function ECS invokes, or a pause, at the stages named.");

/** The strategy keys of `[deployment]`, spread into its schema (config/service.ts). */
export const strategyFields = withExamples(
  {
    strategy: z
      .enum(STRATEGIES, { error: mustBe(`one of ${STRATEGIES.map((s) => `"${s}"`).join(", ")}`) })
      .optional()
      .describe(
        "How ECS rolls out: ROLLING replaces tasks; BLUE_GREEN, LINEAR and CANARY start the new revision beside the old one and move traffic to it (see docs/strategies.md).",
      ),
    bake_time: minutes(
      "Minutes both revisions keep running after production traffic moved, for a rollback in seconds (BLUE_GREEN needs it; LINEAR and CANARY too).",
    ).optional(),
    linear: linear.optional(),
    canary: canary.optional(),
    lifecycle_hooks: z
      .array(lifecycleHook, { error: mustBe("an array of tables ([[deployment.lifecycle_hooks]])") })
      .optional()
      .describe("Lambda functions ECS invokes, or pauses, at lifecycle stages: [[deployment.lifecycle_hooks]]."),
  },
  {
    strategy: "CANARY",
    bake_time: 15,
    linear: { step_percent: 20, step_bake_time: 5 },
    canary: { percent: 5, bake_time: 10 },
    lifecycle_hooks: [
      { target: "pause", stages: ["PRE_PRODUCTION_TRAFFIC_SHIFT"], timeout: 120, on_timeout: "ROLLBACK" },
    ],
  },
);

export type LifecycleHookConfig = z.output<typeof lifecycleHook>;

interface StrategyConfig {
  strategy?: Strategy | undefined;
  bake_time?: number | undefined;
  linear?: unknown;
  canary?: unknown;
  lifecycle_hooks?: LifecycleHookConfig[] | undefined;
  early_success?: { healthy_percent: number } | undefined;
  minimum_healthy_percent?: number | undefined;
}

/** What ECS would refuse of one hook: a pause where traffic shifts, a Lambda without its role, a pause with one. */
function hookIssues(hook: LifecycleHookConfig, i: number): CheckIssue[] {
  const at = (key: string): PropertyKey[] => ["deployment", "lifecycle_hooks", i, key];
  const name = `\`deployment.lifecycle_hooks[${i}]\``;
  const issues: CheckIssue[] = [];
  if (hook.target === "pause") {
    const shifts = hook.stages.filter((s) => NO_PAUSE_STAGES.has(s));
    if (shifts.length > 0) {
      const message = `${name} pauses at ${shifts.join(" and ")}, where ECS shifts traffic and takes no pause: pause at the stage before or after it (PRE_… or POST_…)`;
      issues.push({ path: at("stages"), message });
    }
    if (hook.role_arn) {
      issues.push({ path: at("role_arn"), message: `${name} is a pause, which invokes nothing: remove its role_arn` });
    }
  } else {
    if (!hook.role_arn) {
      const message = `${name} invokes ${hook.target.split(":").slice(-1)[0]} but has no role_arn: ECS needs a role it may invoke the function with`;
      issues.push({ path: at("target"), message });
    }
    if ((hook.timeout ?? 0) > MAX_LAMBDA_HOOK_MINUTES) {
      const message = `${name} waits ${hook.timeout} minutes for a Lambda function; ECS allows at most ${MAX_LAMBDA_HOOK_MINUTES} (a pause may wait longer)`;
      issues.push({ path: at("timeout"), message });
    }
  }
  return issues;
}

/** Keys that belong to another strategy than the one the table sets (a strategy left unset is checked in AWS's). */
export function strategyIssues(deployment: StrategyConfig, strategy = deployment.strategy): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const at = (key: string): PropertyKey[] => ["deployment", key];
  const only = (key: "linear" | "canary", wanted: Strategy) => {
    if (deployment[key] === undefined || strategy === undefined || strategy === wanted) return;
    const message = `\`deployment.${key}\` applies to the ${wanted} strategy, but the deployment's strategy is ${strategy}: remove it, or set \`deployment.strategy = "${wanted}"\``;
    issues.push({ path: at(key), message });
  };
  only("linear", "LINEAR");
  only("canary", "CANARY");
  if (deployment.early_success !== undefined && strategy !== undefined && strategy !== "ROLLING") {
    const message = `\`deployment.early_success\` applies to ROLLING deployments, but the strategy is ${strategy}: remove it, or set \`deployment.strategy = "ROLLING"\``;
    issues.push({ path: at("early_success"), message });
  }
  if (strategy === "ROLLING") {
    for (const key of ["bake_time", "lifecycle_hooks"] as const) {
      if (deployment[key] === undefined) continue;
      const message = `\`deployment.${key}\` applies to BLUE_GREEN, LINEAR and CANARY deployments, but the strategy is ROLLING`;
      issues.push({ path: at(key), message });
    }
  }
  return issues;
}

/**
 * ECS refuses early success below the minimum healthy percent: the deployment would "succeed" with fewer tasks than
 * the service must keep. `minimum` is the config's, or (in the pre-flight) the service's as AWS has it.
 */
export function earlySuccessIssues(
  deployment: StrategyConfig,
  minimum = deployment.minimum_healthy_percent,
): CheckIssue[] {
  const healthy = deployment.early_success?.healthy_percent;
  if (healthy === undefined || minimum === undefined || healthy >= minimum) return [];
  const message = `\`deployment.early_success.healthy_percent\` is ${healthy}, below the minimum healthy percent (${minimum}): ECS needs at least as many healthy tasks for success as it keeps during the deployment; raise it to ${minimum} or more`;
  return [{ path: ["deployment", "early_success", "healthy_percent"], message }];
}

/** The cross-field check of the merged config (schema.ts runs it): strategy keys together, and each hook. */
export const strategyChecks = {
  reads: (path: readonly PropertyKey[]) => path[0] === "deployment",
  run(config: { deployment?: StrategyConfig | undefined }): CheckIssue[] {
    const deployment = config.deployment;
    if (!deployment) return [];
    return [
      ...strategyIssues(deployment),
      ...earlySuccessIssues(deployment),
      ...(deployment.lifecycle_hooks ?? []).flatMap(hookIssues),
    ];
  },
};
