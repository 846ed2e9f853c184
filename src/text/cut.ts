// Pure: long text made short enough to print, saying that it was cut and how long it was. A value can be as long as
// the config file allows (1 MiB); the log, the diff and the job summary show its start and its length, the rendered
// task definition file keeps it whole.

/** How much of a value a line shows. */
export const MAX_SHOWN_CHARS = 200;

/** `text`, or its first `max` characters followed by `… (61 440 characters in all)`. */
export function cutText(text: string, max = MAX_SHOWN_CHARS): string {
  if (text.length <= max) return text;
  return `${startOf(text, max)}… (${thousands(text.length)} characters in all)`;
}

/** The first `max` UTF-16 units of `text`, never half a surrogate pair. */
export function startOf(text: string, max: number): string {
  const start = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(start) ? start.slice(0, -1) : start;
}

/** `89 990`: digits grouped by three, as a reader counts them, whatever the runner's locale. */
export function thousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}
