// The only reader of files: the config file, by the path the `config` input gives relative to the workspace.
import { readFileSync } from "node:fs";
import { type Config, type LoadedConfig, loadConfigText } from "./config/index.js";
import { ConfigError } from "./errors.js";

/** Reads and validates the config file at `path`; `displayPath` is how problems name it (default: `path`). */
export function loadConfigFile(path: string, displayPath: string = path): LoadedConfig {
  return loadConfigText(readConfigFile(path, displayPath), displayPath);
}

export function loadConfig(path: string, displayPath: string = path): Config {
  return loadConfigFile(path, displayPath).config;
}

function readConfigFile(path: string, displayPath: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${displayPath}`, [
      { message: readErrorMessage(error, displayPath), key: "config" },
    ]);
  }
}

function readErrorMessage(error: unknown, displayPath: string): string {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  if (code === "ENOENT") {
    return `config file ${displayPath} not found: the \`config\` input is a path relative to the workspace (the repository root after actions/checkout); check the path, and that the job checks out the repository first`;
  }
  if (code === "EISDIR") return `config file ${displayPath} is a directory: the \`config\` input must name a TOML file`;
  return `cannot read config file ${displayPath}: ${error instanceof Error ? error.message : String(error)}`;
}
