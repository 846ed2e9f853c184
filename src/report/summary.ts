// Pure: what happened → the job summary's markdown. Text the action did not write (AWS's reasons and events, the
// app's log lines) goes inside fenced code blocks only, so that no Markdown or HTML in it renders: a log line must
// not be able to draw a fake "✅ deployed" heading. The table holds the action's own words and names AWS checks.
import type { Provenance } from "../plan/run/provenance.js";
import type { Result } from "../result.js";
import type { RolloutStory, TimelineEntry } from "../rollout/index.js";
import { cutText, thousands } from "../text/cut.js";
import { codeSpan, oneLine } from "../text/inert.js";
import { consoleUrl, shortTaskDefinition } from "../text/names.js";
import { boundSummary, utf8Bytes } from "./bounds.js";
import { renderGantt } from "./gantt.js";
import { type PreDeployReport, renderPreDeploy } from "./pre-deploy-section.js";
import { renderProvenance } from "./provenance.js";
import { renderTimeline } from "./timeline.js";

// The console link lives in text/names.ts (the verdict gives it too); the steps import it from here.
export { consoleUrl };

export interface DeployReport {
  configPath: string;
  service?: string;
  cluster?: string;
  region?: string;
  taskDefinitionArn?: string;
  previousTaskDefinition?: string | undefined;
  deploymentId?: string;
  images: [container: string, uri: string][];
  secretNames: string[];
  /** Image → digest, as ECR resolved them. */
  digests: { container: string; uri: string; digest?: string; pinned: string }[];
  /** What changes against the service's current task definition. */
  diff?: string;
  /** What this run decided to do (deploy, scale, nothing), in a sentence. */
  plan?: string;
  result: Result;
  message?: string;
  details: string[];
  /** What the on-failure rollback did, when it ran: the action's own words, one line. */
  rollback?: string;
  /** The watch of our deployment. */
  rollout?: WatchedReport;
  /** The watch of the on-failure rollback, when it ran. */
  rollbackRollout?: WatchedReport;
  /** When the steps before the wait ran (epoch ms): bars of the rollout chart. */
  steps?: { name: string; from: number; to: number }[];
  /** The pre-deploy tasks: how each ended, or why none ran. */
  preDeploy?: PreDeployReport | undefined;
  /** The commit, actor and run this deploy comes from, and what it ships: on GitHub Actions only. */
  provenance?: Provenance | undefined;
  durationMs: number;
}

/** The report of a run before any step: filled in as the steps go, rendered whatever happens. */
export function emptyReport(configPath = ""): DeployReport {
  return { configPath, images: [], secretNames: [], digests: [], result: "not-started", details: [], durationMs: 0 };
}

/** One watched deployment: its timeline for the text, its story for the chart. */
export interface WatchedReport {
  timeline: TimelineEntry[];
  story: RolloutStory;
  /** epoch ms of the timeline's 0 */
  startedAt: number;
  outcome: string;
  /** `app:42` */
  revision: string;
}

const ICONS: Record<Result, string> = {
  succeeded: "✅",
  started: "🚀",
  registered: "📝",
  unchanged: "🟰",
  scaled: "📏",
  "dry-run": "🔍",
  failed: "❌",
  "timed-out": "⏱️",
  cancelled: "🛑",
  paused: "⏸️",
  "not-started": "⛔",
};

/** Lines of the details, the diff and each timeline, at most, and their bytes: the log has them all. */
const MAX_SECTION_LINES = 300;
const MAX_SECTION_BYTES = 192 * 1024;
/** Of a long timeline, the last lines kept: they hold the verdict. */
const TIMELINE_END = 100;
/** A line of text the action did not write, at most (a log line, an event): the log has it whole. */
const MAX_LINE_CHARS = 2000;

/** The job summary, always under GitHub's 1 MiB (see bounds.ts): the first line, the facts, then the rest. */
export function renderSummary(report: DeployReport): string {
  const lines = [`## ${ICONS[report.result]} ${title(report)}`, ""];
  if (report.message)
    lines.push(...codeBlock("text", [cutText(report.message.split("\n")[0] ?? "", MAX_LINE_CHARS)]), "");
  lines.push("| | |", "|---|---|");
  for (const [name, value] of facts(report)) lines.push(`| ${name} | ${value} |`);
  lines.push("");
  if (report.details.length > 0) {
    const why = capLines(report.details, "more lines");
    lines.push("<details open><summary>Why</summary>", "", ...codeBlock("text", why), "</details>", "");
  }
  if (report.diff) {
    const diff = capLines(report.diff.split("\n"), "more changes");
    lines.push("### Changes to the task definition", "", ...codeBlock("diff", diff), "");
  }
  lines.push(...renderPreDeploy(report.preDeploy, codeBlock));
  lines.push(...rolloutSection(report));
  if (report.provenance) lines.push(renderProvenance(report.provenance));
  lines.push(...arnSection(report));
  return boundSummary(lines.join("\n"));
}

/**
 * A long section's first lines (and, with `last`, that many of its last: a timeline ends with its verdict), each cut
 * to a readable length, within a share of the summary's bytes, and how many lines the log has in between.
 */
