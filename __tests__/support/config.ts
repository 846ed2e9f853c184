import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../../src/config/index.js";
import { ConfigError, type Problem } from "../../src/errors.js";
import { loadConfig } from "../../src/workspace.js";

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));
}

/** The folder of the config fixtures: the workspace they are read from. */
export const fixturesDir = fixturePath("");

/** The guide's seven required keys, to add one more line to. */
export const guideToml = readFileSync(fixturePath("guide.toml"), "utf8");

/** The problems of the ConfigError that `run` throws; fails the test if it throws nothing or something else. */
export function problemsOf(run: () => unknown): Problem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError, but the config was accepted");
}

/** Problems in a fixture file, named by its bare file name as the action would name it. */
export function fixtureProblems(name: string): Problem[] {
  return problemsOf(() => loadConfig(fixturesDir, name));
}

/** Problems in the guide's file with `extra` appended. */
export function guideProblems(extra: string): Problem[] {
  return problemsOf(() => parseConfig(`${guideToml}${extra}`, "deploy.toml"));
}
