// Step: answer a pause hook (the `continue` input) instead of deploying. A canary paused before it takes all the
// traffic waits for a person: a second job, behind a GitHub environment with required reviewers, runs the action
// with `continue: <service deployment ARN>` and `answer: continue` (or `rollback`). The hook is checked to be this
// service's and to await action, answered with ContinueServiceDeployment, and the deployment followed as a deploy is.
import type { Clients } from "../aws/clients.js";
import { describeService } from "../aws/ecs.js";
import { continueServiceDeployment, readServiceDeployment, revisionTaskDefinitions } from "../aws/ecs-deployments.js";
import { awsCall } from "../aws/errors.js";
import type { Config } from "../config/index.js";
import { DeployError } from "../errors.js";
import type { Host } from "../host/host.js";
import type { Inputs } from "../inputs.js";
import type { DeployReport } from "../report/summary.js";
import { watchRollout } from "../rollout/index.js";
import type { ServiceDeploymentView } from "../rollout/verdict/model.js";
import { awaitingPause, expiryText } from "../rollout/verdict/stages.js";
import { oneLine } from "../text/inert.js";
import { shortenArns } from "../text/names.js";
import { watchedReport } from "./follow.js";
import { ROLLBACK_TIMEOUT_MS, shouldRollBack } from "./rollback/rolling.js";
import { stopStaged } from "./rollback/staged.js";

export interface Answered {
  /** our deployment (ecs-svc/…) and revision, for the wait that follows */
  deploymentId: string;
  taskDefinitionArn: string;
  /** the revision the service deployment replaces: where a rollback goes */
  previous: string | undefined;
}

/** Why this service deployment cannot be answered, in words to act on; undefined when it can. */
function refusal(arn: string, sd: ServiceDeploymentView | undefined, config: Config): string | undefined {
  if (!sd) return `service deployment ${arn} (input \`continue\`) does not exist`;
  const service = `/${config.cluster}/${config.service}/`;
  if (!arn.includes(`:service-deployment${service}`)) {
    return `service deployment ${arn} (input \`continue\`) is not one of service ${config.service} in cluster ${config.cluster}`;
  }
  if (awaitingPause(sd)) return undefined;
  const hook = (sd.lifecycleHookDetails ?? []).find((h) => h.targetType === "PAUSE");
  if (hook?.status === "TIMED_OUT") {
    return `the pause hook of ${arn} expired without an answer: ${expiryText(hook).replace("it expires", "it expired")}`;
  }
  return `service deployment ${arn} awaits no answer: it is ${sd.status}${sd.lifecycleStage ? ` at ${sd.lifecycleStage}` : ""}, with no pause hook awaiting action`;
}

/** Reads are eventually consistent: the wait starts once the hook no longer shows AWAITING_ACTION (or 30 s on). */
async function answerSeen(clients: Clients, arn: string, hookId: string): Promise<void> {
  for (let i = 0; i < 15; i++) {
    const sd = await readServiceDeployment(clients.ecs, arn);
    if (awaitingPause(sd)?.hookId !== hookId) return;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

export async function answerStep(
  host: Host,
  clients: Clients,
  config: Config,
  inputs: Pick<Inputs, "continueArn" | "answer">,
  report: DeployReport,
): Promise<Answered> {
  const arn = inputs.continueArn ?? "";
  const sd = await readServiceDeployment(clients.ecs, arn);
  const refused = refusal(arn, sd, config);
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
  await answerSeen(clients, arn, pause.hookId);
  Object.assign(report, { taskDefinitionArn, deploymentId: ours.id });
  return { deploymentId: ours.id, taskDefinitionArn, previous: source ? revisions.get(source) : undefined };
}

export interface AnsweredWait extends Answered {
  host: Host;
  clients: Clients;
  inputs: Inputs;
  config: Config;
  report: DeployReport;
  signal: AbortSignal;
}

/**
 * The answered deployment, followed to its verdict as a deploy's wait follows it (the service deployment known, not
 * looked for). A rollback asked for, or any other end than success, fails the step: the revision did not ship.
 * ECS rolls back on its own here (an alarm, a hook, the pause's ROLLBACK): nothing for the action to undo.
 */
export async function answeredWaitStep(args: AnsweredWait): Promise<void> {
  const { host, inputs, config, report, clients, signal } = args;
  const result = await host.group("Wait for rollout", () =>
    watchRollout({
      clients,
      cluster: config.cluster,
      service: config.service,
      deploymentId: args.deploymentId,
      taskDefinitionArn: args.taskDefinitionArn,
      serviceDeploymentArn: inputs.continueArn ?? "",
      timeoutMs: inputs.waitTimeoutMs,
      pollMs: inputs.pollIntervalMs,
      maxFailedTasks: inputs.maxFailedTasks,
      waitUntil: inputs.waitUntil,
      log: (line) => host.untrusted([line]),
      notice: (text) => host.notice(text),
      signal,
    }),
  );
  report.rollout = watchedReport(result, args.taskDefinitionArn);
  host.setOutput("result", result.outcome);
  if (result.outcome === "succeeded" || result.outcome === "paused") {
    report.result = result.outcome;
    host.untrusted([result.message, ...(result.outcome === "paused" ? result.details : [])].map(shortenArns));
    if (result.outcome === "paused") host.notice(oneLine(shortenArns(result.message)));
    return;
  }
  report.result = result.outcome === "timed-out" || result.outcome === "cancelled" ? result.outcome : "failed";
  host.untrusted([`Rollout ${result.outcome}: ${result.message}`, ...result.details].map(shortenArns));
  const asked = inputs.answer === "rollback" ? "rolled back as answered (`answer: rollback`): " : "";
  let headline = `${asked}${result.message}`;
  const details = [...result.details];
  const arn = inputs.continueArn;
  if (
    !signal.aborted &&
    arn &&
    args.previous &&
    shouldRollBack(inputs, result, args.previous, args.taskDefinitionArn)
  ) {
    const timeoutMs = Math.min(inputs.waitTimeoutMs, ROLLBACK_TIMEOUT_MS);
    const rollback = await host.group("Roll back", () => stopStaged(args, arn, args.previous ?? "", timeoutMs));
    report.rollback = rollback.text;
    details.push(rollback.detail ? `${rollback.text}: ${rollback.detail}` : rollback.text);
    headline = `${headline}; ${rollback.text}`;
  }
  throw new DeployError(oneLine(shortenArns(headline)), details);
}
