// The only reader of the action's inputs: everything else gets the typed object returned here.
import { tmpdir } from "node:os";
import * as core from "@actions/core";
import { InputError, type Problem } from "./errors.js";
import { revisionRef } from "./preflight/revision.js";
import { oneLine } from "./text/inert.js";

export type OnFailure = "rollback" | "leave";
export type WaitUntil = "completed" | "live";
export type Answer = "continue" | "rollback";

export interface Inputs {
  /** Path of the TOML config, as the user wrote it (relative to the workspace). */
  config: string;
  /** Raw `images` input; parsed against the config by plan/images/input.ts. */
  images: string;
  /** An existing revision to deploy as it is (`web:2` or its ARN), instead of rendering one from `images`. */
  taskDefinition?: string | undefined;
  wait: boolean;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  /** `completed`: ECS's COMPLETED (the old revision drained); `live`: our revision serves every request. */
  waitUntil: WaitUntil;
  maxFailedTasks: number;
  onFailure: OnFailure;
  forceNewDeployment: boolean;
  dryRun: boolean;
  /** Name ECR images by digest in the task definition. */
  pinImages: boolean;
  /** Keep this many newest revisions of the family after a successful deploy; 0 keeps all. */
  keepRevisions: number;
  /** The environment's name, for the `record` output (the app's summary); empty: none. */
  environment: string;
  /** A service deployment whose pause hook this run answers, instead of deploying (see docs/strategies.md). */
  continueArn: string | undefined;
  answer: Answer;
  /** Where the rendered task definition is written. */
  tempDir: string;
  /** Where relative config paths start: the checkout. */
  workspace: string;
  /** false on the command line: the user names any config file; the action's files stay in the workspace. */
  confined?: boolean | undefined;
  /** Custom AWS endpoint (a local moto server in tests and the demo). */
  endpoint: string | undefined;
  /** For the commits and pull requests this deploy ships; undefined when there is none. */
  githubToken: string | undefined;
  /** Shortens the retries of the calls that change AWS (tests only; see environment). */
  retryScale?: number | undefined;
}

/**
 * action.yml's inputs with their defaults, as one table: an empty value means the default, as in actions/checkout
 * and actions/setup-node, because workflows forward empty values (`wait-timeout: ${{ inputs.timeout }}`). A test
 * keeps this table and action.yml equal.
 */
export const ACTION_INPUTS = {
  config: { required: true },
  images: { default: "" },
  "task-definition": { default: "" },
  wait: { default: "true" },
  "wait-timeout": { default: "30" },
  "poll-interval": { default: "5" },
  "wait-until": { default: "completed" },
  "max-failed-tasks": { default: "3" },
  "on-failure": { default: "rollback" },
  "force-new-deployment": { default: "false" },
  "dry-run": { default: "false" },
  "pin-images": { default: "true" },
  "keep-revisions": { default: "0" },
  environment: { default: "" },
  continue: { default: "" },
  answer: { default: "continue" },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, which the runner evaluates.
  "github-token": { default: "${{ github.token }}" },
} as const satisfies Record<string, { required: true } | { default: string }>;

export type InputName = keyof typeof ACTION_INPUTS;

/** Where the run happens: the runner's temp folder and workspace, or a terminal's. */
export interface Environment {
  tempDir: string;
  workspace: string;
  confined?: boolean | undefined;
  endpoint: string | undefined;
  retryScale?: number | undefined;
}

export function environment(env: NodeJS.ProcessEnv = process.env): Environment {
  // DEPLOY_ACTION_RETRY_SCALE: the end-to-end tests' knob, which only shortens the retries' waits (aws/retry.ts).
  const retryScale = Number(env.DEPLOY_ACTION_RETRY_SCALE);
  return {
    tempDir: env.RUNNER_TEMP || tmpdir(),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    endpoint: env.AWS_ENDPOINT_URL || undefined,
    ...(retryScale > 0 && retryScale < 1 ? { retryScale } : {}),
  };
}

/** Reads every input on the runner, reporting all problems together. */
export function getInputs(): Inputs {
  return parseInputs((name) => core.getInput(name), environment());
}

