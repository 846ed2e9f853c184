// Pure: TOML text → plain values. Integers and floats are told apart here, because JavaScript cannot tell 10000000000
// from 1e10 afterwards: a float where the schema wants an integer is refused (load.ts), as ECS would refuse it.

import { parse, TomlError } from "smol-toml";
import { ConfigError, type Problem } from "../errors.js";
import type { KeyPath } from "./keys.js";
import { explainTomlError } from "./toml-errors.js";

export interface ParsedToml {
  data: Record<string, unknown>;
  /** Where the file writes a float with a whole value (`2.0`, `1e10`): it reads like an integer, but is not one. */
  floats: KeyPath[];
}

// Editors on Windows may save a byte order mark, which TOML does not allow and no user can see.
export function withoutBom(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/** Parses TOML; `file` is how problems name it. Throws ConfigError at the line and column of a syntax error. */
export function parseToml(source: string, file: string): ParsedToml {
  let raw: Record<string, unknown>;
  try {
    raw = parse(source, { integersAsBigInt: true }) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message goes on to quote the lines around the error; the annotation already points there.
    const [firstLine = "invalid TOML"] = error.message.split("\n");
    const { message, line, column } = explainTomlError(source, {
      message: firstLine,
      line: error.line,
      column: error.column,
    });
    const problem: Problem = { message, location: { file, line, column } };
    throw new ConfigError(`${file} is not valid TOML`, [problem]);
  }
  const floats: KeyPath[] = [];
  return { data: toNumbers(raw, [], floats) as Record<string, unknown>, floats };
}

/** bigint → number (a value too large for one is refused by every range in the schema anyway). */
function toNumbers(value: unknown, path: PropertyKey[], floats: KeyPath[]): unknown {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") {
    if (Number.isInteger(value)) floats.push(path);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => toNumbers(item, [...path, i], floats));
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    // fromEntries defines own properties: a key named `__proto__` stays a key, and never sets the prototype.
    const entries = Object.entries(value).map(([key, v]) => [key, toNumbers(v, [...path, key], floats)]);
    return Object.fromEntries(entries);
  }
  return value;
}
