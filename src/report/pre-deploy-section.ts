// Pure: the job summary's section on the pre-deploy tasks, one part per task. The command is the config's; the
// reasons quote ECS and the log lines are the app's, so all of it goes inside code blocks (see summary.ts).
import { codeSpan } from "../text/inert.js";
import { formatDuration } from "../text/names.js";

export interface PreDeployRun {
  name: string;
  container: string;
  command: string;
  outcome: "succeeded" | "failed" | "cancelled" | "not-run" | "dry-run";
  /** the verdict in words: `exited with code 1`, `never started: CannotPullContainerError: …` */
  reason?: string | undefined;
  exitCode?: number | undefined;
  /** `3f2a9c1e…` */
  task?: string | undefined;
  durationMs?: number | undefined;
  /** the network and compute it ran (or would run) with */
  where?: string[] | undefined;
  notes?: string[] | undefined;
  lastLines?: string[] | undefined;
}

export interface PreDeployReport {
  /** one line: when they ran, or why they did not */
  summary: string;
  runs: PreDeployRun[];
}

const ICONS: Record<PreDeployRun["outcome"], string> = {
  succeeded: "✅",
  failed: "❌",
  cancelled: "🛑",
  "not-run": "⏭️",
  "dry-run": "🔍",
};

export function renderPreDeploy(
  report: PreDeployReport | undefined,
  codeBlock: (language: string, lines: readonly string[]) => string[],
): string[] {
  if (!report || report.runs.length === 0) return [];
  const lines = ["### Pre-deploy tasks", "", report.summary, ""];
  for (const [i, run] of report.runs.entries()) {
    lines.push(`#### ${ICONS[run.outcome]} ${i + 1}. ${codeSpan(run.name)}: ${run.outcome}`, "");
    lines.push(...codeBlock("text", facts(run)), "");
    if (run.lastLines && run.lastLines.length > 0) {
      const open = run.outcome === "succeeded" ? "" : " open";
      lines.push(`<details${open}><summary>Last ${run.lastLines.length} log lines</summary>`, "");
      lines.push(...codeBlock("text", run.lastLines), "</details>", "");
    }
  }
  return lines;
}

function facts(run: PreDeployRun): string[] {
  const rows: [string, string | undefined][] = [
    ["command", run.command],
    ["container", run.container],
    ["task", run.task],
    ["duration", run.durationMs === undefined ? undefined : formatDuration(run.durationMs)],
    ["exit code", run.exitCode === undefined ? undefined : String(run.exitCode)],
    ["result", run.reason],
  ];
  const set = rows.filter((row): row is [string, string] => row[1] !== undefined);
  return [
    ...set.map(([name, value]) => `${`${name}:`.padEnd(11)}${value}`),
    ...(run.where ?? []),
    ...(run.notes ?? []).map((note) => `note: ${note}`),
  ];
}
