// Pure: one table for a run of several services (an app): service, environment, version, revision, result, duration
// and the first error line of each. The command line prints it after its waves; `deploy-action summarize` builds it
// from the action's `record` outputs and the plan (`deploy-action resolve`), where a planned service without a
// record is listed as not started, with the reason. Error lines are untrusted text (an AWS message, a log line):
// they go inside code spans only, so nothing in them renders as Markdown or HTML.
import * as z from "zod";
import { oneLine } from "../text/inert.js";
import { formatDuration } from "../text/names.js";
import { redact } from "../text/redact.js";
import { type Ending, imagesOf, type Outcomes } from "./outcomes.js";

/** The action's `record` output: one line of JSON per service and run. */
export const serviceRecordSchema = z.object({
  service: z.string().min(1),
  cluster: z.string(),
  environment: z.string().optional(),
  version: z.string().optional(),
  revision: z.string().optional(),
  result: z.string(),
  seconds: z.number().nonnegative(),
  error: z.string().optional(),
});
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;

/** A service the run planned: one object of `deploy-action resolve`'s output, or a config the command line read. */
export interface PlannedService {
  config?: string | undefined;
  service: string;
  cluster: string;
  deploy_order?: number | undefined;
}

export interface AppRow extends Omit<ServiceRecord, "seconds" | "result"> {
  result: string;
  /** undefined for a service that did not start */
  seconds?: number | undefined;
}

/** Results that fail the run: the action fails its step on these. */
const FAILED = new Set(["failed", "timed-out", "cancelled", "not-started"]);
const NOT_STARTED = "not started";

export function failedResult(result: string): boolean {
  return FAILED.has(result) || result === NOT_STARTED;
}

/** The record of one run of the action, from the same outcomes as its job summary: what `record` holds. */
export function recordOf(outcomes: Outcomes, ending: Ending, environment?: string): ServiceRecord {
  const main = imagesOf(outcomes)[0]?.uri;
  const version = main ? versionOf(main) : undefined;
  const revision = outcomes.taskDefinitionArn?.split("/").pop();
  const error = ending.message && firstLine(ending.message);
  return {
    service: outcomes.read?.config.service ?? outcomes.configPath,
    cluster: outcomes.read?.config.cluster ?? "",
    ...(environment ? { environment } : {}),
    ...(version ? { version } : {}),
    ...(revision ? { revision } : {}),
    result: ending.result,
    seconds: Math.round(ending.durationMs / 1000),
    ...(error && failedResult(ending.result) ? { error } : {}),
  };
}

/** The first line of an error, redacted and on one line: what a record and the table carry. */
export function firstLine(message: string): string {
  return oneLine(redact(message.split("\n")[0] ?? "")).slice(0, 500);
}

/** The tag of an image (`r254`), or its digest cut short; nothing for an image with neither. */
function versionOf(uri: string): string | undefined {
  const digest = /@(sha256:[0-9a-f]{12})/.exec(uri)?.[1];
  if (digest) return digest;
  return /:([\w][\w.-]{0,127})$/.exec(uri.slice(uri.lastIndexOf("/") + 1))?.[1];
}

export interface RolledUp {
  rows: AppRow[];
  /** services whose run failed or did not start, in the plan's order */
  failed: string[];
}

/**
 * Every planned service, in waves, with its record; a planned service without one did not start: after a wave that
 * failed, the later waves are not started (and the reason names the failed services), or its record is missing.
 * Records of services the plan does not name (a plan edited by hand) are listed after them.
 */
export function rollUp(waves: readonly PlannedService[][], records: readonly ServiceRecord[]): RolledUp {
  const byKey = new Map(records.map((r) => [keyOf(r), r]));
  const rows: AppRow[] = [];
  const failedSoFar: string[] = [];
  for (const wave of waves) {
    const stoppedBy = [...failedSoFar];
    for (const planned of wave) {
      const record = byKey.get(keyOf(planned));
      byKey.delete(keyOf(planned));
      const row = record ?? notStarted(planned, stoppedBy);
      rows.push(row);
      if (failedResult(row.result)) failedSoFar.push(planned.service);
    }
  }
  for (const extra of byKey.values()) {
    rows.push(extra);
    if (failedResult(extra.result)) failedSoFar.push(extra.service);
  }
  return { rows, failed: failedSoFar };
}

function notStarted(planned: PlannedService, stoppedBy: readonly string[]): AppRow {
  const why =
    stoppedBy.length > 0
      ? `not started: an earlier wave failed (${stoppedBy.join(", ")})`
      : "not started: no record of its run (its job did not run, or did not save its record)";
  return { service: planned.service, cluster: planned.cluster, result: NOT_STARTED, error: why };
}

function keyOf(s: { service: string; cluster: string }): string {
  return `${lastPart(s.cluster)}/${s.service}`;
}

/** A cluster named by ARN or by name is the same cluster. */
function lastPart(cluster: string): string {
  return cluster.split("/").pop() ?? cluster;
}

const COLUMNS = ["service", "environment", "version", "revision", "result", "duration", "first error"] as const;

function cells(row: AppRow): string[] {
  const duration = row.seconds === undefined ? "" : formatDuration(row.seconds * 1000);
  return [
    row.service,
    row.environment ?? "",
    row.version ?? "",
    row.revision ?? "",
    row.result,
    duration,
    row.error ?? "",
  ];
}

/** The table for a job summary. Every cell but the duration quotes names or text from elsewhere: code spans. */
export function renderAppMarkdown(rolled: RolledUp): string {
  const head = `| ${COLUMNS.join(" | ")} |`;
  const rule = `|${COLUMNS.map(() => "---").join("|")}|`;
  const lines = rolled.rows.map((row) => {
    const [service = "", environment = "", version = "", revision = "", result = "", duration = "", error = ""] = cells(
      row,
    ).map((c) => c.slice(0, 500));
    const code = [service, environment, version, revision, result].map(codeSpan);
    return `| ${code.join(" | ")} | ${duration} | ${codeSpan(error)} |`;
  });
  const failed = rolled.failed.length;
  const title =
    failed === 0
      ? "## ✅ Every service deployed"
      : `## ❌ ${failed} of ${rolled.rows.length} services failed or did not start`;
  return [title, "", head, rule, ...lines, ""].join("\n");
}

/** A table cell's text that renders as nothing but text: a code span that no backtick or pipe inside can end. */
function codeSpan(text: string): string {
  if (text === "") return "";
  return `\`${text.replace(/`/g, "ʼ").replace(/\|/g, "\\|")}\``;
}

/** The table for a terminal: aligned columns; the caller prints it as untrusted lines (it quotes error lines). */
export function renderAppText(rolled: RolledUp): string[] {
  const table = [[...COLUMNS], ...rolled.rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((row) => (row[i] ?? "").length)));
  return table.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
