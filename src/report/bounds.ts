// Pure: output that stays within what GitHub keeps, whatever the input. GitHub shows at most 10 error annotations
// per step and drops a job summary over 1 MiB; a config of 90 000 unknown keys once printed 90 001 annotations, a
// 37.6 MB log and a 31.6 MB summary. So problems are folded and counted past a few, and the summary is measured in
// the bytes GitHub counts (UTF-8) and cut, with its open code block and folds closed, before it reaches the limit.
import { formatProblem, type Problem } from "../errors.js";
import { cutText, startOf, thousands } from "../text/cut.js";

/** GitHub's limit per step; the step's own failure line is one of them. */
export const MAX_ERROR_ANNOTATIONS = 10;
/** Problems listed one by one in the log and the summary (the annotated ones included); the rest are counted. */
export const MAX_LISTED_PROBLEMS = 100;
/** GitHub drops a step's summary over 1 MiB: this leaves room for what GitHub adds around it. */
export const MAX_SUMMARY_BYTES = 1024 * 1024 - 16 * 1024;
/** A problem's line, at most: a message may quote what the user wrote. */
const MAX_PROBLEM_CHARS = 1000;

export interface BoundedProblems {
  /** As error annotations, each at its place: one fewer than GitHub keeps when the step's failure line follows. */
  annotated: Problem[];
  /** Listed in the log and the summary, not annotated. */
  listed: Problem[];
  /** `… and 89 900 more of the same kind (unknown key `…`)`: one line per kind of the problems not listed. */
  more: string[];
  /** How many problems there were, repeats folded. */
  total: number;
}

/** Repeats folded, the first few annotated, the next listed, the rest counted by kind. */
export function boundProblems(problems: readonly Problem[]): BoundedProblems {
  const folded = foldRepeats(problems);
  const annotate = Math.min(folded.length, MAX_ERROR_ANNOTATIONS - 1);
  const cut = (some: Problem[]) => some.map((p) => ({ ...p, message: cutText(p.message, MAX_PROBLEM_CHARS) }));
  return {
    annotated: cut(folded.slice(0, annotate)),
    listed: cut(folded.slice(annotate, MAX_LISTED_PROBLEMS)),
    more: countByKind(folded.slice(MAX_LISTED_PROBLEMS)),
    total: folded.length,
  };
}

/**
 * The same message said many times is one problem, said once with its count: 500 images given for one container is
 * one mistake. It stays where it was first said.
 */
export function foldRepeats(problems: readonly Problem[]): Problem[] {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.message, (counts.get(p.message) ?? 0) + 1);
  const said = new Set<string>();
  const folded: Problem[] = [];
  for (const p of problems) {
    if (said.has(p.message)) continue;
    said.add(p.message);
    const times = counts.get(p.message) ?? 1;
    folded.push(times > 1 ? { ...p, message: `${p.message} (${thousands(times)} times)` } : p);
  }
  return folded;
}

/** One line per kind, in the order the kinds first appear: `… and 89 900 more of the same kind (…)`. */
function countByKind(problems: readonly Problem[]): string[] {
  const kinds = new Map<string, number>();
  for (const p of problems) {
    const kind = kindOf(p.message);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, n]) => `… and ${thousands(n)} more of the same kind (${kind})`);
}

/** A message with what varies taken out: the keys and values it quotes, the numbers it names. */
export function kindOf(message: string): string {
  const kind = startOf(message, 300)
    .replace(/`[^`]*`/g, "`…`")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\d+/g, "N");
  return cutText(kind, 120);
}

/** The lines of a bounded list, for the log and the summary's details. */
export function problemLines(bounded: BoundedProblems): string[] {
  return [...bounded.listed.map(formatProblem), ...bounded.more];
}

export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * `markdown` as it is when it fits in `maxBytes` (UTF-8), else cut at a line, with the code block and the folds
 * (`<details>`) open there closed, and a last line that says it was cut.
 */
export function boundSummary(markdown: string, maxBytes = MAX_SUMMARY_BYTES): string {
  if (utf8Bytes(markdown) <= maxBytes) return markdown;
  const note = "_The job summary was cut here to stay under GitHub's 1 MiB limit: the step's log has the rest._";
  // Room for the note and the closers: a fence, and one `</details>` per open fold.
  let budget = maxBytes - utf8Bytes(note) - 512;
  const kept: string[] = [];
  let fenced = false;
  let folds = 0;
  for (const line of markdown.split("\n")) {
    const size = utf8Bytes(line) + 1;
    if (size > budget) {
      // One huge line (a value, a log line) still shows its start.
      if (budget > 200) kept.push(cutToBytes(line, budget - 100));
      break;
    }
    budget -= size;
    kept.push(line);
    if (line.startsWith("```")) fenced = !fenced;
    else if (!fenced && line.startsWith("<details")) folds += 1;
    else if (!fenced && line.startsWith("</details>")) folds -= 1;
  }
  const closers = [...(fenced ? ["```"] : []), ...Array.from({ length: Math.max(0, folds) }, () => "</details>")];
  return [...kept, ...closers, "", note, ""].join("\n");
}

/** The start of `line` in at most `maxBytes` UTF-8 bytes, with `…` where it was cut. */
function cutToBytes(line: string, maxBytes: number): string {
  // A character takes at most 4 bytes (2 UTF-16 units): a first guess, then shorter until it fits.
  let chars = Math.min(line.length, maxBytes);
  let cut = startOf(line, chars);
  while (chars > 0 && utf8Bytes(cut) > maxBytes - 3) {
    chars = Math.floor(chars * 0.9);
    cut = startOf(line, chars);
  }
  return `${cut}…`;
}
