// `deploy-action summarize --plan PLAN.json RECORD.json...`: the reusable workflow's last job (`needs:` the deploys,
// `if: always()`) turns the plan (`deploy-action resolve`'s output) and each deploy's `record` output into one table:
// printed, appended to the job summary when there is one, and the failed services (those that did not start among
// them) written as the `failed` output. Exit status 1 when any service failed or did not start.
import { appendFileSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import * as z from "zod";
import { terminalHost } from "../host/terminal.js";
import { waves } from "../plan/run/waves.js";
import {
  type PlannedService,
  renderAppMarkdown,
  renderAppText,
  rollUp,
  type ServiceRecord,
  serviceRecordSchema,
} from "../report/app-summary.js";

export const SUMMARIZE_USAGE = "Usage: deploy-action summarize --plan PLAN.json RECORD.json...";

/** What the plan must say of each service; `resolve` gives every other key of the config too. */
const planSchema = z.array(
  z.looseObject({
    config: z.string().optional(),
    service: z.string().min(1),
    cluster: z.string().min(1),
    deploy_order: z.int().positive().optional(),
  }),
);

export interface SummarizeIo {
  env: NodeJS.ProcessEnv;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

export async function runSummarize(argv: readonly string[], io: SummarizeIo): Promise<number> {
  const host = terminalHost({ env: io.env, ...(io.out ? { out: io.out } : {}), ...(io.err ? { err: io.err } : {}) });
  let planned: PlannedService[];
  let records: ServiceRecord[];
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { plan: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    if (!values.plan) throw new Error(`--plan PLAN.json is required\n${SUMMARIZE_USAGE}`);
    planned = readJson(values.plan, planSchema, "a JSON array of services, as `deploy-action resolve` prints it");
    records = positionals.flatMap(readRecords);
  } catch (error) {
    host.fail((error as Error).message);
    return 2;
  }
  const rolled = rollUp(waves(planned), records);
  host.untrusted(renderAppText(rolled));
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, `${renderAppMarkdown(rolled)}\n`);
  const output = io.env.GITHUB_OUTPUT;
  // A record is a file from another job: only the characters of an ECS name (or a config path) reach the output file.
  if (output) appendFileSync(output, `failed=${rolled.failed.map((n) => n.replace(/[^\w./-]/g, "_")).join(",")}\n`);
  if (rolled.failed.length === 0) return 0;
  host.fail(
    `${rolled.failed.length} of ${rolled.rows.length} services failed or did not start: ${rolled.failed.join(", ")}`,
  );
  return 1;
}

function readJson<T>(path: string, schema: z.ZodType<T>, expected: string): T {
  return parsed(path, readText(path), schema, expected);
}

function parsed<T>(path: string, text: string, schema: z.ZodType<T>, expected: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON (${(error as Error).message}): expected ${expected}`);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const at = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw new Error(`${path} is not ${expected}: ${issue?.message ?? "invalid"}${at}`);
}

/** A record file holds one record a line (the action's `record` output, saved as is). */
function readRecords(path: string): ServiceRecord[] {
  const text = readText(path);
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => parsed(`${path}:${i + 1}`, line, serviceRecordSchema, "the action's `record` output"));
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`${path} cannot be read: ${(error as Error).message}`);
  }
}
