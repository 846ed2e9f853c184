// Pure: the rollout timeline as a markdown table for the job summary.
import type { TimelineEntry } from "../rollout/verdict/model.js";
import { clock } from "../text/names.js";

function cell(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("|", "\\|").replaceAll("\n", " ");
}

export function renderTimeline(timeline: readonly TimelineEntry[]): string {
  if (timeline.length === 0) return "";
  const rows = timeline.map((entry) => `| ${clock(entry.at)} | ${cell(entry.text)} |`);
  return ["| time | what happened |", "| ---: | --- |", ...rows].join("\n");
}
