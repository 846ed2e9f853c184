// run(): each step in a group, outputs as soon as they exist, a job summary whatever happens, and the one place that
// fails the step. The steps print through a Host, so the same run serves the runner and a terminal.
import { type Clients, destroyClients, makeClients } from "./aws/clients.js";
import { DeployError, formatProblem, type Locate, locateProblems, ProblemsError } from "./errors.js";
import { runContext } from "./github/context.js";
import { lookUpShipped } from "./github/shipped.js";
import type { Host } from "./host/host.js";
import type { Inputs } from "./inputs.js";
import { lazy } from "./lazy.js";
import { type Decision, decideChanges, scaleOnly } from "./plan/service/decision.js";
import { type Restore, restorePlan } from "./plan/service/restore.js";
import { healthCheckedContainers } from "./plan/task-definition/build.js";
import type { Deployable } from "./preflight/judge.js";
import { recordOf } from "./report/app-summary.js";
import { type BoundedProblems, boundProblems, problemLines } from "./report/bounds.js";
import type { Ending, Outcomes, Waited } from "./report/outcomes.js";
import { shippedLine } from "./report/provenance.js";
import { renderSummary } from "./report/summary.js";
import type { Result } from "./result.js";
import { type RunContext, waitPolicy } from "./steps/context.js";
import { preflightStep } from "./steps/preflight.js";
import { readConfigStep } from "./steps/read-config.js";
import { type Revision, registerStep } from "./steps/register.js";
import { renderStep } from "./steps/render.js";
import { type PreDeployInput, preDeployDryRun, preDeployStep } from "./steps/run-pre-deploy.js";
import { notDeployed, scaleStep, updateStep } from "./steps/update.js";
import { thousands } from "./text/cut.js";

/**
 * The steps after UpdateService (the wait and what it brings: the watcher, the verdict, the stage-by-stage reads),
 * the pause's answer and the clean-up are chunks of their own, imported when reached: the process compiles the main
 * file before its first AWS request, so what it holds sets the start-up time. The wait's chunk starts loading when
 * UpdateService is sent, so it is ready when the wait begins.
 */
const waitChunk = lazy(() => import("./steps/wait.js"));

/** What the steps leave for run() to use after them, whether they finished or threw. */
interface RunState {
  host: Host;
  /** What the steps returned, collected here alone: the job summary and the `record` output are rendered from it. */
  outcomes: Outcomes;
  clients?: Clients;
  /** Places problems about config keys in the config file, once it has been read. */
  locate?: Locate;
  /** The GitHub lookup of what ships, going on beside the deploy. */
  shipping?: Promise<void>;
  /** The environment's name, for the `record` output. */
  environment?: string | undefined;
}

/** How the run ended: its result, and the line that says so (a success's) or the error (a failure's). */
type Ended = { result: Result; message?: string | undefined } | { result: Result; error: unknown };

/** A run as it ended: what its steps returned, and how run() ended it. */
export interface Ran {
  outcomes: Outcomes;
  ending: Ending;
}

/** `readInputs` is called inside the run, so that bad inputs fail the step like any other problem. */
export async function run(host: Host, readInputs: () => Inputs): Promise<Ran> {
  const startedAt = Date.now();
  const github = runContext();
  const state: RunState = { host, outcomes: { configPath: "", steps: [], provenance: github && { run: github } } };
  const cancel = abortOnSignals(host);
  const ended = await start(readInputs, state, cancel.signal).catch((error: unknown) =>
    failure(error, cancel.signal, state.outcomes),
  );
  // The one place the run's result is decided, recorded and written out.
  host.setOutput("result", ended.result);
  const ending: Ending = { result: ended.result, ...tell(ended, state), durationMs: Date.now() - startedAt };
  host.setOutput("record", JSON.stringify(recordOf(state.outcomes, ending, state.environment)));
  if (state.clients) destroyClients(state.clients);
  // Still listening for a cancel: it ends a GitHub lookup that is still going (github/shipped.ts) at once.
  await reportShipped(state);
  cancel.dispose();
  await writeSummary(host, renderSummary(state.outcomes, ending));
  return { outcomes: state.outcomes, ending };
}

