// The command line, `deploy-action CONFIG IMAGE... [options]`: the drop-in successor of the guide's
// `python deploy.py config.toml IMAGE_URI`. Its arguments become the action's own Inputs (through parseInputs, with
// the same defaults and checks), and the same run() deploys in a terminal: same steps, same first error line.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type AppCommand, runApp } from "./app/deploy.js";
import type { RollbackCommand } from "./app/rollback.js";
import { runSummarize } from "./app/summarize.js";
import { optionProblem, swappedArguments } from "./cli-hints.js";
import { InputError } from "./errors.js";
import { terminalHost } from "./host/terminal.js";
import { defaultOf, environment, type InputName, type Inputs, parseInputs } from "./inputs.js";
import { run } from "./main.js";
import { revisionRef } from "./preflight/revision.js";
import { resolveCommand } from "./resolve.js";

/**
 * The subcommands, by their first argument; anything else is the deploy form `deploy-action CONFIG IMAGE...`. Each
 * takes the rest of the arguments and resolves to its exit code.
 */
const SUBCOMMANDS: Record<string, (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<number>> = {
  resolve: resolveCommand,
  summarize: (argv, env) => runSummarize(argv, { env }),
  // Seldom run: chunks of their own, loaded when asked for (src/lazy.ts), so a deploy's start-up does not compile them.
  history: async (argv, env) => (await import("./app/history.js")).historyCommand(argv, { env, cwd: process.cwd() }),
  rollback: rollbackCommand,
};

interface Option {
  /** The input the option sets. */
  input: InputName;
  /** A flag sets the input to this value; an option with a value (`type: "string"`) passes it on. */
  flag?: string;
  value?: string;
  help: string;
}

/** Each option and the action input it sets: the CLI has no setting the action lacks. */
const OPTIONS: Record<string, Option> = {
  "dry-run": { input: "dry-run", flag: "true", help: "Run every check, show the diff and the plan; change nothing" },
  "no-wait": { input: "wait", flag: "false", help: "Do not wait for the rollout (the result is `started`)" },
  "wait-timeout": { input: "wait-timeout", value: "MINUTES", help: "Minutes to wait for the rollout before failing" },
  "poll-interval": { input: "poll-interval", value: "SECONDS", help: "Seconds between checks of the rollout" },
  "max-failed-tasks": { input: "max-failed-tasks", value: "N", help: "Fail once N tasks of the new revision stopped" },
  "on-failure": { input: "on-failure", value: "WHAT", help: "`rollback` to the revision before, or `leave` it" },
  "force-new-deployment": {
    input: "force-new-deployment",
    flag: "true",
    help: "Deploy even when the service runs this revision already",
  },
  "no-pin-images": { input: "pin-images", flag: "false", help: "Keep image tags; do not pin ECR images by digest" },
  "keep-revisions": { input: "keep-revisions", value: "N", help: "After a success, keep the newest N revisions" },
  environment: { input: "environment", value: "NAME", help: "The environment's name, for the summary table" },
  "task-definition": {
    input: "task-definition",
    value: "REV",
    help: "Deploy REV, an existing revision (web:2 or its ARN), as it is, instead of IMAGE",
  },
};

/** The options of the app form (several configs), which set no input of the action. */
const APP_OPTIONS = {
  image: { value: "TEMPLATE", help: "Deploy every CONFIG with this image: {service}, {account}, {region}, {version}" },
  version: { value: "VERSION", help: "What {version} in --image stands for: an image tag" },
} as const;

/** The deploy's options a rollback takes: not those that choose, render, pin or clean up a revision. */
const NOT_FOR_ROLLBACK = new Set(["task-definition", "force-new-deployment", "no-pin-images", "keep-revisions"]);
const ROLLBACK_OPTIONS = Object.keys(OPTIONS).filter((name) => !NOT_FOR_ROLLBACK.has(name));

export const ROLLBACK_USAGE = [
  "Usage: deploy-action rollback CONFIG [--to REV] [options]",
  "",
  "Deploys the revision the service ran before the one it runs now, or REV (web:41 or its ARN), exactly as",
  "`deploy-action CONFIG --task-definition REV` does: it says first what it deploys and from what, then the same",
  "pre-flight, update, wait, and rollback on failure. The revision before: the one of the service's last successful",
  "deployment of another revision (ECS's service deployments); where ECS lists none, the family's newest ACTIVE",
  "revision below the current one. `deploy-action history CONFIG` lists them.",
  "",
  "Options:",
  `  ${"--to REV".padEnd(26)}The revision to go back to (default: the one before the current)`,
  ...ROLLBACK_OPTIONS.map((name) => optionLine(name)),
  `  ${"-h, --help".padEnd(26)}Show this help`,
  "",
].join("\n");

export const USAGE = [
  "Usage: deploy-action CONFIG IMAGE... [options]",
  "       deploy-action CONFIG --task-definition REV [options]",
  "       deploy-action CONFIG... --image TEMPLATE [--version VERSION] [options]",
  "       deploy-action resolve CONFIG... [options]   (print the merged configs as JSON: resolve --help)",
  "       deploy-action summarize --plan PLAN.json RECORD.json...",
  "       deploy-action history CONFIG [--limit N]    (the service's recent deployments: history --help)",
  "       deploy-action rollback CONFIG [--to REV]    (back to the revision before, or REV: rollback --help)",
  "",
  "Deploys the service that CONFIG (a TOML file) describes to AWS ECS on Fargate, with IMAGE for its main container",
  "(name=IMAGE for a sidecar), then waits until the rollout succeeded or failed, and says why it failed. The same",
  "checks, steps and messages as the GitHub Action ocf/deploy-action, which this is the command line of.",
  "",
  "With --image, each CONFIG (a path or a glob) is a service of one app: they deploy in waves by their",
  "deploy_order (lower first, the same number side by side), a wave only after the one before succeeded, and a",
  "table of every service ends the run.",
  "",
  "Options:",
  ...Object.entries(APP_OPTIONS).map(([name, o]) => `  ${`--${name} ${o.value}`.padEnd(26)}${o.help}`),
  ...Object.keys(OPTIONS).map((name) => optionLine(name)),
  `  ${"-h, --help".padEnd(26)}Show this help`,
  "",
  "AWS credentials come the usual SDK way (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an SSO",
  "session from `aws sso login`, ...); the region comes from CONFIG. AWS_ENDPOINT_URL points at another endpoint.",
  "Exit status: 0 when the deploy succeeded or had nothing to change, 1 when it failed, 2 for a usage error.",
  "",
  "Example:",
  "  deploy-action config.toml 879613780019.dkr.ecr.us-east-1.amazonaws.com/app:r254",
  "  deploy-action config.toml --task-definition web:41   (back to revision 41, exactly as it was)",
  "  deploy-action rollback config.toml                    (back to the revision before the current one)",
  "",
].join("\n");

/** An option's line in a help text, with its default. */
function optionLine(name: string): string {
  const o = OPTIONS[name];
  if (!o) throw new Error(`no option ${name}`);
  const given = defaultOf(o.input);
  const fallback = o.value && given ? ` (default ${given})` : "";
  return `  ${`--${name}${o.value ? ` ${o.value}` : ""}`.padEnd(26)}${o.help}${fallback}`;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export type Command =
  | { kind: "help" }
  | { kind: "deploy"; raw: Partial<Record<InputName, string>> }
  | ({ kind: "app" } & AppCommand);

export function parseCommandLine(argv: readonly string[]): Command {
  const options: ParseArgsConfig["options"] = { help: { type: "boolean", short: "h" } };
  for (const [name, o] of Object.entries(OPTIONS)) options[name] = { type: o.value ? "string" : "boolean" };
  for (const name of Object.keys(APP_OPTIONS)) options[name] = { type: "string" };
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }));
  } catch (error) {
    throw new UsageError(optionProblem(error, Object.keys(options)));
  }
  if (values.help) return { kind: "help" };
  const raw = rawInputs(values, Object.keys(OPTIONS));
  const { image, version } = values;
  if (typeof image === "string") {
    if (positionals.length === 0) throw new UsageError("expected at least one config file (or glob) with --image");
    return {
      kind: "app",
      configs: positionals,
      template: image,
      version: typeof version === "string" ? version : undefined,
      raw,
    };
  }
  if (version !== undefined) throw new UsageError("--version fills {version} in --image: give --image too");
  const swapped = swappedArguments(positionals);
  if (swapped) throw new UsageError(swapped);
  const [config, ...images] = positionals;
  // With --task-definition the images are the revision's; giving some too is refused by the inputs' own check.
  const revision = typeof values["task-definition"] === "string";
  if (!config || (images.length === 0 && !revision)) {
    throw new UsageError("expected a config file and at least one image (or --task-definition REV)");
  }
  return { kind: "deploy", raw: { ...raw, config, images: images.join("\n") } };
}

