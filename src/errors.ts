// Typed errors. Each carries what a user needs to act on it; only main.ts turns them into
// core.setFailed / annotations, so every other module stays free of @actions/*.
import type { FailedResult } from "./result.js";

/** Where in a user's file a problem is, for a GitHub annotation. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One problem found in the inputs or the config. */
export interface Problem {
  message: string;
  /** Dotted key path in the config (`containers.nginx.port`) or the input name (`images`). */
  key?: string;
  location?: SourceLocation;
}

/** Base class: a problem list, so that every problem is reported at once. */
export class ProblemsError extends Error {
  readonly problems: Problem[];
  constructor(summary: string, problems: Problem[]) {
    super(problems.length === 1 && problems[0] ? problems[0].message : `${summary}:\n${listProblems(problems)}`);
    this.problems = problems;
  }
}

/** The action's inputs are wrong: nothing was sent to AWS. */
export class InputError extends ProblemsError {
  override name = "InputError";
}

/** The TOML config is wrong: nothing was sent to AWS. */
export class ConfigError extends ProblemsError {
  override name = "ConfigError";
}

/** A check against AWS failed before anything was changed. */
export class PreflightError extends ProblemsError {
  override name = "PreflightError";
}

/**
 * The deploy started but did not succeed; `details` are the lines printed under the first one, and `result` the
 * run's result when it is more than `failed` (the rollout timed out, the run was cancelled, a revision is registered
 * and not deployed).
 */
export class DeployError extends Error {
  override name = "DeployError";
  readonly details: string[];
  readonly result: FailedResult | undefined;
  constructor(message: string, details: string[] = [], result?: FailedResult) {
    super(message);
    this.details = details;
    this.result = result;
  }
}

export function listProblems(problems: Problem[]): string {
  return problems.map((p) => `  - ${formatProblem(p)}`).join("\n");
}

export function formatProblem(p: Problem): string {
  const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.column}: ` : "";
  return `${where}${p.message}`;
}

/** Where a config key is written in the file, or undefined when the file does not write it. */
export type Locate = (key: string) => SourceLocation | undefined;

/** Problems that name a config key, placed at that key in the file (the config's own problems carry a place). */
export function locateProblems(problems: readonly Problem[], locate: Locate): Problem[] {
  return problems.map((p) => {
    const location = p.location ?? (p.key ? locate(p.key) : undefined);
    return location ? { ...p, location } : p;
  });
}
