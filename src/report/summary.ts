// Pure: what happened → the job summary's markdown.
import type { Provenance } from "../plan/provenance.js";
import { shortTaskDefinition } from "../text/names.js";
import { renderProvenance } from "./provenance.js";

export type Result =
  | "succeeded"
  | "started"
  | "unchanged"
  | "scaled"
  | "dry-run"
  | "failed"
  | "timed-out"
  | "cancelled"
  | "not-started";

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
  /** What the on-failure rollback did, when it ran. */
  rollback?: string;
  /** Markdown from the rollout watcher. */
  timeline?: string;
  /** Markdown from the watch of the on-failure rollback, when it ran. */
  rollbackTimeline?: string;
  /** The commit, actor and run this deploy comes from, and what it ships: on GitHub Actions only. */
  provenance?: Provenance | undefined;
  durationMs: number;
}

const ICONS: Record<Result, string> = {
  succeeded: "✅",
  started: "🚀",
  unchanged: "🟰",
  scaled: "📏",
  "dry-run": "🔍",
  failed: "❌",
  "timed-out": "⏱️",
  cancelled: "🛑",
  "not-started": "⛔",
};

export function renderSummary(report: DeployReport): string {
  const lines = [`## ${ICONS[report.result]} ${title(report)}`, ""];
  if (report.message) lines.push(`> ${report.message.split("\n")[0]}`, "");
  lines.push("| | |", "|---|---|");
  for (const [name, value] of facts(report)) lines.push(`| ${name} | ${value} |`);
  lines.push("");
  if (report.details.length > 0) {
    lines.push(
      "<details open><summary>Why</summary>",
      "",
      "```text",
      ...report.details.map(noFence),
      "```",
      "</details>",
    );
    lines.push("");
  }
  if (report.diff) lines.push("### Changes to the task definition", "", "```diff", noFence(report.diff), "```", "");
  if (report.timeline) lines.push("### Rollout timeline", "", report.timeline, "");
  if (report.rollbackTimeline) lines.push("### Rollback timeline", "", report.rollbackTimeline, "");
  if (report.provenance) lines.push(renderProvenance(report.provenance));
  return lines.join("\n");
}

function title(report: DeployReport): string {
  const what = report.service ? `\`${report.service}\`` : report.configPath;
  const outcomes: Record<Result, string> = {
    succeeded: `Deployed ${what}`,
    started: `Deployment of ${what} started (not waited for)`,
    unchanged: `${what} already runs this task definition: nothing to deploy`,
    scaled: `Scaled ${what}: the task definition did not change`,
    "dry-run": `Dry run for ${what}: every check passed, nothing was changed`,
    failed: `Deploy of ${what} failed`,
    "timed-out": `Deploy of ${what} timed out`,
    cancelled: `Deploy of ${what} cancelled`,
    "not-started": `Deploy of ${what} not started`,
  };
  return outcomes[report.result];
}

function facts(report: DeployReport): [string, string][] {
  const rows: [string, string | undefined][] = [
    ["Service", report.service && `\`${report.service}\``],
    ["Cluster", report.cluster && `\`${report.cluster}\``],
    ["Region", report.region],
    ["Config", `\`${report.configPath}\``],
    ["Task definition", report.taskDefinitionArn && `\`${shortTaskDefinition(report.taskDefinitionArn)}\``],
    ["Previous revision", report.previousTaskDefinition && `\`${shortTaskDefinition(report.previousTaskDefinition)}\``],
    ["Images", imageCell(report)],
    ["Secrets (SSM ARNs, values never read)", report.secretNames.map((n) => `\`${n}\``).join(", ") || "none"],
    ["Plan", report.plan],
    ["Deployment", report.deploymentId && `\`${report.deploymentId}\``],
    ["Result", report.result],
    ["Rollback", report.rollback],
    ["Duration", formatDuration(report.durationMs)],
    ["ECS console", consoleLink(report)],
  ];
  return rows.filter((row): row is [string, string] => Boolean(row[1]));
}

export function consoleUrl(region: string, cluster: string, service: string): string {
  const c = encodeURIComponent(cluster.split("/").pop() ?? cluster);
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${c}/services/${encodeURIComponent(service)}/deployments?region=${region}`;
}

function imageCell(report: DeployReport): string | undefined {
  const digests = new Map(report.digests.map((d) => [d.container, d]));
  const lines = report.images.map(([name, uri]) => {
    const digest = digests.get(name)?.digest;
    return `\`${name}\`: \`${uri}\`${digest ? ` → \`${digest}\`` : ""}`;
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

/** A line inside a fenced block must not close it. */
function noFence(line: string): string {
  return line.replaceAll("```", "ʼʼʼ");
}
