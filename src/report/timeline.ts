// Pure: the rollout timeline as text, one line per change: the job summary shows it inside a code block, so that
// nothing in AWS's or the app's words renders as Markdown or HTML there.
import type { TimelineEntry } from "../rollout/index.js";
import { clock, shortenArns } from "../text/names.js";

export function renderTimeline(timeline: readonly TimelineEntry[]): string[] {
  return timeline.map((entry) => `${clock(entry.at).padStart(5)}  ${shortenArns(entry.text).replaceAll("\n", " ")}`);
}
