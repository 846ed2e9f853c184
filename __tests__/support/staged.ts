// Blue/green, linear and canary runs of the bundled action: the second target group and listener rule seeded in
// moto, and the service deployments the proxy plays (scripts/lib/scenarios-staged.mjs).
import { stagedRollout } from "../../scripts/lib/scenarios-staged.mjs";
import { BLUE_GREEN_ROLE, guideConfig, seedWiring as seedWiringIn } from "../../scripts/lib/seed.mjs";
import { clientConfig, deployAction, image, seed, type World, workspaceWith } from "./e2e.js";

export const SCALE = 0.1;
export const ROLE = BLUE_GREEN_ROLE;
export const SMOKE = "arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test";
export const HOOK_ROLE = "arn:aws:iam::123456789012:role/ecs-lifecycle-hooks";

/** The second target group, the production and test listener rules and the listener, in moto (scripts/lib/seed.mjs). */
export async function seedWiring(world: World): Promise<Wiring> {
  return seedWiringIn(world, clientConfig(world).endpoint);
}

export interface Wiring {
  alternate: string;
  rule: string;
  testRule?: string;
  listener: string;
  role: string;
}

export function stagedConfig(world: World, wiring: Wiring, deployment: string[]): string {
  return [
    guideConfig(world),
    "[deployment]",
    ...deployment,
    "[load_balancer]",
    `alternate_target_group = "${wiring.alternate}"`,
    `production_listener_rule = "${wiring.rule}"`,
    `role_arn = "${wiring.role}"`,
    "",
  ].join("\n");
}

export type Phase = [number, Record<string, unknown>];
export const stage = (
  at: number,
  name: string,
  prod: number,
  test: number,
  more: Record<string, unknown> = {},
): Phase => [at, { stage: name, prod, test, ...more }];
/** Reconcile and scale up, until our tasks are healthy (the healthy script's 53 s). */
export const SCALE_UP: Phase[] = [
  stage(0, "RECONCILE_SERVICE", 0, 0),
  stage(20, "SCALE_UP", 0, 0),
  stage(55, "POST_SCALE_UP", 0, 0),
];

export async function stagedRun(
  prefix: string,
  staged: {
    strategy: string;
    bakeMinutes: number;
    phases: Phase[];
    alarms?: string[];
    opaqueRevision?: boolean;
    afterContinue?: Phase[];
  },
  deployment: string[],
  options: { testRule?: boolean; inputs?: Record<string, string>; cancelOn?: RegExp } = {},
) {
  const world = await seed(prefix);
  const wiring = await seedWiring(world);
  const testRule = options.testRule ? wiring.testRule : undefined;
  const script = stagedRollout({ ...staged, ...wiring, ...(testRule ? { testRule } : {}) }, world, { scale: SCALE });
  const inputs = { images: image(world), "poll-interval": "1", "wait-timeout": "2", ...options.inputs };
  const config = stagedConfig(world, wiring, [...deployment]).replace(
    "[load_balancer]",
    `[load_balancer]${testRule ? `\ntest_listener_rule = "${testRule}"` : ""}`,
  );
  const ws = workspaceWith(config);
  const run = await deployAction(ws, inputs, script.hook, {}, options.cancelOn);
  const operations = run.calls.map((c) => c.operation);
  /** A second job of the same workflow, answering the pause (same workspace, same scripted AWS). */
  const answer = (more: Record<string, string>) => deployAction(ws, { ...inputs, wait: "true", ...more }, script.hook);
  return { run, script, operations, world, stages: stageLines(run.stdout), answer };
}

/** The wait's stage lines, without their clock: `stage BAKE_TIME: production 100% …`. */
export function stageLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .map((line) => /^\[\d+:\d\d\] (stage .*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined);
}

/** The stages told going forward, seen by a look (`stage X`) or passed between two (`passed X`), in order. */
export function toldStages(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => !l.includes("(rolling back)"))
    .map((l) => /^\[\d+:\d\d\] (?:stage|passed) ([A-Z_]+)/.exec(l)?.[1])
    .filter((name): name is string => name !== undefined);
}
