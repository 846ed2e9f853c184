// The GitHub runner as the host: the toolkit's workflow commands, the GITHUB_OUTPUT file, the job summary.
import { randomBytes } from "node:crypto";
import * as core from "@actions/core";
import type { SourceLocation } from "../errors.js";
import { inertLines } from "../text/inert.js";
import type { Host } from "./host.js";

function annotation(at: SourceLocation | undefined): core.AnnotationProperties {
  if (!at) return {};
  return { file: at.file, startLine: at.line, startColumn: at.column, title: "deploy-action" };
}

export function githubHost(): Host {
  return {
    group: (title, step) => core.group(title, async () => step()),
    // The action's own lines quote names that came from files and inputs (a file name, a key, a path): each is
    // as untrusted as an app's log line, so every line goes the same inert way.
    info: (line) => printInert(line.split("\n")),
    untrusted: (lines) => printInert(lines),
    notice: (message, at) => core.notice(message, annotation(at)),
    warning: (message, at) => core.warning(message, annotation(at)),
    error: (message, at) => core.error(message, annotation(at)),
    setOutput: (name, value) => core.setOutput(name, value),
    fail: (message) => core.setFailed(message),
    summary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown).write();
    },
  };
}

/** Lines whose text the action did not write: never read as a workflow command (text/inert.ts). */
function printInert(lines: readonly string[]): void {
  for (const line of inertLines(lines, () => randomBytes(16).toString("hex"))) core.info(line);
}