async function start(readInputs: () => Inputs, state: RunState, signal: AbortSignal): Promise<Ended> {
  const inputs = readInputs();
  state.environment = inputs.environment;
  state.outcomes.configPath = inputs.config;
  return deploy(inputs, state, signal);
}

/** The happy path, in order; any throw ends it. */
async function deploy(inputs: Inputs, state: RunState, signal: AbortSignal): Promise<Ended> {
  const { outcomes, host } = state;
  const githubRun = outcomes.provenance?.run;
  const plan = await host.group("Read config", () => readConfigStep({ host, githubRun }, inputs));
  state.locate = plan.locate;
  const { config } = plan;
  outcomes.read = { config, images: plan.images };
  const clients = makeClients({
    region: config.region,
    endpoint: inputs.endpoint,
    signal,
    retryScale: inputs.retryScale,
    // AWS's words (an operation's name): untrusted text, said as it happens (issue 21.6).
    note: (line) => host.untrusted([line]),
  });
  state.clients = clients;
  const ctx: RunContext = { host, clients, config, signal, githubRun };
  if (inputs.continueArn) return answerPause(ctx, inputs, outcomes);

  const deployable = await host.group("Pre-flight checks", () =>
    preflightStep(ctx, { plan, pinImages: inputs.pinImages, taskDefinition: inputs.taskDefinition }),
  );
  if (outcomes.provenance) {
    state.shipping = lookUpShipped(outcomes.provenance, deployable.current, { token: inputs.githubToken, signal });
  }
  const decision = decideChanges(deployable, {
    forceNewDeployment: inputs.forceNewDeployment,
    desiredCount: config.desired_count,
  });
  outcomes.plan = { deployable, decision };
  const shown = deployable.existing ? "Revision to deploy" : "Render task definition";
  await host.group(inputs.dryRun ? "Dry run: what would be deployed" : shown, () => {
    renderStep(ctx, { deployable, decision, dir: inputs.tempDir, dryRun: inputs.dryRun });
    if (inputs.dryRun) outcomes.preDeploy = preDeployDryRun(ctx, { deployable, decision });
  });
  if (inputs.dryRun) return ended("dry-run", "Dry run: every check passed; nothing was changed in AWS");

  stopIfCancelled(signal, "before anything was registered: nothing was changed in AWS");
  // An existing revision is registered already: the step only publishes its ARN.
  const revision = await timed(outcomes, "register task definition", () =>
    host.group(deployable.existing ? "Task definition" : "Register task definition", () =>
      registerStep(ctx, { deployable, decision }),
    ),
  );
  outcomes.taskDefinitionArn = revision.arn;
  await preDeploy(ctx, outcomes, { inputs, deployable, decision, revision });
  if (!decision.deployBecause) return keepRevision(ctx, outcomes, { inputs, decision, revision, deployable });

  stopIfCancelled(signal, `before UpdateService: ${revision.arn} is registered, the service was not updated`);
  const settings = decision.service?.settings;
  if (inputs.wait) waitChunk.warm();
  const started = await timed(outcomes, "update service", () =>
    host.group("Update service", () => updateStep(ctx, { taskDefinitionArn: revision.arn, settings })),
  ).catch(notDeployed(revision.arn, !decision.reuse && !decision.existing));
  outcomes.deploymentId = started.deploymentId;
  if (!inputs.wait) return ended("started", "Not waiting for the rollout (wait: false)");

  const restore = restorePlan(settings ?? {}, deployable.target.settings, {
    from: deployable.target.desiredCount,
    to: config.desired_count,
  });
  const { deploymentId } = started;
  const result = await waitFor(ctx, outcomes, {
    inputs,
    deployable,
    deploymentId,
    taskDefinitionArn: revision.arn,
    restore,
  });
  if (inputs.keepRevisions > 0) {
    const { cleanUpStep } = await import("./steps/cleanup.js");
    await host.group("Clean up old revisions", () =>
      cleanUpStep(ctx, { keep: inputs.keepRevisions, ours: revision.arn, deployable }),
    );
  }
  return ended(result);
}

interface WaitForInput {
  inputs: Inputs;
  deployable: Deployable;
  /** our deployment, and the revision it deploys */
  deploymentId: string;
  taskDefinitionArn: string;
  restore?: Restore | undefined;
}

