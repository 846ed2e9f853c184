// Building blocks for the config schema. Each field carries its own error text: "must be <what we expect>, got
// <what the file has>". The key is not known here; problems.ts puts it in front ("`port` must be ...").

import * as z from "zod";
import { escapeInvisible, firstInvisible } from "./keys.js";

type ErrorText = (issue: { input?: unknown }) => string;

/** An error for any issue on a field: what was expected and what the file holds. */
export function mustBe(expected: string): ErrorText {
  return (issue) => `must be ${expected}, got ${describeValue(issue.input)}`;
}

/** What a TOML value is, in the words of the file: `the string "80"`, `a table`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `the string ${escapeInvisible(JSON.stringify(truncate(value)))}`;
  if (typeof value === "number" || typeof value === "boolean") return `the ${typeof value} ${value}`;
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? "" : "s"}`;
  // smol-toml's TomlDate is a Date; its toISOString keeps the TOML form (local dates have no time).
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  return typeof value === "object" && value !== null ? "a table" : `a ${typeof value}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** ECS's integers are 32-bit (the API model's Integer): a larger number is refused by the API, or wraps. */
export const INT32_MAX = 2_147_483_647;

export function intIn(min: number, max: number, expected = `an integer from ${min} to ${max}`) {
  const error = mustBe(expected);
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export function matching(pattern: RegExp, expected: string) {
  const error = mustBe(expected);
  return z.string({ error }).regex(pattern, { error });
}

/** A string with no control, bidi or other invisible character: what a reviewer reads must be what AWS gets. */
export function visibleString(expected: string) {
  return z.string({ error: mustBe(expected) }).superRefine((text, ctx) => {
    const found = firstInvisible(text);
    // `field`: a field's own complaint, which problems.ts puts the key in front of, like any other.
    if (found) ctx.addIssue({ code: "custom", message: invisibleMessage(found), params: { field: true } });
  });
}

export function invisibleMessage(found: string): string {
  return `contains the invisible or control character ${found}, which would read as something else in a log or a review: remove it`;
}

export function bool() {
  return z.boolean({ error: mustBe("true or false") });
}

export function stringList(expected = "an array of strings") {
  const error = mustBe(expected);
  return z.array(z.string({ error: mustBe("a string") }), { error });
}

/** ECS names: containers, task families, services, clusters. */
export function ecsName(what: string) {
  return matching(/^[A-Za-z0-9_-]{1,255}$/, `${what}: letters, digits, - and _, up to 255 characters`);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `NAME = value` for a container's environment. TOML numbers and booleans are accepted and sent as strings, because
 * ECS only takes strings and `WORKERS = 4` is what people write.
 */
export function environmentTable() {
  const name = z.string().regex(ENV_NAME, {
    error: "is not a valid environment variable name: use letters, digits and _, not starting with a digit",
  });
  const value = z
    .union([z.string(), z.number(), z.boolean()], { error: mustBe("a string, number or boolean") })
    .transform(String)
    // ECS drops a variable whose value is empty: the container would never see it, and every deploy would differ.
    .pipe(
      z.string().min(1, {
        error: "must not be empty: ECS drops environment variables with an empty value; remove it or give it a value",
      }),
    );
  return z.record(name, value, { error: mustBe("a table of NAME = value") });
}

/**
 * The shape with an example for each key, for the JSON Schema (editors show it) and the generated reference
 * (docs/config.md). A key without one fails the reference's test.
 */
export function withExamples<T extends Record<string, z.ZodType>>(shape: T, examples: { [K in keyof T]?: unknown }): T {
  const entries = Object.entries(shape).map(([key, schema]) => {
    const example = (examples as Record<string, unknown>)[key];
    return [key, example === undefined ? schema : schema.meta({ examples: [example] })];
  });
  return Object.fromEntries(entries) as T;
}
