// Pure: text the action did not write (application log lines, service events, stop reasons, AWS messages), made
// safe to print where the GitHub runner reads workflow commands. The runner takes a line as a command when, after
// its leading white space, it starts with `::` — or when it holds `##[` anywhere (the legacy form) — and it splits
// output into lines at \r as well as \n. So a line of ours is one line, and a line that could still parse as a
// command is printed inside `::stop-commands::<token>` … `::<token>::` (host/github.ts).

/** One line: line breaks and other control characters shown as escapes (`\n`, `\u001b`), never sent raw. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this replaces.
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u0085\u2028\u2029]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** Would the runner read this line as a workflow command (either form)? */
export function mightBeCommand(line: string): boolean {
  return /^\s*::/.test(line) || line.includes("##[");
}

/**
 * What to print for `lines` where the runner reads workflow commands: each on one line and, when any could parse as
 * a command, all of them inside stop-commands with a token nobody else knows (`token()` makes fresh random bytes), so
 * not even a line that guesses the resume syntax can resume early.
 */
export function inertLines(lines: readonly string[], token: () => string): string[] {
  const safe = lines.map(oneLine);
  if (!safe.some(mightBeCommand)) return safe;
  const stop = token();
  return [`::stop-commands::${stop}`, ...safe, `::${stop}::`];
}

/**
 * A name from outside (a file, a key, a path, an image) as markdown inline code in the job summary: one line, and no
 * backtick or `|` in it can end the span early or split a table cell.
 */
export function codeSpan(text: string): string {
  return `\`${oneLine(text).replaceAll("`", "ʼ").replaceAll("|", "\\|")}\``;
}
