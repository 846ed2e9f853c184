// Pure: the run's outcomes (outcomes.ts: the config, the plan, what each step returned) and how it ended → the job
// summary's markdown. Text the action did not write (AWS's reasons and events, the
// app's log lines) goes inside fenced code blocks only, so that no Markdown or HTML in it renders: a log line must
// not be able to draw a fake "✅ deployed" heading. The table holds the action's own words and names AWS checks.
import { describeChanges, describeDecision } from "../plan/service/decision.js";
import type { Result } from "../result.js";
import { cutText, thousands } from "../text/cut.js";
import { codeSpan, oneLine } from "../text/inert.js";
import { consoleUrl, shortTaskDefinition } from "../text/names.js";
import { boundSummary, utf8Bytes } from "./bounds.js";
import { renderGantt } from "./gantt.js";
import { type Ending, imagesOf, type Outcomes, secretNames, type Watched } from "./outcomes.js";
import { renderPreDeploy } from "./pre-deploy-section.js";
import { renderProvenance } from "./provenance.js";
import { renderTimeline } from "./timeline.js";

// The console link lives in text/names.ts (the verdict gives it too); the steps import it from here.
export { consoleUrl };

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
export function renderSummary(outcomes: Outcomes, ending: Ending): string {
  const lines = [`## ${ICONS[ending.result]} ${title(outcomes, ending.result)}`, ""];
  if (ending.message)
    lines.push(...codeBlock("text", [cutText(ending.message.split("\n")[0] ?? "", MAX_LINE_CHARS)]), "");
  lines.push("| | |", "|---|---|");
  for (const [name, value] of facts(outcomes, ending)) lines.push(`| ${name} | ${value} |`);
  lines.push("");
  if (ending.details.length > 0) {
    const why = capLines(ending.details, "more lines");
    lines.push("<details open><summary>Why</summary>", "", ...codeBlock("text", why), "</details>", "");
  }
  const { plan } = outcomes;
  if (plan) {
    const diff = capLines(describeChanges(plan.deployable, plan.decision).split("\n"), "more changes");
    lines.push("### Changes to the task definition", "", ...codeBlock("diff", diff), "");
  }
  lines.push(...renderPreDeploy(outcomes.preDeploy, codeBlock));
  lines.push(...rolloutSection(outcomes));
  if (outcomes.provenance) lines.push(renderProvenance(outcomes.provenance));
  lines.push(...arnSection(outcomes));
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

function chartOf({ taskDefinitionArn, result }: Watched) {
  const endAt = result.timeline.at(-1)?.at ?? 0;
  const revision = shortTaskDefinition(taskDefinitionArn);
  return { startedAt: result.startedAt, story: result.story, outcome: result.outcome, endAt, revision };
}

/** The chart, then each watch's text timeline, folded. */
function rolloutSection({ wait, steps }: Outcomes): string[] {
  if (!wait) return [];
  const rollback = wait.rollback?.watched;
  const chart = renderGantt({ steps, rollout: chartOf(wait.watched), rollback: rollback && chartOf(rollback) });
  const lines = ["### Rollout", "", ...codeBlock("mermaid", [chart]), ""];
  lines.push(
    "<details><summary>Rollout timeline</summary>",
    "",
    ...codeBlock("text", capLines(renderTimeline(wait.watched.result.timeline), "more lines", TIMELINE_END)),
  );
  lines.push("</details>", "");
  if (rollback) {
    lines.push("<details><summary>Rollback timeline</summary>", "");
    const timeline = capLines(renderTimeline(rollback.result.timeline), "more lines", TIMELINE_END);
    lines.push(...codeBlock("text", timeline), "</details>", "");
  }
  return lines;
}

/** The revision the service ran before this deploy: where a rollback goes. */
function previousOf({ plan }: Outcomes): string | undefined {
  return plan?.deployable.target.taskDefinition;
}

/** The ARNs that the lines above name by their short names. */
function arnSection(outcomes: Outcomes): string[] {
  const previous = previousOf(outcomes);
  const arns = [
    outcomes.taskDefinitionArn && `task definition: ${outcomes.taskDefinitionArn}`,
    previous && `previous: ${previous}`,
    outcomes.deploymentId && `deployment: ${outcomes.deploymentId}`,
  ].filter((line): line is string => Boolean(line));
  if (arns.length === 0) return [];
  return ["<details><summary>ARNs</summary>", "", ...codeBlock("text", arns), "</details>", ""];
}

function title({ read, configPath }: Outcomes, result: Result): string {
  const what = read ? codeSpan(read.config.service) : oneLine(configPath);
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
  return outcomes[result];
}

function facts(outcomes: Outcomes, ending: Ending): [string, string][] {
  const { read, plan, taskDefinitionArn, deploymentId } = outcomes;
  const config = read?.config;
  const previous = previousOf(outcomes);
  const rows: [string, string | undefined][] = [
    ["Service", config && codeSpan(config.service)],
    ["Cluster", config && codeSpan(config.cluster)],
    ["Region", config?.region],
    ["Config", codeSpan(outcomes.configPath)],
    ["Task definition", taskDefinitionArn && `\`${shortTaskDefinition(taskDefinitionArn)}\``],
    ["Previous revision", previous && `\`${shortTaskDefinition(previous)}\``],
    ["Images", imageCell(outcomes)],
    [
      "Secrets (SSM ARNs, values never read)",
      (plan ? secretNames(plan.deployable) : []).map(codeSpan).join(", ") || "none",
    ],
    ["Plan", plan && describeDecision(plan.decision)],
    ["Deployment", deploymentId && `\`${deploymentId}\``],
    ["Result", ending.result],
    ["Rollback", outcomes.wait?.rollback?.text],
    ["Duration", formatDuration(ending.durationMs)],
    ["ECS console", config && consoleLink(config)],
  ];
  return rows.filter((row): row is [string, string] => Boolean(row[1]));
}

function imageCell(outcomes: Outcomes): string | undefined {
  const lines = imagesOf(outcomes).map(({ container, uri, digest }) => {
    return `${codeSpan(container)}: ${codeSpan(uri)}${digest ? ` → ${codeSpan(digest)}` : ""}`;
  });
  return lines.join("<br>") || undefined;
}

function consoleLink({ region, cluster, service }: NonNullable<Outcomes["read"]>["config"]): string {
  return `[deployments of ${service}](${consoleUrl(region, cluster, service)})`;
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