/** `rollback CONFIG [--to REV] [options]` → the config, the revision asked for, and the deploy's options. */
export function parseRollback(argv: readonly string[]): { kind: "help" } | ({ kind: "rollback" } & RollbackCommand) {
  const options: ParseArgsConfig["options"] = { help: { type: "boolean", short: "h" }, to: { type: "string" } };
  for (const name of ROLLBACK_OPTIONS) options[name] = { type: OPTIONS[name]?.value ? "string" : "boolean" };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(optionProblem(error, Object.keys(options)));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (positionals.length !== 1)
    throw new UsageError("expected one config file: deploy-action rollback CONFIG [--to REV]");
  const [config = ""] = positionals;
  // A workflow forwards an empty `to` when none was chosen: empty means the revision before.
  const given = typeof values.to === "string" && values.to.trim() !== "" ? values.to : undefined;
  let to: string | undefined;
  try {
    to = given === undefined ? undefined : revisionRef(given);
  } catch (error) {
    throw new UsageError(`--to: ${(error as Error).message}`);
  }
  return { kind: "rollback", config, to, raw: rawInputs(values, ROLLBACK_OPTIONS) };
}

/** The options given, as the action's inputs they set. */
function rawInputs(values: Record<string, unknown>, names: readonly string[]): Partial<Record<InputName, string>> {
  const raw: Partial<Record<InputName, string>> = {};
  for (const name of names) {
    const option = OPTIONS[name];
    const given = values[name];
    if (!option) continue;
    if (typeof given === "string") raw[option.input] = given;
    else if (given === true && option.flag) raw[option.input] = option.flag;
  }
  return raw;
}

