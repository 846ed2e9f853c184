// Pure: the timeline as a markdown table for the job summary.
import type { TimelineEntry } from "./model.js";

/** `1:05` (minutes:seconds since the wait began). */
export function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function cell(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("|", "\\|").replaceAll("\n", " ");
}

export function renderTimeline(timeline: TimelineEntry[]): string {
  if (timeline.length === 0) return "";
  const rows = timeline.map((entry) => `| ${clock(entry.at)} | ${cell(entry.text)} |`);
  return ["| time | what happened |", "| ---: | --- |", ...rows].join("\n");
}
