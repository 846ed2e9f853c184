// End to end: a config file with 90 000 unknown keys. GitHub keeps 10 error annotations a step and drops a job summary
// over 1 MiB; the run must stay inside both, say how many problems there were, and change nothing in AWS.
import { describe, expect, it } from "vitest";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import { deployAction, workspaceWith, UNCALLED_WORLD as world } from "../support/e2e.js";

describe("output stays bounded", () => {
  it("90 000 unknown keys: at most 10 annotations, a log under 1 MB, a summary under 1 MiB", async () => {
    // Short keys, so the file stays under the 1 MiB a config file may have.
    const keys = Array.from({ length: 90_000 }, (_, n) => `k${n}=1`);
    const file = workspaceWith(`${keys.join("\n")}\n${guideConfig(world)}`);
    const run = await deployAction(file, { images: `${world.service}=nginx:1.27`, wait: "false" });

    expect(run.code).not.toBe(0);
    expect(run.calls).toEqual([]);
    expect(Buffer.byteLength(run.stdout + run.stderr)).toBeLessThan(1_000_000);
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
    const annotations = run.stdout.split("\n").filter((line) => /^::(error|warning|notice)/.test(line));
    expect(annotations.length).toBeLessThanOrEqual(10);
    // Every key is accounted for, the first ones by name, on their lines.
    expect(run.stdout).toMatch(/\bk0\b/);
    expect(run.stdout).toMatch(/^::error title=deploy-action,file=deploy\/app\.toml,line=1,col=1::.*unknown key `k0`/m);
    expect(run.stdout).toContain("89 990 more unknown keys: `k10`, `k11`, `k12`, …");
    expect(run.summary).toContain("89 990 more unknown keys");
    expect(run.outputs.result).toBe("failed");
  });
});
