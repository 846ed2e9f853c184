// Pre-flight, the staged strategies' part: the blue/green wiring's target groups, listener rules and the alternate
// group's targets, read side by side once DescribeServices has said what the service is wired to, and the field
// check of what UpdateService would send. Its problems join the pre-flight's others: all are reported together.
import type { Clients } from "../aws/clients.js";
import { serviceTaskIps } from "../aws/ecs-deployments.js";
import { findRuleActions, findTargetGroup, registeredTargets } from "../aws/elb.js";
import { AwsError } from "../aws/errors.js";
import { unknownUpdateServiceFields } from "../aws/sdk-fields.js";
import type { Config } from "../config/index.js";
import type { Problem } from "../errors.js";
import type { ServiceSettings } from "../plan/service/settings.js";
import { checkWiring, type WiringAnswers, type WiringLookups, wiringLookups } from "../preflight/strategy.js";
import type { ServiceState } from "../preflight/target.js";

/** Started with the pre-flight's first round: it needs only the config's names (see preflight.ts). */
export function startTaskIps(clients: Clients, config: Config): Promise<Set<string> | undefined> | undefined {
  const staged = config.deployment?.strategy && config.deployment.strategy !== "ROLLING";
  if (!staged && Object.keys(config.load_balancer ?? {}).length === 0) return undefined;
  const ips = serviceTaskIps(clients.ecs, config.cluster, config.service);
  // Awaited in the second round, or never when the first round failed: no unhandled rejection meanwhile.
  ips.catch(() => undefined);
  return ips;
}

async function answersFor(
  clients: Clients,
  lookups: WiringLookups,
  ips: Promise<Set<string> | undefined> | undefined,
): Promise<{ answers: WiringAnswers; errors: unknown[] }> {
  const errors: unknown[] = [];
  const settle = async <T>(work: Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      errors.push(error);
      return fallback;
    }
  };
  const groups = [lookups.production, lookups.alternate];
  const [found, rules, alternateTargets, ourIps] = await Promise.all([
    Promise.all(groups.map(async (arn) => [arn, await settle(findTargetGroup(clients.elb, arn), undefined)] as const)),
    Promise.all(
      lookups.rules.map(
        async (r) => [r.arn, await settle(findRuleActions(clients.elb, r.arn), { actions: [] })] as const,
      ),
    ),
    // A missing alternate group is said by DescribeTargetGroups; its targets are then none.
    registeredTargets(clients.elb, lookups.alternate).catch(() => []),
    ips ? settle(ips, undefined) : Promise.resolve(undefined),
  ]);
  return { answers: { targetGroups: new Map(found), rules: new Map(rules), alternateTargets, ourIps }, errors };
}

/** The wiring's problems, and the AWS errors that kept a check from running (as problems too). */
export async function wiringProblems(
  clients: Clients,
  config: Config,
  state: ServiceState,
  ips: Promise<Set<string> | undefined> | undefined,
): Promise<Problem[]> {
  const lookups = wiringLookups(config, state);
  if (!lookups) return [];
  const { answers, errors } = await answersFor(clients, lookups, ips);
  const bug = errors.find((e) => !(e instanceof AwsError));
  if (bug !== undefined) throw bug;
  const aws = [...new Set(errors.map((e) => (e as AwsError).message))].map((message) => ({ message }));
  return [...aws, ...checkWiring(lookups, answers)];
}

/** Fields UpdateService would carry that the bundled SDK does not know (and would drop without a word). */
export function sdkProblems(settings: ServiceSettings | undefined): Problem[] {
  const unknown = settings ? unknownUpdateServiceFields(settings) : [];
  if (unknown.length === 0) return [];
  const message = `the AWS SDK in this action's bundle does not know ${unknown.join(", ")}, which UpdateService would carry: it would drop them and ECS would never get them; update the action`;
  return [{ message }];
}
