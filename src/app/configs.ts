// The configs of an app, named on the command line: paths or globs (`apps/flh/*-prod.toml`), expanded and sorted,
// each read and checked before any of them deploys: a mistake in one file stops the run before AWS is touched.
import { globSync } from "node:fs";
import type { Config } from "../config/index.js";
import { ConfigError, type Problem } from "../errors.js";
import { loadConfigFile } from "../workspace.js";

export interface AppConfig {
  /** The path as named, or as a glob expanded it. */
  path: string;
  config: Config;
}

/** The problems of one file that could not be read. */
export interface BadConfig {
  path: string;
  problems: Problem[];
}

const GLOB = /[*?[{]/;

/** Each argument, or the files its glob matches (sorted); a glob that matches nothing is a problem of its own. */
export function expandConfigs(args: readonly string[], cwd: string): { paths: string[]; unmatched: string[] } {
  const paths: string[] = [];
  const unmatched: string[] = [];
  for (const arg of args) {
    if (!GLOB.test(arg)) {
      paths.push(arg);
      continue;
    }
    const found = globSync(arg, { cwd }).sort();
    if (found.length === 0) unmatched.push(arg);
    paths.push(...found);
  }
  return { paths: [...new Set(paths)], unmatched };
}

/** Every config read, or every problem found in any of them. */
export function readConfigs(paths: readonly string[], cwd: string): { configs: AppConfig[]; bad: BadConfig[] } {
  const configs: AppConfig[] = [];
  const bad: BadConfig[] = [];
  for (const path of paths) {
    try {
      configs.push({ path, config: loadConfigFile(cwd, path, false).config });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      bad.push({ path, problems: error.problems });
    }
  }
  return { configs, bad };
}