/** Our deployment, followed and (on failure) rolled back the way the strategy, chosen here once, says. */
async function waitFor(ctx: RunContext, outcomes: Outcomes, input: WaitForInput): Promise<Result> {
  const { inputs, deployable } = input;
  const { target } = deployable;
  const { waitStep, chooseStrategy } = await waitChunk.load();
  const strategy = chooseStrategy(ctx.config, target.settings.deploymentConfiguration);
  const deployment = {
    deploymentId: input.deploymentId,
    taskDefinitionArn: input.taskDefinitionArn,
    previous: target.taskDefinition,
    priorServiceDeployment: target.serviceDeployment,
    restore: input.restore,
    healthChecked: healthCheckedContainers(deployable.taskDefinition),
  };
  const images = deployable.images.resolved;
  return waited(outcomes, await waitStep(ctx, { deployment, strategy, policy: waitPolicy(inputs), images }));
}

/** `continue`: answer a pause hook, then wait for the deployment as a deploy does (steps/answer.ts). */
async function answerPause(ctx: RunContext, inputs: Inputs, outcomes: Outcomes): Promise<Ended> {
  const { answerStep } = await import("./steps/answer.js");
  const answered = await ctx.host.group("Answer the pause", () => answerStep(ctx, inputs));
  outcomes.taskDefinitionArn = answered.deployment.taskDefinitionArn;
  outcomes.deploymentId = answered.deployment.deploymentId;
  if (!inputs.wait) return ended("started", "Not waiting for the rollout (wait: false)");
  const { waitStep } = await waitChunk.load();
  const policy = waitPolicy(inputs);
  return ended(waited(outcomes, await waitStep(ctx, { ...answered, policy, answer: inputs.answer })));
}

/** The wait's outcome, recorded; then how it ends the run: succeeded, paused, or its failure thrown. */
function waited(outcomes: Outcomes, outcome: Waited): Result {
  outcomes.wait = outcome;
  if (outcome.failure) throw outcome.failure;
  return outcome.watched.result.outcome === "paused" ? "paused" : "succeeded";
}

/** The pre-deploy tasks: their section recorded, their time charted when they ran, and their failure thrown. */
async function preDeploy(ctx: RunContext, outcomes: Outcomes, input: PreDeployInput): Promise<void> {
  const from = Date.now();
  const done = await preDeployStep(ctx, input);
  outcomes.preDeploy = done?.section;
  if (done?.ran) outcomes.steps.push({ name: "pre-deploy tasks", from, to: Date.now() });
  if (done && "failure" in done) throw done.failure;
}

interface KeepInput {
  inputs: Inputs;
  decision: Decision;
  revision: Revision;
  deployable: Deployable;
}

/**
 * The service runs the rendered revision already: nothing to deploy, or only the desired count to set. New tasks
 * of a count raised (from 0, say) have never run: with `wait`, they are watched like a rollout, on the deployment
 * that starts them.
 */
async function keepRevision(
  ctx: RunContext,
  outcomes: Outcomes,
  { inputs, decision, revision, deployable }: KeepInput,
): Promise<Ended> {
  const { host, signal } = ctx;
  const desiredCount = scaleOnly(decision);
  if (desiredCount === undefined) return ended("unchanged", "Nothing to deploy: see the plan above");
  stopIfCancelled(signal, "before UpdateService: the desired count was not changed");
  const deploymentId = await host.group("Scale service", () => scaleStep(ctx, { desiredCount }));
  if (inputs.wait && deploymentId) {
    await waitFor(ctx, outcomes, { inputs, deployable, deploymentId, taskDefinitionArn: revision.arn });
  }
  return ended("scaled", `Desired count set to ${desiredCount}; the task definition did not change`);
}

function ended(result: Result, message?: string): Ended {
  return { result, message };
}

/** The runner sent SIGINT/SIGTERM before the step that changes AWS: stop there, and say what was (not) changed. */
function stopIfCancelled(signal: AbortSignal, where: string): void {
  if (signal.aborted) throw new DeployError(`Cancelled ${where}`, [], "cancelled");
}

/** A step threw: the run failed, timed out or was cancelled, as the error says, else as the signal says. */
function failure(thrown: unknown, signal: AbortSignal, outcomes: Outcomes): Ended {
  const error = signal.aborted ? cancelled(thrown, outcomes.taskDefinitionArn) : thrown;
  return { result: error instanceof DeployError && error.result ? error.result : "failed", error };
}

