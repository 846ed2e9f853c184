// `deploy-action resolve CONFIG...`: the merged config of each file, as JSON, read by the action's own loader (so
// `extends`, the universe and every check apply as they do in a deploy). The reusable workflow runs it to plan its
// waves: with --github-output it also writes, from the same configs, what its jobs run with (plan/run/workflow.ts).
import { appendFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type Problem, ProblemsError } from "./errors.js";
import type { Host } from "./host/host.js";
import { terminalHost } from "./host/terminal.js";
import { MAX_WAVES, planTable, type ResolvedConfig, type WorkflowPlan, workflowPlan } from "./plan/run/workflow.js";
import { expandConfigPaths, loadConfigFile } from "./workspace.js";

export const RESOLVE_USAGE = [
  "Usage: deploy-action resolve CONFIG... [options]",
  "",
  "Prints the merged config of each CONFIG (a TOML file, or a glob such as 'applications/web/jobs/*-prod.toml',",
  "expanded in sorted order; one argument may list several, one per line) as a JSON list: one object per file,",
  "with `config` (its path) and every key the loader gives, `extends` merged in. Exits 1 with each problem at its",
  "file:line when a config is wrong.",
  "",
  "Options:",
  "  --workspace DIR           Read as the action does in CI: paths relative to DIR, and every file inside it",
  "  --github-output           Also write the reusable workflow's plan (its waves) to $GITHUB_OUTPUT, from:",
  "  --version V               the version to deploy (an image tag or digest)",
  "  --image TEMPLATE          the image, with {version}, {account}, {region}, {service}",
  "  --task-definition REV     or an existing revision (web:2) of the one CONFIG, deployed as it is",
  "  --wait-timeout MINUTES    the wait, for each job's timeout and AWS session (with its pre-deploy tasks)",
  "  --environment NAME        the GitHub environment, for the concurrency groups",
  "",
].join("\n");

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  workspace: { type: "string" },
  "github-output": { type: "boolean" },
  version: { type: "string", default: "" },
  image: { type: "string", default: "" },
  "task-definition": { type: "string", default: "" },
  "wait-timeout": { type: "string", default: "30" },
  environment: { type: "string", default: "" },
} satisfies ParseArgsConfig["options"];

/** Runs `resolve`; resolves to its exit code (2: usage, 1: a config or setting is wrong). */
export async function resolveCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n${RESOLVE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(RESOLVE_USAGE);
    return 0;
  }
  // One argument may hold several configs, one per line: the reusable workflow's `config` input, passed whole.
  const paths = positionals.flatMap((arg) => arg.split("\n").map((line) => line.trim())).filter(Boolean);
  if (paths.length === 0) {
    process.stderr.write(`error: expected at least one config file\n${RESOLVE_USAGE}`);
    return 2;
  }
  const host = terminalHost({ env, out: (text) => void process.stderr.write(text) });
  try {
    const configs = resolveConfigs(paths, values.workspace);
    process.stdout.write(`${JSON.stringify(configs, null, 2)}\n`);
    if (values["github-output"]) {
      const plan = workflowPlan(configs, {
        version: values.version,
        image: values.image,
        taskDefinition: values["task-definition"],
        waitTimeout: values["wait-timeout"],
        environment: values.environment,
      });
      writeWorkflowOutputs(env, configs, plan);
      writePlanSummary(env, plan);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ProblemsError)) throw error;
    report(host, error.problems);
    return 1;
  }
}

/**
 * Each config (globs expanded) through the action's loader. `workspace` given: confined to it, as the action reads a
 * checkout; otherwise any path, relative to the current directory. Every file's problems are reported together.
 */
export function resolveConfigs(patterns: readonly string[], workspace?: string): ResolvedConfig[] {
  const root = resolvePath(workspace ?? ".");
  const confined = workspace !== undefined;
  const { paths, unmatched } = expandConfigPaths(root, patterns);
  const problems: Problem[] = unmatched.map((pattern) => ({
    key: "config",
    message: `no config file matches \`${pattern}\` (from ${root}): check the pattern`,
  }));
  const configs: ResolvedConfig[] = [];
  for (const path of paths) {
    try {
      const { config } = loadConfigFile(root, path, confined);
      const { account, region, cluster, service, ...rest } = config;
      configs.push({ config: path, account, region, cluster, service, ...rest });
    } catch (error) {
      if (!(error instanceof ProblemsError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ProblemsError(`${problems.length} problems in the configs`, problems);
  return configs;
}

/** One line each: JSON keeps every value on it, so nothing a config holds can start an output of its own. */
function writeWorkflowOutputs(env: NodeJS.ProcessEnv, configs: readonly ResolvedConfig[], plan: WorkflowPlan): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) throw new ProblemsError("no GITHUB_OUTPUT", [{ message: "--github-output: GITHUB_OUTPUT is not set" }]);
  const lines = [
    `plan=${JSON.stringify(configs)}`,
    `waves=${plan.waves.length}`,
    ...plan.waves.slice(0, MAX_WAVES).map((wave, i) => `wave-${i + 1}=${JSON.stringify({ include: wave })}`),
  ];
  appendFileSync(file, `${lines.join("\n")}\n`);
}

/** What a reviewer approves: the services, in their waves, with the image (or revision) each gets. */
function writePlanSummary(env: NodeJS.ProcessEnv, plan: WorkflowPlan): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, planTable(plan));
}

function report(host: Host, problems: readonly Problem[]): void {
  for (const problem of problems) host.error(problem.message, problem.location);
}
