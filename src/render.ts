// Step: show what this deploy would register — the rendered task definition as a file and in the log, the
// diff against what the service runs, and the image digests — before anything is changed.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as core from "@actions/core";
import { diffTaskDefinitions, renderDiff } from "./diff.js";
import type { Preflight } from "./preflight.js";
import type { DeployReport } from "./report/summary.js";

export function renderStep(checked: Preflight, report: DeployReport, dir: string): void {
  for (const notice of checked.images.notices) core.notice(notice);
  for (const image of checked.images.resolved) {
    if (image.digest) core.info(`image ${image.uri} → ${image.digest}${image.pinned !== image.uri ? " (pinned)" : ""}`);
  }
  report.digests = checked.images.resolved;
  core.setOutput(
    "image-digests",
    JSON.stringify(Object.fromEntries(checked.images.resolved.map((i) => [i.container, i]))),
  );

  const file = writeTaskDefinition(dir, checked);
  core.setOutput("task-definition-file", file);
  core.info(`Rendered task definition: ${file}`);

  const diff = renderDiff(diffTaskDefinitions(checked.current, checked.taskDefinition));
  report.diff = diff;
  core.info(`Changes against ${checked.current?.taskDefinitionArn ?? "nothing (first revision)"}:`);
  for (const line of diff.split("\n")) core.info(`  ${line}`);
}

function writeTaskDefinition(dir: string, checked: Preflight): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${checked.taskDefinition.family}-task-definition.json`);
  // Secrets are ARNs, never values: the file is safe to upload as an artifact.
  writeFileSync(file, `${JSON.stringify(checked.taskDefinition, null, 2)}\n`);
  return file;
}
