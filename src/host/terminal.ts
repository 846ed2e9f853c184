// A terminal as the host, for the command line: each step under a heading instead of ::group::, problems as
// `error: file:line:col: message` on stderr, the outputs listed at the end, and no job summary. The command line may
// itself run inside a GitHub Actions step, where the runner reads its output too: text the action did not write is
// kept inert there exactly as the action's own host keeps it (text/inert.ts).
import { randomBytes } from "node:crypto";
import type { SourceLocation } from "../errors.js";
import { inertLines, oneLine } from "../text/inert.js";
import type { Host } from "./host.js";

export interface TerminalHost extends Host {
  /** Lists the outputs and returns the exit code: 1 when the run failed, else 0. */
  finish(): number;
}

export interface TerminalOptions {
  out?: (text: string) => void;
  err?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Bold headings: on by default for a TTY, off with NO_COLOR. */
  color?: boolean;
  /** Rewrites the action's words for this terminal's user (the command line speaks of its flags, not of inputs). */
  words?: (text: string) => string;
  /** Put in front of every line (`[api] `), when several runs share one terminal: the service's name. */
  label?: string;
}

export function terminalHost(options: TerminalOptions = {}): TerminalHost {
  const out = options.out ?? ((text: string) => void process.stdout.write(text));
  const err = options.err ?? ((text: string) => void process.stderr.write(text));
  const env = options.env ?? process.env;
  const color = options.color ?? (process.stdout.isTTY === true && !env.NO_COLOR);
  const words = options.words ?? ((text: string) => text);
  // The runner splits output into lines and reads commands from them, even from a program that is not an action.
  const onRunner = env.GITHUB_ACTIONS === "true";
  const label = options.label ? `[${options.label}] ` : "";
  // The label goes in front before the lines are made inert, so that it can never split a stop-commands pair.
  const inert = (lines: readonly string[]) => {
    const labelled = lines.map((line) => `${label}${line}`);
    return onRunner ? inertLines(labelled, () => randomBytes(16).toString("hex")) : labelled.map(oneLine);
  };
  const write = (to: (text: string) => void, lines: readonly string[]) => {
    for (const line of lines) to(`${line}\n`);
  };
  const outputs = new Map<string, string>();
  let failed = false;
  const diagnostic = (level: string, message: string, at?: SourceLocation) => {
    const [first = "", ...rest] = words(message).split("\n");
    write(err, inert([`${level}: ${where(message, at)}${first}`, ...rest.map((line) => `  ${line}`)]));
  };
  return {
    group: async (title, step) => {
      out(`\n${label}${color ? `\x1b[1m==> ${title}\x1b[0m` : `==> ${title}`}\n`);
      return step();
    },
    // Names from files and inputs (a file name with an ESC in it) never reach the terminal raw.
    info: (line) => write(out, inert(words(line).split("\n"))),
    untrusted: (lines) => write(out, inert(lines)),
    notice: (message, at) => diagnostic("notice", message, at),
    warning: (message, at) => diagnostic("warning", message, at),
    error: (message, at) => diagnostic("error", message, at),
    setOutput: (name, value) => {
      outputs.set(name, value);
    },
    fail: (message) => {
      failed = true;
      diagnostic("error", message);
    },
    // A terminal has no job summary: the log above says it all.
    summary: async () => {},
    finish: () => {
      // `record` quotes the first error line, which may quote an application: printed inert like any such text.
      if (outputs.size > 0)
        write(out, inert(["", "Outputs:", ...[...outputs].map(([name, value]) => `  ${name}: ${value}`)]));
      return failed ? 1 : 0;
    },
  };
}

/** `file:line:col: `, unless the message starts with its place already (a located problem does). */
function where(message: string, at: SourceLocation | undefined): string {
  if (!at) return "";
  const place = `${at.file}:${at.line}:${at.column}: `;
  return message.startsWith(place) ? "" : place;
}
