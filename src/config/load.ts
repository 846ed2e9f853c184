// Pure: the config file (and the files it extends) → TOML syntax, the merge, then the schema; every problem found is
// reported in one ConfigError, each at the file and line that wrote the key. Reading files is workspace.ts's job.

import * as z from "zod";
import { ConfigError, type Locate, type Problem } from "../errors.js";
import { formatKey, type KeyPath, valueAt } from "./keys.js";
import { type Layered, type LayerOptions, loadLayers, type ReadFile } from "./layers.js";
import { issuesToProblems, schemaAt } from "./problems.js";
import { type Config, configInputSchema, configSchema } from "./schema.js";

export interface LoadedConfig {
  config: Config;
  /**
   * Where a config key (`port`, `containers.nginx.port`) is written, for problems found later (pre-flight) to be
   * annotated on the file too. Undefined for names that are not config keys (an input such as `images`).
   */
  locate: Locate;
  /** Which keys each file gave, when the config extends others (one entry per file, the config file last). */
  sources: { file: string; keys: string[] }[];
}

/** Reads `entry` (workspace-relative) and the files it extends through `read`, and validates the merged config. */
export function loadConfigFiles(entry: string, read: ReadFile, options?: LayerOptions): LoadedConfig {
  const layers = loadLayers(entry, read, options);
  const config = validate(layers, entry);
  const topKeys = new Set(Object.keys(configInputSchema.shape));
  return {
    config,
    // Only a key a file writes: pointing at line 1 for a default (`family`) would send the user to the wrong place.
    locate: (key) => {
      const path = key.split(".");
      return topKeys.has(path[0] ?? "") ? layers.written(path) : undefined;
    },
    sources: layers.sources(),
  };
}

/** One file's text, without `extends` (nothing to read it with): for tests and tools. */
export function loadConfigText(text: string, displayPath: string): LoadedConfig {
  return loadConfigFiles(displayPath, (path) => {
    if (path === displayPath) return text;
    throw new ConfigError(`cannot read ${path}`, [{ message: `${path}: no file can be read here` }]);
  });
}

/** Validates TOML text; `file` is how problems name it. Throws ConfigError with every problem found. */
export function parseConfig(text: string, file: string): Config {
  return loadConfigText(text, file).config;
}

function validate(layers: Layered, entry: string): Config {
  const result = configSchema.safeParse(layers.data);
  const floats = floatProblems(layers);
  if (result.success && floats.length === 0) return result.data;
  const issues = result.success ? [] : result.error.issues;
  const problems = issuesToProblems(issues, {
    data: layers.data,
    locate: layers.locate,
    schema: configInputSchema,
  });
  const all = [...floats, ...problems];
  throw new ConfigError(`${entry} has ${all.length} problems`, all);
}

/** `desired_count = 1e10` or `2.0`: TOML calls these floats, and ECS takes integers only. */
function floatProblems(layers: Layered): Problem[] {
  return layers.floats().flatMap((path) => {
    if (!expectsInteger(path)) return [];
    const key = formatKey(path);
    const value = valueAt(layers.data, path);
    return [
      {
        key,
        message: `\`${key}\` must be an integer, got the float ${value} (TOML reads a number with a decimal point or an exponent as a float): write the digits alone`,
        location: layers.locate(path),
      },
    ];
  });
}

function expectsInteger(path: KeyPath): boolean {
  const schema = schemaAt(configInputSchema, path);
  const options = schema instanceof z.ZodUnion ? (schema.options as z.ZodType[]) : [schema];
  return options.some((option) => option instanceof z.ZodNumber && option.isInt);
}
