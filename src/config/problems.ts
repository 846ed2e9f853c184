// zod issues → Problems a user can act on: the dotted key, a sentence naming it, and where it is in the file.

import * as z from "zod";
import type { Problem, SourceLocation } from "../errors.js";
import { cutText, thousands } from "../text/cut.js";
import { formatKey, type KeyPath, valueAt } from "./keys.js";
import { suggestKey } from "./suggest.js";

/** Unknown keys of one table said one by one, each with its "did you mean"; the rest are one problem. */
export const SAID_ONE_BY_ONE = 10;

export interface IssueSource {
  /** The parsed (merged) TOML, to tell a missing key from a wrong one. */
  data: unknown;
  /** Where a key path is written, in whichever file wrote it (or its nearest written parent). */
  locate: (path: KeyPath) => SourceLocation;
  /** The schema the issues came from, to list the keys known in a table. */
  schema: z.ZodType;
}

/** One Problem per issue (one per key for unknown keys), in file order. */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], source: IssueSource): Problem[] {
  const typos = typoedKeys(issues, source);
  // A missing key that a typo explains (`prot` for `port`) is said once, on the typo's line, where the fix is.
  const rest = issues.filter((issue) => !(isMissing(issue, source.data) && typos.has(formatKey(issue.path))));
  const problems = rest.flatMap((issue) => describeIssue(issue, source, typos));
  return problems.sort(compareLocation);
}

function describeIssue(issue: z.core.$ZodIssue, source: IssueSource, typos: ReadonlySet<string>): Problem[] {
  const path = issue.path;
  if (issue.code === "invalid_union") {
    // `port = 80` or `port = { number = 80, … }`: the issues of the form the value is written in, not "no form fits".
    const written = issue.errors.find(
      (errors) => !errors.some((e) => e.code === "invalid_type" && e.path.length === 0),
    );
    if (written && written.length > 0) {
      const nested = written.map((e) => ({ ...e, path: [...path, ...e.path] }) as z.core.$ZodIssue);
      return nested.flatMap((e) => describeIssue(e, source, typos));
    }
  }
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(source.schema, path);
    const [each, folded] = [issue.keys.slice(0, SAID_ONE_BY_ONE), issue.keys.slice(SAID_ONE_BY_ONE)];
    const problems = each.map((key) => problem(source, [...path, key], unknownKeyMessage(path, key, known, typos)));
    const [first] = folded;
    if (first !== undefined) problems.push(problem(source, [...path, first], moreUnknownKeys(path, folded, known)));
    return problems;
  }
  return [problem(source, path, messageFor(issue, source.data))];
}

function isMissing(issue: z.core.$ZodIssue, data: unknown): boolean {
  const isKey = typeof issue.path.at(-1) === "string";
  const wrongType = issue.code === "invalid_type" || issue.code === "invalid_union";
  return wrongType && isKey && valueAt(data, issue.path) === undefined;
}

/** Required keys that are missing because an unknown key next to them looks like a misspelling of them. */
function typoedKeys(issues: readonly z.core.$ZodIssue[], source: IssueSource): Set<string> {
  const missing = new Set(issues.filter((i) => isMissing(i, source.data)).map((i) => formatKey(i.path)));
  const typos = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = knownKeys(source.schema, issue.path);
    for (const key of issue.keys.slice(0, SAID_ONE_BY_ONE)) {
      const meant = suggestKey(key, known);
      const id = meant === undefined ? undefined : formatKey([...issue.path, meant]);
      if (id && missing.has(id)) typos.add(id);
    }
  }
  return typos;
}

function messageFor(issue: z.core.$ZodIssue, data: unknown): string {
  const path = issue.path;
  // Cross-field checks write whole sentences: they know which keys they talk about.
  if (issue.code === "custom" && !issue.params?.field) return issue.message;
  if (isMissing(issue, data)) return missingKeyMessage(path);
  // A bad table key: the key's own schema said what is wrong with it.
  const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return `\`${formatKey(path)}\` ${message}`;
}

function missingKeyMessage(path: KeyPath): string {
  const key = formatKey(path.slice(-1));
  return path.length > 1
    ? `missing required key \`${key}\` in \`${formatKey(path.slice(0, -1))}\``
    : `missing required key \`${key}\``;
}

function unknownKeyMessage(table: KeyPath, key: string, known: string[], typos: ReadonlySet<string>): string {
  const where = table.length > 0 ? ` in \`${formatKey(table)}\`` : "";
  const suggestion = suggestKey(key, known);
  const required = suggestion && typos.has(formatKey([...table, suggestion])) ? " (it is required)" : "";
  const hint = suggestion
    ? ` — did you mean \`${suggestion}\`?${required}`
    : `; the keys here are ${known.map((k) => `\`${k}\``).join(", ")}`;
  return `unknown key \`${cutText(formatKey([key]), 100)}\`${where}${hint}`;
}

/**
 * The unknown keys of one table past the first few, as one problem on the first of them: a file of 90 000 unknown
 * keys is one mistake (a file pasted into the wrong place, say), not 90 000, and each would repeat the table's keys.
 */
function moreUnknownKeys(table: KeyPath, keys: readonly string[], known: string[]): string {
  const where = table.length > 0 ? ` in \`${formatKey(table)}\`` : "";
  const named = keys.slice(0, 3).map((key) => `\`${cutText(formatKey([key]), 40)}\``);
  const rest = keys.length > named.length ? ", …" : "";
  const hint = known.length > 0 ? `; the keys here are ${known.map((k) => `\`${k}\``).join(", ")}` : "";
  return `${thousands(keys.length)} more unknown keys${where}: ${named.join(", ")}${rest}${hint}`;
}

function problem(source: IssueSource, path: KeyPath, message: string): Problem {
  return { message, key: formatKey(path), location: source.locate(path) };
}

/** File by file, then in the order of the file's lines. */
function compareLocation(a: Problem, b: Problem): number {
  const [fileA, fileB] = [a.location?.file ?? "", b.location?.file ?? ""];
  if (fileA !== fileB) return fileA < fileB ? -1 : 1;
  return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
}

/** The keys a table at `path` may hold, found by walking the schema the way zod walked the data. */
export function knownKeys(schema: z.ZodType, path: KeyPath): string[] {
  const current = tableForm(schemaAt(schema, path));
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

/** The schema of the value at `path` (unwrapped), or undefined when the schema has no such place. */
export function schemaAt(schema: z.ZodType, path: KeyPath): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    const step: z.ZodType | undefined = typeof segment === "number" ? listForm(current) : tableForm(current);
    if (step instanceof z.ZodObject) current = step.shape[String(segment)];
    else if (step instanceof z.ZodRecord) current = step.valueType as z.ZodType;
    else if (step instanceof z.ZodArray) current = step.element as z.ZodType;
    else return undefined;
    current = current && unwrap(current);
  }
  return current;
}

/** Of a union (`port`: a number or a table), the form that holds keys. */
function tableForm(schema: z.ZodType | undefined): z.ZodType | undefined {
  if (!(schema instanceof z.ZodUnion)) return schema;
  const options = (schema.options as z.ZodType[]).map(unwrap);
  return options.find((o) => o instanceof z.ZodObject || o instanceof z.ZodRecord);
}

function listForm(schema: z.ZodType | undefined): z.ZodType | undefined {
  if (!(schema instanceof z.ZodUnion)) return schema;
  return (schema.options as z.ZodType[]).map(unwrap).find((o) => o instanceof z.ZodArray);
}

/** Looks through optional, default and transform wrappers to the schema of the value itself. */
function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  return schema;
}
