// Where the run prints and what it leaves behind: the steps talk to this interface, so the same steps run on the
// GitHub runner (host/github.ts: groups, annotations, outputs, the job summary) or in a terminal.
import type { SourceLocation } from "../errors.js";

export interface Host {
  /** A step of the run: a collapsible group on GitHub, a heading in a terminal. */
  group<T>(title: string, step: () => Promise<T> | T): Promise<T>;
  /** A line the action wrote itself; names in it (files, keys, paths) came from outside, so it is printed inert too. */
  info(line: string): void;
  /**
   * Lines whose text the action did not write (application logs, service events, stop reasons, AWS messages), or
   * lines that quote such text: printed so that nothing in them is ever read as a workflow command.
   */
  untrusted(lines: readonly string[]): void;
  notice(message: string, at?: SourceLocation): void;
  warning(message: string, at?: SourceLocation): void;
  /** An error annotation: one line, at its place in a file when it has one. */
  error(message: string, at?: SourceLocation): void;
  setOutput(name: string, value: string): void;
  /** Fails the step (exit code 1) with the root cause. */
  fail(message: string): void;
  /** Appends markdown to the job summary, where there is one. */
  summary(markdown: string): Promise<void>;
}
