// run(): each step in a core.group, outputs as soon as they exist, a job summary whatever happens,
// and the one place that fails the step.
import * as core from "@actions/core";
import { type Clients, destroyClients, makeClients } from "./aws.js";
import { updateService } from "./deploy.js";
import { DeployError, formatProblem, ProblemsError } from "./errors.js";
import { getInputs, type Inputs } from "./inputs.js";
import { readPlan } from "./plan.js";
import { preflight } from "./preflight.js";
import { registerStep } from "./register.js";
import { consoleUrl, type DeployReport, renderSummary } from "./report/summary.js";
import { waitStep } from "./wait.js";

export async function run(): Promise<void> {
  const startedAt = Date.now();
  const report: DeployReport = {
    configPath: "",
    images: [],
    secretNames: [],
    result: "not-started",
    details: [],
    durationMs: 0,
  };
  const cancel = abortOnSignals();
  let clients: Clients | undefined;
  try {
    const inputs = getInputs();
    report.configPath = inputs.config;
    clients = await deploy(inputs, report, cancel.signal);
  } catch (error) {
    fail(error, report);
  } finally {
    cancel.dispose();
    report.durationMs = Date.now() - startedAt;
    if (clients) destroyClients(clients);
    await writeSummary(report);
  }
}

/** The happy path, in order; any throw ends it. Returns the clients so run() can close them. */
async function deploy(inputs: Inputs, report: DeployReport, signal: AbortSignal): Promise<Clients> {
  const plan = await core.group("Read config", async () => readPlan(inputs));
  const { config } = plan;
  Object.assign(report, { service: config.service, cluster: config.cluster, region: config.region });
  report.images = [...plan.images];
  const clients = makeClients({ region: config.region, endpoint: inputs.endpoint });

  const checked = await core.group("Check cluster, service and secrets", async () => {
    const result = await preflight(clients, config);
    core.info(`Service ${config.service} in ${config.cluster} runs ${result.target.taskDefinition ?? "nothing yet"}`);
    core.info(`Secrets under ${config.secrets_path}: ${result.secrets.map((s) => s.name).join(", ") || "none"}`);
    return result;
  });
  report.previousTaskDefinition = checked.target.taskDefinition;
  report.secretNames = checked.secrets.map((s) => s.name);

  const registered = await core.group("Register task definition", () =>
    registerStep(clients.ecs, plan, checked.secrets),
  );
  report.taskDefinitionArn = registered.arn;

  const started = await core.group("Update service", async () => {
    const result = await updateService(clients.ecs, {
      cluster: config.cluster,
      service: config.service,
      taskDefinitionArn: registered.arn,
      desiredCount: config.desired_count,
    });
    core.setOutput("deployment-id", result.deploymentId);
    core.info(
      `Deployment ${result.deploymentId} started; follow it at ${consoleUrl(config.region, config.cluster, config.service)}`,
    );
    return result;
  });
  report.deploymentId = started.deploymentId;
  report.result = "started";
  if (!inputs.wait) {
    core.setOutput("result", "started");
    return clients;
  }
  await waitStep({ clients, inputs, config, deploymentId: started.deploymentId, registered, checked, report, signal });
  return clients;
}

function fail(error: unknown, report: DeployReport): void {
  if (report.result === "started" || report.result === "not-started") report.result = "failed";
  core.setOutput("result", report.result);
  if (error instanceof ProblemsError) {
    // One annotation per problem, at its file and line: the first one is the first error line.
    for (const problem of error.problems) core.error(formatProblem(problem), annotation(problem.location));
    report.message = error.problems[0]?.message ?? error.message;
    report.details = error.problems.slice(1).map(formatProblem);
    core.setFailed(`${error.name}: ${error.problems.length} problem(s); nothing was changed in AWS`);
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