/** Every input through `raw` (empty: the default), reporting all problems together. */
export function parseInputs(raw: (name: InputName) => string, where: Environment): Inputs {
  const problems: Problem[] = [];
  const read = <T>(name: InputName, parse: (value: string) => T, fallback: T, emptyIsDefault = true): T => {
    const given = raw(name);
    const fallbackText = emptyIsDefault ? defaultOf(name) : undefined;
    try {
      return parse(given.trim() === "" && fallbackText !== undefined ? fallbackText : given);
    } catch (error) {
      problems.push({ key: name, message: `input \`${name}\`: ${(error as Error).message}` });
      return fallback;
    }
  };
  const continueArn = read("continue", serviceDeploymentArn, undefined);
  const taskDefinition = read("task-definition", taskDefinitionRef, undefined);
  // Given but mistyped, it is still the user's choice over images: its own problem is the one to report.
  const revisionGiven = raw("task-definition").trim() !== "";
  const inputs: Inputs = {
    config: read("config", required, ""),
    // Answering a pause deploys nothing: the images are the paused deployment's. An existing revision has its own.
    images: read("images", continueArn ? (raw) => raw.trim() : revisionGiven ? notWith : imagesRequired, ""),
    ...(taskDefinition ? { taskDefinition } : {}),
    wait: read("wait", boolean, true),
    waitTimeoutMs: read("wait-timeout", (raw) => number(raw, 0.05, 24 * 60) * 60_000, 0),
    pollIntervalMs: read("poll-interval", (raw) => number(raw, 1, 300) * 1000, 0),
    waitUntil: read("wait-until", oneOf(["completed", "live"] as const), "completed"),
    maxFailedTasks: read("max-failed-tasks", (raw) => integer(raw, 1, 100), 0),
    onFailure: read("on-failure", oneOf(["rollback", "leave"] as const), "rollback"),
    forceNewDeployment: read("force-new-deployment", boolean, false),
    dryRun: read("dry-run", boolean, false),
    pinImages: read("pin-images", boolean, true),
    keepRevisions: read("keep-revisions", (raw) => integer(raw, 0, 1000), 0),
    environment: read("environment", (raw) => raw.trim(), ""),
    continueArn,
    // Answering a pause, the answer is said, never assumed: an empty one (a workflow forwarding a blank input)
    // would otherwise let a pause through that nobody approved. The runner fills in action.yml's default when the
    // input is not given at all.
    answer: read("answer", oneOf(["continue", "rollback"] as const), "continue", !continueArn),
    githubToken: read("github-token", token, undefined),
    ...where,
  };
  if (problems.length > 0) throw new InputError("The action's inputs are invalid", problems);
  return inputs;
}

/** The default action.yml declares for an input; undefined for a required one. */
export function defaultOf(name: InputName): string | undefined {
  const spec = ACTION_INPUTS[name];
  return "default" in spec ? spec.default : undefined;
}

function required(raw: string): string {
  const value = raw.trim();
  if (!value) throw new Error("is required");
  return value;
}

function imagesRequired(raw: string): string {
  if (raw.trim() === "") throw new Error("is required, unless `task-definition` names an existing revision to deploy");
  return raw.trim();
}

/** `images` beside `task-definition`: two answers to "what to deploy", so neither is chosen for the user. */
function notWith(raw: string): string {
  if (raw.trim() === "") return "";
  throw new Error(
    "and input `task-definition` are both given: `task-definition` deploys an existing revision with its own images; give `images` to render a new revision, or `task-definition`, not both",
  );
}

function taskDefinitionRef(raw: string): string | undefined {
  return raw.trim() === "" ? undefined : revisionRef(raw);
}

/** `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>`, or nothing. */
function serviceDeploymentArn(raw: string): string | undefined {
  const value = raw.trim();
  if (value === "") return undefined;
  if (!/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service-deployment\/[\w-]+\/[\w-]+\/[\w-]+$/.test(value)) {
    throw new Error(
      `expected a service deployment ARN (arn:aws:ecs:…:service-deployment/<cluster>/<service>/<id>), got "${oneLine(raw)}"`,
    );
  }
  return value;
}

// Our own parser instead of core.getBooleanInput: that one throws on "" and names no input.
function boolean(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (["true", "yes", "1"].includes(value)) return true;
  if (["false", "no", "0"].includes(value)) return false;
  throw new Error(`expected true or false, got "${oneLine(raw)}"`);
}

/** The runner fills in `${{ github.token }}`; off the runner the default arrives unevaluated, and means no token. */
function token(raw: string): string | undefined {
  const value = raw.trim();
  return value === "" || value.startsWith("${{") ? undefined : value;
}

/** Decimal digits with an optional fraction: never hex (0x10 is not 16 minutes), exponents, nan or inf. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function number(raw: string, min: number, max: number): number {
  const text = raw.trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`expected a number from ${min} to ${max}, got "${oneLine(raw)}"`);
  }
  if (!DECIMAL.test(text)) {
    throw new Error(`expected a decimal number from ${min} to ${max}, like 10 or 2.5, got "${oneLine(raw)}"`);
  }
  return value;
}

function integer(raw: string, min: number, max: number): number {
  const value = number(raw, min, max);
  if (!Number.isInteger(value)) throw new Error(`expected a whole number from ${min} to ${max}, got "${oneLine(raw)}"`);
  return value;
}

function oneOf<const T extends string>(choices: readonly T[]): (raw: string) => T {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    const match = choices.find((c) => c === value);
    if (!match) throw new Error(`expected one of ${choices.join(", ")}, got "${oneLine(raw)}"`);
    return match;
  };
}
