// Pure: the config file's text → TOML syntax, then the schema; every problem found is reported in one ConfigError.
// Reading the file is workspace.ts's job.

import { parse, TomlError } from "smol-toml";
import { ConfigError, type Locate, type Problem } from "../errors.js";
import { findWrittenKey, indexKeys } from "./locate.js";
import { issuesToProblems } from "./problems.js";
import { type Config, configInputSchema, configSchema } from "./schema.js";

export interface LoadedConfig {
  config: Config;
  /**
   * Where a config key (`port`, `containers.nginx.port`) is written, for problems found later (pre-flight) to be
   * annotated on the file too. Undefined for names that are not config keys (an input such as `images`).
   */
  locate: Locate;
}

/**
 * Validates the config file's text. `displayPath` is how problems name the file (relative to the workspace, so GitHub
 * can annotate it).
 */
export function loadConfigText(text: string, displayPath: string): LoadedConfig {
  const config = parseConfig(text, displayPath);
  const index = indexKeys(withoutBom(text));
  const topKeys = new Set(Object.keys(configInputSchema.shape));
  return {
    config,
    locate: (key) => {
      const path = key.split(".");
      // Only a key the file writes: pointing at line 1 for a default (`family`) would send the user to the wrong place.
      const at = topKeys.has(path[0] ?? "") ? findWrittenKey(index, path) : undefined;
      return at && { file: displayPath, ...at };
    },
  };
}

// Editors on Windows may save a byte order mark, which TOML does not allow and no user can see.
function withoutBom(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/** Validates TOML text; `file` is how problems name it. Throws ConfigError with every problem found. */
export function parseConfig(text: string, file: string): Config {
  const source = withoutBom(text);
  const data = parseToml(source, file);
  const result = configSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = issuesToProblems(result.error.issues, {
    file,
    data,
    index: indexKeys(source),
    schema: configInputSchema,
  });
  throw new ConfigError(`${file} has ${problems.length} problems`, problems);
}

function parseToml(source: string, file: string): unknown {
  try {
    return parse(source);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message goes on to quote the lines around the error; the annotation already points there.
    const [firstLine = "invalid TOML"] = error.message.split("\n");
    const problem: Problem = { message: firstLine, location: { file, line: error.line, column: error.column } };
    throw new ConfigError(`${file} is not valid TOML`, [problem]);
  }
}
