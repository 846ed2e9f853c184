// Pure: `deploy-action history` as a table for a terminal (or a workflow's log): one line per deployment, newest
// first, with the commit each revision was built from. Tag values and ECS's reasons are text the action did not
// write: the caller prints these lines as untrusted.
import type { History, HistoryEntry } from "../plan/run/history.js";
import { oneLine } from "../text/inert.js";

const SOURCE: Record<History["source"], string> = {
  deployments: "ECS's service deployments",
  revisions:
    "the family's ACTIVE revisions (ECS answered no list of service deployments here: only the one the service runs is known to have run)",
};

const HEADINGS = ["revision", "images", "commit", "run", "when (UTC)", "how it ended"] as const;

export function renderHistory(history: History, where: { service: string; cluster: string }): string[] {
  const head = `${where.service} (cluster ${where.cluster}), newest first, from ${SOURCE[history.source]}:`;
  if (history.entries.length === 0) return [head, "  (none)"];
  const rows = history.entries.map(cells);
  const widths = HEADINGS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")}`.trimEnd();
  return [head, line(HEADINGS), ...rows.map(line)];
}

function cells(entry: HistoryEntry): string[] {
  return [
    entry.revision,
    entry.images.join(" ") || "-",
    commitOf(entry),
    entry.run ?? "-",
    entry.at ? when(entry.at) : "-",
    oneLine(entry.ended),
  ].map((cell) => oneLine(cell).slice(0, 200));
}

/** `1a2b3c4 octo/app`: the commit a developer looks up; the full id is in the revision's tags. */
export function commitOf(entry: Pick<HistoryEntry, "commit" | "repository">): string {
  if (!entry.commit) return "-";
  return `${entry.commit.slice(0, 7)}${entry.repository ? ` ${entry.repository}` : ""}`;
}

function when(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}
