// A Host that records what a step printed and left behind, in order: step tests assert on it instead of mocking
// @actions/core. `log` holds every line as the runner would show it (groups, untrusted lines marked), `outputs`
// the outputs, `failed` the step's last line.
import type { SourceLocation } from "../../src/errors.js";
import type { Host } from "../../src/host/host.js";

export interface RecordingHost extends Host {
  /** `::group::Title`, lines, `::endgroup::`; untrusted lines as `[untrusted] …`, annotations as `::notice::…` */
  log: string[];
  /** every untrusted line alone, in order */
  untrustedLines: string[];
  outputs: Map<string, string>;
  annotations: { kind: "notice" | "warning" | "error"; message: string; at?: SourceLocation | undefined }[];
  failed: string | undefined;
  summaries: string[];
  /** called with each line printed (info and untrusted), as it is printed: a test acts at a point of the run */
  onLine?: ((line: string) => void) | undefined;
}

export function recordingHost(): RecordingHost {
  const host: RecordingHost = {
    log: [],
    untrustedLines: [],
    outputs: new Map(),
    annotations: [],
    failed: undefined,
    summaries: [],
    async group(title, step) {
      host.log.push(`::group::${title}`);
      try {
        return await step();
      } finally {
        host.log.push("::endgroup::");
      }
    },
    info(line) {
      host.log.push(line);
      host.onLine?.(line);
    },
    untrusted(lines) {
      for (const line of lines) {
        host.log.push(`[untrusted] ${line}`);
        host.untrustedLines.push(line);
        host.onLine?.(line);
      }
    },
    notice(message, at) {
      host.annotations.push({ kind: "notice", message, at });
      host.log.push(`::notice::${message}`);
    },
    warning(message, at) {
      host.annotations.push({ kind: "warning", message, at });
      host.log.push(`::warning::${message}`);
    },
    error(message, at) {
      host.annotations.push({ kind: "error", message, at });
      host.log.push(`::error::${message}`);
    },
    setOutput(name, value) {
      host.outputs.set(name, value);
    },
    fail(message) {
      host.failed = message;
      host.log.push(`::error::${message}`);
    },
    async summary(markdown) {
      host.summaries.push(markdown);
    },
  };
  return host;
}
