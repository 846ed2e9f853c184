// run(): each step in a core.group, outputs as soon as they exist, a job summary whatever happens,
// and the one place that fails the step.
import * as core from "@actions/core";
import { type Clients, destroyClients, makeClients } from "./aws.js";
import { cleanUpRevisions } from "./cleanup.js";
import type { Config } from "./config/index.js";
import { type Decision, decideChanges, scaleOnly } from "./decision.js";
import { scaleService, updateService } from "./deploy.js";
import { DeployError, formatProblem, type Locate, locateProblems, ProblemsError } from "./errors.js";
import { getInputs, type Inputs } from "./inputs.js";
import { type Plan, readPlan } from "./plan.js";
import { type Preflight, preflight } from "./preflight.js";
import { type Revision, registerStep } from "./register.js";
import { renderStep } from "./render.js";
import { consoleUrl, type DeployReport, type Result, renderSummary } from "./report/summary.js";
import { waitStep } from "./wait.js";

/** What the steps leave for run() to use after them, whether they finished or threw. */
interface RunState {
  report: DeployReport;
  clients?: Clients;
  /** Places problems about config keys in the config file, once it has been read. */
  locate?: Locate;
}

export async function run(): Promise<void> {
  const startedAt = Date.now();
  const state: RunState = {
    report: {
      configPath: "",
      images: [],
      secretNames: [],
      digests: [],
      result: "not-started",
      details: [],
      durationMs: 0,
    },
  };
  const cancel = abortOnSignals();
  try {
    const inputs = getInputs();
    state.report.configPath = inputs.config;
    await deploy(inputs, state, cancel.signal);
  } catch (error) {
    fail(error, state);
  } finally {
    cancel.dispose();
    state.report.durationMs = Date.now() - startedAt;
    if (state.clients) destroyClients(state.clients);
    await writeSummary(state.report);
  }
}

/** The happy path, in order; any throw ends it. */
async function deploy(inputs: Inputs, state: RunState, signal: AbortSignal): Promise<void> {
  const { report } = state;
  const plan = await core.group("Read config", async () => planStep(inputs, report));
  state.locate = plan.locate;
  const { config } = plan;
  const clients = makeClients({ region: config.region, endpoint: inputs.endpoint });
  state.clients = clients;

  const checked = await core.group("Pre-flight checks", () => preflightStep(clients, plan, inputs, report));
  const decision = decideChanges(checked, {
    forceNewDeployment: inputs.forceNewDeployment,
    desiredCount: config.desired_count,
  });
  await core.group(inputs.dryRun ? "Dry run: what would be deployed" : "Render task definition", async () =>
    renderStep(checked, report, { decision, dir: inputs.tempDir, dryRun: inputs.dryRun }),
  );
  if (inputs.dryRun) return finish(report, "dry-run", "Dry run: every check passed; nothing was changed in AWS");

  stopIfCancelled(signal, report, "before anything was registered: nothing was changed in AWS");
  const revision = await core.group("Register task definition", () => registerStep(clients.ecs, checked, decision));
  report.taskDefinitionArn = revision.arn;
  if (!decision.deployBecause)
    return keepRevision({ inputs, config, clients, decision, revision, checked, state, signal });

  stopIfCancelled(signal, report, `before UpdateService: ${revision.arn} is registered, the service was not updated`);
  const started = await core.group("Update service", () => updateStep(clients, config, revision.arn));
  report.deploymentId = started.deploymentId;
  if (!inputs.wait) return finish(report, "started", "Not waiting for the rollout (wait: false)");

  await waitStep({ clients, inputs, config, deploymentId: started.deploymentId, revision, checked, report, signal });
  if (inputs.keepRevisions > 0) {
    await core.group("Clean up old revisions", () => cleanUpStep(clients, config, inputs, revision.arn, checked));
  }
}

interface KeepArgs {
  inputs: Inputs;
  config: Config;
  clients: Clients;
  decision: Decision;
  revision: Revision;
  checked: Preflight;
  state: RunState;
  signal: AbortSignal;
}

/**
 * The service runs the rendered revision already: nothing to deploy, or only the desired count to set. New tasks
 * of a count raised (from 0, say) have never run: with `wait`, they are watched like a rollout, on the deployment
 * that starts them.
 */
async function keepRevision(args: KeepArgs): Promise<void> {
  const { inputs, config, clients, state, signal } = args;
  const desiredCount = scaleOnly(args.decision);
  if (desiredCount === undefined) return finish(state.report, "unchanged", "Nothing to deploy: see the plan above");
  stopIfCancelled(signal, state.report, "before UpdateService: the desired count was not changed");
  const deploymentId = await core.group("Scale service", () =>
    scaleService(clients.ecs, { ...target(config), desiredCount }),
  );
  if (inputs.wait && deploymentId) {
    const { revision, checked: c } = args;
    await waitStep({ clients, inputs, config, deploymentId, revision, checked: c, report: state.report, signal });
  }
  finish(state.report, "scaled", `Desired count set to ${desiredCount}; the task definition did not change`);
}