async function rollbackCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let command: ReturnType<typeof parseRollback>;
  try {
    command = parseRollback(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(
      `error: ${error.message}\nUsage: deploy-action rollback CONFIG [--to REV] (see deploy-action rollback --help)\n`,
    );
    return 2;
  }
  if (command.kind === "help") {
    process.stdout.write(ROLLBACK_USAGE);
    return 0;
  }
  const { runRollback } = await import("./app/rollback.js");
  // The revision is the deploy's `--task-definition`; the user typed `--to`.
  const words = (text: string) => inFlags(text).replaceAll("--task-definition", "--to");
  return runRollback(command, { env, cwd: process.cwd(), words, inputsFor: (raw) => cliInputs(raw, env) });
}

/** The action's Inputs from the command line; the GitHub token, if any, from GITHUB_TOKEN. */
export function cliInputs(raw: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = process.env): Inputs {
  // The config path is the user's, relative to where they are or absolute, as for the guide's script: on a laptop
  // the user chooses the file, so it is not confined as a checkout's files are in CI.
  const where = { ...environment(env), workspace: process.cwd(), confined: false };
  const value = (name: InputName) => (name === "github-token" ? (env.GITHUB_TOKEN ?? "") : (raw[name] ?? ""));
  try {
    return parseInputs(value, where);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // The same problems, named as the user typed them: `--wait-timeout`, not the action's input.
    const problems = error.problems.map((p) => ({ ...p, message: inFlags(p.message) }));
    throw new InputError("The command line's options are invalid", problems);
  }
}

/**
 * The action's words for its settings, as this command line's user knows them: its flags and arguments. The one
 * place that maps them, so a step's message reads right in both places without knowing where it runs.
 */
const PHRASES: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  [/[Tt]he `images` input/g, "IMAGE"],
  [/input `images`/g, "IMAGE"],
  [/the `config` input/g, "CONFIG"],
  [/\(wait: false\)/g, "(--no-wait)"],
  [/with wait: false/g, "with --no-wait"],
  [/input `([a-z-]+)`/g, (_match, input = "") => optionOf(input)],
  [/check the configure-aws-credentials step/g, "check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...)"],
  [
    /raise role-duration-seconds in aws-actions\/configure-aws-credentials above wait-timeout/g,
    "use credentials that outlast --wait-timeout",
  ],
];

export function inFlags(text: string): string {
  return PHRASES.reduce((out, [pattern, to]) => out.replace(pattern, to as string), text);
}

function optionOf(input: string): string {
  const name = Object.entries(OPTIONS).find(([, o]) => o.input === input)?.[0];
  if (name) return `--${name}`;
  return input === "github-token" ? "GITHUB_TOKEN" : `\`${input}\``;
}

/** Runs the command line; resolves to its exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [first = "", ...rest] = argv;
  const subcommand = Object.hasOwn(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined;
  if (subcommand) return subcommand(rest, env);
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\nUsage: deploy-action CONFIG IMAGE... (see deploy-action --help)\n`);
    return 2;
  }
  if (command.kind === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === "app") {
    return runApp(command, { env, cwd: process.cwd(), words: inFlags, inputsFor: (raw) => cliInputs(raw, env) });
  }
  const host = terminalHost({ env, words: inFlags });
  const { raw } = command;
  await run(host, () => cliInputs(raw, env));
  return host.finish();
}
