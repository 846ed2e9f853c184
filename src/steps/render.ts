// Step: show what this deploy would register — the rendered task definition as a file and in the log, the
// diff against what the service runs, and the image digests — before anything is changed.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Host } from "../host/host.js";
import { type Decision, describeChanges, describeDecision } from "../plan/service/decision.js";
import type { Deployable } from "../preflight/judge.js";
import { cutText, MAX_SHOWN_CHARS } from "../text/cut.js";
import type { RunContext } from "./context.js";

export interface RenderOptions {
  deployable: Deployable;
  decision: Decision;
  /** Where the rendered task definition is written. */
  dir: string;
  /** A dry run prints the whole task definition too: it is all the user gets. */
  dryRun: boolean;
}

export function renderStep({ host }: Pick<RunContext, "host">, options: RenderOptions): void {
  const { deployable } = options;
  for (const warning of [...deployable.images.warnings, ...(deployable.warnings ?? [])]) host.warning(warning);
  for (const image of deployable.images.resolved) {
    if (image.digest) host.info(`image ${image.uri} → ${image.digest}${image.pinned !== image.uri ? " (pinned)" : ""}`);
  }
  host.setOutput(
    "image-digests",
    JSON.stringify(Object.fromEntries(deployable.images.resolved.map((i) => [i.container, i]))),
  );

  const file = writeTaskDefinition(options.dir, deployable);
  host.setOutput("task-definition-file", file);
  // An existing revision is not rendered: the file holds it as described, for the diff and an artifact alike.
  host.info(
    `${deployable.existing ? `Task definition ${deployable.existing.name}` : "Rendered task definition"}: ${file}`,
  );
  // Secrets in it are ARNs, never values: safe to print.
  if (options.dryRun) printTaskDefinition(host, deployable, file);

  const diff = describeChanges(deployable, options.decision);
  host.info(`Changes against ${deployable.current?.taskDefinitionArn ?? "nothing (first revision)"}:`);
  // The current revision's values are whatever was registered before: printed inert.
  host.untrusted(diff.split("\n").map((line) => `  ${line}`));
  host.info(`Plan: ${describeDecision(options.decision)}`);
}

/** The task definition in the log, its long values cut (a 60 KB environment value would fill the page). */
function printTaskDefinition(host: Host, deployable: Deployable, file: string): void {
  let cut = 0;
  const shown = JSON.stringify(
    deployable.taskDefinition,
    (_key, value: unknown) => {
      if (typeof value !== "string" || value.length <= MAX_SHOWN_CHARS) return value;
      cut += 1;
      return cutText(value);
    },
    2,
  );
  // Values come from the config and, for a revision's defaults, from AWS: printed inert.
  host.untrusted(shown.split("\n"));
  if (cut > 0)
    host.info(`${cut} value(s) longer than ${MAX_SHOWN_CHARS} characters are cut above; ${file} has them whole`);
}

/**
 * A folder of this run's own (two runs of one service on a machine must not overwrite each other's file), named
 * short: a family may be 255 characters, a file name no more (ENAMETOOLONG).
 */
function writeTaskDefinition(dir: string, deployable: Deployable): string {
  mkdirSync(dir, { recursive: true });
  const family = (deployable.taskDefinition.family ?? "").slice(0, 64);
  const file = join(mkdtempSync(join(dir, `deploy-action-${family}-`)), "task-definition.json");
  // Secrets are ARNs, never values: the file is safe to upload as an artifact.
  writeFileSync(file, `${JSON.stringify(deployable.taskDefinition, null, 2)}\n`);
  return file;
}
