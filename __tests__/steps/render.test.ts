// The rendered task definition's file: one per run (two runs of one service must not overwrite each other's), under
// a name short enough for the longest family ECS takes (255 characters).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Host } from "../../src/host/host.js";
import type { Deployable } from "../../src/preflight/judge.js";
import { renderStep } from "../../src/steps/render.js";

function run(dir: string, family: string): string {
  const outputs = new Map<string, string>();
  const host = {
    info: () => undefined,
    untrusted: () => undefined,
    warning: () => undefined,
    setOutput: (name: string, value: string) => outputs.set(name, value),
  } as unknown as Host;
  const deployable = {
    images: { resolved: [], warnings: [] },
    taskDefinition: { family, containerDefinitions: [{ name: "web", image: "nginx" }] },
    current: undefined,
  } as unknown as Deployable;
  renderStep({ host }, { deployable, decision: {} as never, dir, dryRun: false });
  return outputs.get("task-definition-file") ?? "";
}

describe("the rendered task definition's file", () => {
  it("is a file of the run's own, under a short name, even for a 255-character family", () => {
    const dir = mkdtempSync(join(tmpdir(), "render-test-"));
    const family = "f".repeat(255);
    const [first, second] = [run(dir, family), run(dir, family)];

    expect(first).not.toBe(second);
    expect(basename(first)).toBe("task-definition.json");
    expect(basename(dirname(first))).toMatch(/^deploy-action-f{64}-\w{6}$/);
    expect(dirname(dirname(first))).toBe(dir);
    expect(JSON.parse(readFileSync(first, "utf8")).family).toBe(family);
    expect(JSON.parse(readFileSync(second, "utf8")).family).toBe(family);
  });
});
