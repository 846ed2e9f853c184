// A workflow read and evaluated by GitHub's own parsers: @actions/workflow-parser turns the YAML into GitHub's
// template (jobs, needs, steps, expressions), @actions/expressions evaluates an expression against given contexts.
// Tests use it to see which values reach the action for given inputs, instead of reading the YAML's text.
import { readFileSync } from "node:fs";
import { data, Evaluator, Lexer, Parser } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import {
  convertWorkflowTemplate,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";

export type { TemplateToken };

export interface LoadedWorkflow {
  template: WorkflowTemplate;
  /** The YAML as GitHub's parser reads it (anchors resolved, `${{ }}` parsed), for keys the template leaves out. */
  root: TemplateToken;
  /** GitHub's parser's errors (schema, expressions); none for a workflow GitHub would run. */
  errors: string[];
}

export async function loadWorkflow(path: string): Promise<LoadedWorkflow> {
  const parsed = parseWorkflow({ name: path, content: readFileSync(path, "utf8") }, new NoOperationTraceWriter());
  if (!parsed.value) throw new Error(`${path}: ${parsed.context.errors.getErrors().map((e) => e.message)}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const errors = [
    ...parsed.context.errors.getErrors().map((e) => e.message),
    ...(template.errors ?? []).map((e) => e.Message),
  ];
  return { template, root: parsed.value, errors };
}

/** The token at `keys` below `token` (mapping keys, or sequence indexes). */
export function tokenAt(token: TemplateToken | undefined, ...keys: (string | number)[]): TemplateToken | undefined {
  let at = token;
  for (const key of keys) {
    if (at && typeof key === "number" && isSequence(at)) at = at.get(key);
    else if (at && typeof key === "string" && isMapping(at)) at = at.find(key);
    else return undefined;
  }
  return at;
}

/** The job results a job's status functions read (`needs.<id>.result`), and whether the run was cancelled. */
export interface Status {
  cancelled?: boolean;
}

/** A token's value for the given contexts: literals as they are, `${{ }}` evaluated, tables and lists throughout. */
export function evaluate(
  token: TemplateToken | undefined,
  contexts: Record<string, unknown>,
  status: Status = {},
): unknown {
  if (!token) return undefined;
  if (isBasicExpression(token)) return evaluateExpression(token.expression, contexts, status);
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isMapping(token)) {
    return Object.fromEntries([...token].map((pair) => [String(pair.key), evaluate(pair.value, contexts, status)]));
  }
  if (isSequence(token)) return [...token].map((item) => evaluate(item, contexts, status));
  return null;
}

export function evaluateExpression(
  expression: string,
  contexts: Record<string, unknown>,
  status: Status = {},
): unknown {
  const functions = statusFunctions(contexts, status);
  const tokens = new Lexer(expression).lex().tokens;
  const tree = new Parser(tokens, Object.keys(contexts), [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  const result = new Evaluator(tree, context, functions).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer));
}

/** success(), failure(), cancelled(), always() as a job's `if:` sees them: from the results of the jobs it needs. */
function statusFunctions(contexts: Record<string, unknown>, status: Status): Map<string, FunctionDefinition> {
  const results = Object.values((contexts.needs ?? {}) as Record<string, { result: string }>).map((n) => n.result);
  const cancelled = status.cancelled === true;
  const define = (name: string, value: boolean): [string, FunctionDefinition] => [
    name.toLowerCase(),
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) },
  ];
  return new Map([
    define("success", !cancelled && results.every((r) => r === "success")),
    define(
      "failure",
      results.some((r) => r === "failure"),
    ),
    define("cancelled", cancelled),
    define("always", true),
  ]);
}
