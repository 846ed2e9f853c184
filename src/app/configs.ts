// The configs of an app, named on the command line: paths or globs (`apps/flh/*-prod.toml`, expanded by
// workspace.ts), each read and checked before any of them deploys: a mistake in one file stops the run before AWS is touched.
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