function capLines(lines: readonly string[], what: string, last = 0): string[] {
  const cut = lines.map((line) => cutText(line, MAX_LINE_CHARS));
  const end = cut.length > MAX_SECTION_LINES ? cut.slice(cut.length - last) : [];
  const head: string[] = [];
  let bytes = utf8Bytes(end.join("\n"));
  for (const line of cut.slice(0, cut.length - end.length)) {
    bytes += utf8Bytes(line) + 1;
    if (head.length + end.length >= MAX_SECTION_LINES || bytes > MAX_SECTION_BYTES) break;
    head.push(line);
  }
  const skipped = cut.length - head.length - end.length;
  if (skipped === 0) return cut;
  return [...head, `… ${thousands(skipped)} ${what}: see the step's log`, ...end];
}

/** A fenced block whose text cannot close it early. */
function codeBlock(language: string, text: readonly string[]): string[] {
  return [`\`\`\`${language}`, ...text.map(noFence), "```"];
}

function chartOf(w: WatchedReport) {
  const endAt = w.timeline.at(-1)?.at ?? 0;
  return { startedAt: w.startedAt, story: w.story, outcome: w.outcome, endAt, revision: w.revision };
}

/** The chart, then each watch's text timeline, folded. */
function rolloutSection(report: DeployReport): string[] {
  const { rollout, rollbackRollout } = report;
  if (!rollout) return [];
  const chart = renderGantt({
    steps: report.steps ?? [],
    rollout: chartOf(rollout),
    rollback: rollbackRollout && chartOf(rollbackRollout),
  });
  const lines = ["### Rollout", "", ...codeBlock("mermaid", [chart]), ""];
  lines.push(
    "<details><summary>Rollout timeline</summary>",
    "",
    ...codeBlock("text", capLines(renderTimeline(rollout.timeline), "more lines", TIMELINE_END)),
  );
  lines.push("</details>", "");
  if (rollbackRollout) {
    lines.push("<details><summary>Rollback timeline</summary>", "");
    const timeline = capLines(renderTimeline(rollbackRollout.timeline), "more lines", TIMELINE_END);
    lines.push(...codeBlock("text", timeline), "</details>", "");
  }
  return lines;
}

/** The ARNs that the lines above name by their short names. */
function arnSection(report: DeployReport): string[] {
  const arns = [
    report.taskDefinitionArn && `task definition: ${report.taskDefinitionArn}`,
    report.previousTaskDefinition && `previous: ${report.previousTaskDefinition}`,
    report.deploymentId && `deployment: ${report.deploymentId}`,
  ].filter((line): line is string => Boolean(line));
  if (arns.length === 0) return [];
  return ["<details><summary>ARNs</summary>", "", ...codeBlock("text", arns), "</details>", ""];
}

function title(report: DeployReport): string {
  const what = report.service ? codeSpan(report.service) : oneLine(report.configPath);
  const outcomes: Record<Result, string> = {
    succeeded: `Deployed ${what}`,
    started: `Deployment of ${what} started (not waited for)`,
    registered: `${what}: task definition registered, not deployed`,
    unchanged: `${what} already runs this task definition: nothing to deploy`,
    scaled: `Scaled ${what}: the task definition did not change`,
    "dry-run": `Dry run for ${what}: every check passed, nothing was changed`,
    failed: `Deploy of ${what} failed`,
    "timed-out": `Deploy of ${what} timed out`,
    cancelled: `Deploy of ${what} cancelled`,
    paused: `Deploy of ${what} paused: a pause hook awaits an answer`,
    "not-started": `Deploy of ${what} not started`,
  };
  return outcomes[report.result];
}

function facts(report: DeployReport): [string, string][] {
  const rows: [string, string | undefined][] = [
    ["Service", report.service && codeSpan(report.service)],
    ["Cluster", report.cluster && codeSpan(report.cluster)],
    ["Region", report.region],
    ["Config", codeSpan(report.configPath)],
    ["Task definition", report.taskDefinitionArn && `\`${shortTaskDefinition(report.taskDefinitionArn)}\``],
    ["Previous revision", report.previousTaskDefinition && `\`${shortTaskDefinition(report.previousTaskDefinition)}\``],
    ["Images", imageCell(report)],
    ["Secrets (SSM ARNs, values never read)", report.secretNames.map(codeSpan).join(", ") || "none"],
    ["Plan", report.plan],
    ["Deployment", report.deploymentId && `\`${report.deploymentId}\``],
    ["Result", report.result],
    ["Rollback", report.rollback],
    ["Duration", formatDuration(report.durationMs)],
    ["ECS console", consoleLink(report)],
  ];
  return rows.filter((row): row is [string, string] => Boolean(row[1]));
}

function imageCell(report: DeployReport): string | undefined {
  const digests = new Map(report.digests.map((d) => [d.container, d]));
  const lines = report.images.map(([name, uri]) => {
    const digest = digests.get(name)?.digest;
    return `${codeSpan(name)}: ${codeSpan(uri)}${digest ? ` → ${codeSpan(digest)}` : ""}`;
  });
  return lines.join("<br>") || undefined;
}

function consoleLink(report: DeployReport): string | undefined {
  if (!report.region || !report.cluster || !report.service) return undefined;
  return `[deployments of ${report.service}](${consoleUrl(report.region, report.cluster, report.service)})`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * A line inside a fenced block must not close it: a run of three or more backticks (or tildes, which close no
 * backtick fence but are kept apart all the same) loses its meaning.
 */
export function noFence(line: string): string {
  return line.replace(/`{3,}/g, (run) => "ʼ".repeat(run.length)).replace(/~{3,}/g, (run) => "∼".repeat(run.length));
}
