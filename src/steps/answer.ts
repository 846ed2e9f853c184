// Step: answer a pause hook (the `continue` input) instead of deploying. A canary paused before it takes all the
// traffic waits for a person: a second job, behind a GitHub environment with required reviewers, runs the action
// with `continue: <service deployment ARN>` and `answer: continue` (or `rollback`). The hook is checked to be this
// service's and to await action, answered with ContinueServiceDeployment, and the deployment followed as a deploy is.
import { describeService } from "../aws/ecs.js";
import { continueServiceDeployment, readServiceDeployment, revisionTaskDefinitions } from "../aws/ecs-deployments.js";
import { awsCall } from "../aws/errors.js";
import { DeployError } from "../errors.js";
import type { Inputs } from "../inputs.js";
import { notTheConfigs } from "../plan/run/answer-target.js";
import { poll } from "../rollout/index.js";
import type { ServiceDeploymentView } from "../rollout/verdict/model.js";
import { awaitingPause, expiryText } from "../rollout/verdict/stages.js";
import { shortenArns } from "../text/names.js";
import type { RunContext } from "./context.js";
import type { Followed } from "./follow.js";
import { chooseStrategy, type DeployStrategy } from "./strategy.js";

/** Reads are eventually consistent: how long the answer may take to show before the wait starts anyway. */
const ANSWER_SEEN_MS = 30_000;
const ANSWER_LOOK_MS = 2000;

/** The answered deployment, to be followed as a deploy's is, and the strategy it runs with (staged: it paused). */
export interface Answered {
  deployment: Followed;
  strategy: DeployStrategy;
}

/** Why this service deployment cannot be answered, in words to act on; undefined when it can. */
function refusal(arn: string, sd: ServiceDeploymentView | undefined): string | undefined {
  if (!sd) return `service deployment ${arn} (input \`continue\`) does not exist`;
  if (awaitingPause(sd)) return undefined;
  const hook = (sd.lifecycleHookDetails ?? []).find((h) => h.targetType === "PAUSE");
  if (hook?.status === "TIMED_OUT") {
    return `the pause hook of ${arn} expired without an answer: ${expiryText(hook).replace("it expires", "it expired")}`;
  }
  return `service deployment ${arn} awaits no answer: it is ${sd.status}${sd.lifecycleStage ? ` at ${sd.lifecycleStage}` : ""}, with no pause hook awaiting action`;
}

/** Reads are eventually consistent: the wait starts once the hook no longer shows AWAITING_ACTION (or 30 s on). */
async function answerSeen(ctx: RunContext, arn: string, hookId: string): Promise<void> {
  await poll({
    read: () => readServiceDeployment(ctx.clients.ecs, arn),
    done: (sd) => awaitingPause(sd)?.hookId !== hookId,
    every: ANSWER_LOOK_MS,
    deadline: (ctx.clock?.now ?? Date.now)() + ANSWER_SEEN_MS,
    signal: ctx.signal,
    ...ctx.clock,
  });
}

export async function answerStep(ctx: RunContext, inputs: Pick<Inputs, "continueArn" | "answer">): Promise<Answered> {
  const { clients, config, host } = ctx;
  const arn = inputs.continueArn ?? "";
  // Another account's or region's deployment is refused before any call (the clients are this config's).
  const other = notTheConfigs(arn, config);
  if (other) throw new DeployError(shortenArns(other));
  const sd = await readServiceDeployment(clients.ecs, arn);
  const refused = refusal(arn, sd);
  const pause = awaitingPause(sd);
  if (refused || !pause || !sd) throw new DeployError(shortenArns(refused ?? "no pause hook awaits an answer"));
  const revision = sd.targetServiceRevision?.arn ?? "";
  const source = sd.sourceServiceRevisions?.[0]?.arn;
  const [revisions, service] = await Promise.all([
    awsCall("DescribeServiceRevisions", () =>
      revisionTaskDefinitions(clients.ecs, source ? [revision, source] : [revision], {}),
    ),
    awsCall("DescribeServices", () => describeService(clients.ecs, config.cluster, config.service, {})),
  ]);
  const taskDefinitionArn = revisions.get(revision);
  const ours = service?.deployments?.find((d) => d.taskDefinition === taskDefinitionArn && d.status === "PRIMARY");
  if (!taskDefinitionArn || !ours?.id) {
    throw new DeployError(`service deployment ${shortenArns(arn)} deploys no revision the service shows as PRIMARY`);
  }
  const action = inputs.answer === "rollback" ? "ROLLBACK" : "CONTINUE";
  await continueServiceDeployment(clients.ecs, { arn, hookId: pause.hookId, action });
  host.info(`Answered the pause hook at ${pause.stage}: ${action}`);
  await answerSeen(ctx, arn, pause.hookId);
  const previous = source ? revisions.get(source) : undefined;
  return {
    // The service deployment is known: the wait follows it, not looks for it. ECS rolls back on its own here (an
    // alarm, a hook, the pause's ROLLBACK); the action's rollback is for what ECS leaves (its rollback failed).
    deployment: { deploymentId: ours.id, taskDefinitionArn, previous, serviceDeploymentArn: arn },
    strategy: chooseStrategy(config, service?.deploymentConfiguration),
  };
}
