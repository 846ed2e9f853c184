// The only reader of the action's inputs: everything else gets the typed object returned here.
import { tmpdir } from "node:os";
import * as core from "@actions/core";
import { InputError, type Problem } from "./errors.js";

export type OnFailure = "rollback" | "leave";

export interface Inputs {
  /** Path of the TOML config, as the user wrote it (relative to the workspace). */
  config: string;
  /** Raw `images` input; parsed against the config by images.ts. */
  images: string;
  wait: boolean;
  waitTimeoutMs: number;
  pollIntervalMs: number;
  maxFailedTasks: number;
  onFailure: OnFailure;
  forceNewDeployment: boolean;
  dryRun: boolean;
  /** Name ECR images by digest in the task definition. */
  pinImages: boolean;
  /** Keep this many newest revisions of the family after a successful deploy; 0 keeps all. */
  keepRevisions: number;
  /** Where the rendered task definition is written. */
  tempDir: string;
  /** Where relative config paths start: the checkout. */
  workspace: string;
  /** Custom AWS endpoint (a local moto server in tests and the demo). */
  endpoint: string | undefined;
}

/** Reads every input, reporting all problems together. */
export function getInputs(): Inputs {
  const problems: Problem[] = [];
  const read = <T>(name: string, parse: (raw: string) => T, fallback: T): T => {
    try {
      return parse(core.getInput(name));
    } catch (error) {
      problems.push({ key: name, message: `input \`${name}\`: ${(error as Error).message}` });
      return fallback;
    }
  };
  const inputs: Inputs = {
    config: read("config", required, ""),
    images: read("images", required, ""),
    wait: read("wait", boolean, true),
    waitTimeoutMs: read("wait-timeout", (raw) => number(raw, 0.05, 24 * 60) * 60_000, 0),
    pollIntervalMs: read("poll-interval", (raw) => number(raw, 1, 300) * 1000, 0),
    maxFailedTasks: read("max-failed-tasks", (raw) => integer(raw, 1, 100), 0),
    onFailure: read("on-failure", oneOf(["rollback", "leave"] as const), "rollback"),
    forceNewDeployment: read("force-new-deployment", boolean, false),
    dryRun: read("dry-run", boolean, false),
    pinImages: read("pin-images", boolean, true),
    keepRevisions: read("keep-revisions", (raw) => integer(raw, 0, 1000), 0),
    tempDir: process.env.RUNNER_TEMP || tmpdir(),
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    endpoint: process.env.AWS_ENDPOINT_URL || undefined,
  };
  if (problems.length > 0) throw new InputError("The action's inputs are invalid", problems);
  return inputs;
}

function required(raw: string): string {
  const value = raw.trim();
  if (!value) throw new Error("is required");
  return value;
}

// Our own parser instead of core.getBooleanInput: that one throws on "" and names no input.
function boolean(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (["true", "yes", "1"].includes(value)) return true;
  if (["false", "no", "0"].includes(value)) return false;
  throw new Error(`expected true or false, got "${raw}"`);
}

function number(raw: string, min: number, max: number): number {
  const value = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`expected a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function integer(raw: string, min: number, max: number): number {
  const value = number(raw, min, max);
  if (!Number.isInteger(value)) throw new Error(`expected a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function oneOf<const T extends string>(choices: readonly T[]): (raw: string) => T {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    const match = choices.find((c) => c === value);
    if (!match) throw new Error(`expected one of ${choices.join(", ")}, got "${raw}"`);
    return match;
  };
}