/**
 * The run was cancelled and a step ended on it (a call aborted in flight): the result is `cancelled`, and the first
 * line says so, unless the step said how it ended already.
 */
function cancelled(error: unknown, registered: string | undefined): unknown {
  if (error instanceof DeployError && error.result) return error;
  if (error instanceof DeployError && error.message.startsWith("Cancelled")) {
    return new DeployError(error.message, error.details, "cancelled");
  }
  const what = registered ? `${registered} is registered` : "nothing was changed in AWS";
  const cause = error instanceof Error ? error.message : String(error);
  return new DeployError(`Cancelled: ${what}`, [cause], "cancelled");
}

/** How the run is told to have ended: a success's line in the log, or the failure's (see fail). */
function tell(ended: Ended, state: RunState): Pick<Ending, "message" | "details"> {
  if ("error" in ended) return fail(ended.error, state);
  if (ended.message) state.host.info(ended.message);
  return { details: [] };
}

/** Fails the step with the root cause on one line; returns the first line and the details, for the summary. */
function fail(error: unknown, { host, locate }: RunState): Pick<Ending, "message" | "details"> {
  if (error instanceof ProblemsError) {
    const problems = boundProblems(locate ? locateProblems(error.problems, locate) : error.problems);
    // An annotation per problem, at its file and line, as many as GitHub keeps: the first is the first error line.
    for (const problem of problems.annotated) host.error(formatProblem(problem), problem.location);
    // The rest quote what the file says (keys, values): printed inert.
    host.untrusted(problemLines(problems));
    const count = `${thousands(problems.total)} ${problems.total === 1 ? "problem" : "problems"}`;
    host.fail(
      `${count} ${FOUND_IN[error.name] ?? `(${error.name})`}${elsewhere(problems)}; nothing was changed in AWS`,
    );
    return {
      message: problems.annotated[0]?.message ?? error.message,
      details: [...problems.annotated.slice(1).map(formatProblem), ...problemLines(problems)],
    };
  }
  const message = error instanceof Error ? error.message : `Unexpected failure: ${String(error)}`;
  // One line: the root cause (and the rollback's result). The details are in the log and the job summary already.
  host.fail(message);
  return { message, details: error instanceof DeployError ? error.details : [] };
}

/** Where the problems were found, in the words of the step's last line (not a class name). */
const FOUND_IN: Record<string, string> = {
  InputError: "in the action's inputs",
  ConfigError: "in the config",
  PreflightError: "found by the pre-flight checks",
};

/** Where the problems that are not annotated are: GitHub keeps 10 error annotations per step. */
function elsewhere({ annotated, total }: BoundedProblems): string {
  return total > annotated.length ? ` (${annotated.length} annotated, the rest in the log and the job summary)` : "";
}

/** Runs a step and notes when it ran, for the rollout chart in the job summary. */
async function timed<T>(outcomes: Outcomes, name: string, step: () => Promise<T>): Promise<T> {
  const from = Date.now();
  try {
    return await step();
  } finally {
    outcomes.steps.push({ name, from, to: Date.now() });
  }
}

/** The GitHub lookup ran beside the deploy (it never throws): its one line goes at the end of the log. */
async function reportShipped({ host, outcomes, shipping }: RunState): Promise<void> {
  if (!outcomes.provenance) return;
  await shipping;
  host.untrusted([shippedLine(outcomes.provenance)]);
}

async function writeSummary(host: Host, markdown: string): Promise<void> {
  try {
    await host.summary(markdown);
  } catch (error) {
    host.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}

/** The runner sends SIGINT, then SIGTERM, on cancel: stop waiting and report where the rollout stands. */
function abortOnSignals(host: Host): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: string) => {
    host.warning(`Received ${name}: the deploy was cancelled; ECS goes on with the rollout on its own.`);
    controller.abort();
  };
  const handlers = { SIGINT: () => onSignal("SIGINT"), SIGTERM: () => onSignal("SIGTERM") };
  process.on("SIGINT", handlers.SIGINT);
  process.on("SIGTERM", handlers.SIGTERM);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", handlers.SIGINT);
      process.off("SIGTERM", handlers.SIGTERM);
    },
  };
}