const target = (config: Config) => ({ cluster: config.cluster, service: config.service });

function finish(report: DeployReport, result: Result, message: string): void {
  report.result = result;
  core.setOutput("result", result);
  core.info(message);
}

/** The runner sent SIGINT/SIGTERM before the step that changes AWS: stop there, and say what was (not) changed. */
function stopIfCancelled(signal: AbortSignal, report: DeployReport, where: string): void {
  if (!signal.aborted) return;
  report.result = "cancelled";
  throw new DeployError(`Cancelled ${where}`);
}

function planStep(inputs: Inputs, report: DeployReport): Plan {
  const plan = readPlan(inputs);
  const { config: c } = plan;
  Object.assign(report, { service: c.service, cluster: c.cluster, region: c.region, images: [...plan.images] });
  core.info(`${inputs.config}: service ${c.service} in cluster ${c.cluster}, ${c.region}, account ${c.account}`);
  core.info(`Task family ${c.family}, ${c.cpu} CPU units, ${c.memory} MiB, ${c.cpu_architecture}`);
  for (const [container, uri] of plan.images) core.info(`Container ${container}: ${uri}`);
  if (inputs.keepRevisions > 0 && !inputs.wait) {
    // Clean-up needs a rollout proven good: the revision it keeps as "the one before" must be the last good one.
    core.notice(
      "keep-revisions is ignored with wait: false: old revisions are cleaned up only after a waited-for success",
    );
  }
  return plan;
}

async function preflightStep(clients: Clients, plan: Plan, inputs: Inputs, report: DeployReport): Promise<Preflight> {
  const { config } = plan;
  const checked = await preflight(clients, plan, { pin: inputs.pinImages });
  report.previousTaskDefinition = checked.target.taskDefinition;
  report.secretNames = checked.secrets.map((s) => s.name);
  core.info(`Service ${config.service} in ${config.cluster} runs ${checked.target.taskDefinition ?? "nothing yet"}`);
  core.info(`Secrets under ${config.secrets_path}: ${report.secretNames.join(", ") || "none"}`);
  core.info("Account, cluster, service, images, load balancers and secrets: all checks passed");
  return checked;
}

async function updateStep(clients: Clients, config: Config, taskDefinitionArn: string) {
  const started = await updateService(clients.ecs, {
    ...target(config),
    taskDefinitionArn,
    desiredCount: config.desired_count,
  });
  core.setOutput("deployment-id", started.deploymentId);
  const url = consoleUrl(config.region, config.cluster, config.service);
  core.info(`Deployment ${started.deploymentId} started; follow it at ${url}`);
  return started;
}

async function cleanUpStep(clients: Clients, config: Config, inputs: Inputs, ours: string, checked: Preflight) {
  // Never ours, nor the one it replaced: the rollback target must survive.
  const inUse = [ours, checked.target.taskDefinition ?? ""].filter(Boolean);
  const result = await cleanUpRevisions(clients.ecs, config.family, inputs.keepRevisions, inUse);
  core.info(`Deregistered ${result.deregistered.length} old revision(s): ${result.deregistered.join(", ") || "none"}`);
  for (const problem of result.problems) core.notice(problem);
}

function fail(error: unknown, { report, locate }: RunState): void {
  if (report.result === "started" || report.result === "not-started") report.result = "failed";
  core.setOutput("result", report.result);
  if (error instanceof ProblemsError) {
    const problems = locate ? locateProblems(error.problems, locate) : error.problems;
    // One annotation per problem, at its file and line: the first one is the first error line.
    for (const problem of problems) core.error(formatProblem(problem), annotation(problem.location));
    report.message = problems[0]?.message ?? error.message;
    report.details = problems.slice(1).map(formatProblem);
    core.setFailed(`${error.name}: ${problems.length} problem(s); nothing was changed in AWS`);
    return;
  }
  const message = error instanceof Error ? error.message : `Unexpected failure: ${String(error)}`;
  report.message = message;
  const details = error instanceof DeployError ? error.details : [];
  report.details = details;
  core.setFailed([message, ...details].join("\n"));
}

function annotation(location: { file: string; line: number; column: number } | undefined): core.AnnotationProperties {
  if (!location) return {};
  return { file: location.file, startLine: location.line, startColumn: location.column, title: "deploy-action" };
}

async function writeSummary(report: DeployReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(renderSummary(report)).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}

/** The runner sends SIGINT, then SIGTERM, on cancel: stop waiting and report where the rollout stands. */
function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: string) => {
    core.warning(`Received ${name}: the deploy was cancelled; ECS goes on with the rollout on its own.`);
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
