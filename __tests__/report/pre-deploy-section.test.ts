// The job summary's section on the pre-deploy tasks: one part per task, its facts and last log lines in code blocks
// (the lines are the app's, the reasons ECS's: nothing in them may render or close the block).
import { describe, expect, it } from "vitest";
import { renderSummary } from "../../src/report/summary.js";
import { ending, outcomes } from "../support/outcomes.js";

const failed = ending("failed", { durationMs: 1000 });

describe("the pre-deploy section of the job summary", () => {
  it("gives each task its command, duration, exit code and last log lines, in code blocks", () => {
    const markdown = renderSummary(
      outcomes({
        preDeploy: {
          summary: "Run with app:42 before UpdateService, in order.",
          runs: [
            {
              name: "seed `cache`",
              container: "app",
              command: "bin/seed",
              outcome: "succeeded",
              exitCode: 0,
              durationMs: 12_000,
              lastLines: ["seeded"],
            },
            {
              name: "migrate",
              container: "app",
              command: "bin/rails db:migrate",
              outcome: "failed",
              reason: "exited with code 1",
              exitCode: 1,
              task: "3f2a9c1e…",
              durationMs: 65_000,
              notes: ["sidecar log-router exited with code 1"],
              lastLines: ["```", "<img src=x onerror=alert(1)>", "ERROR: relation orders does not exist"],
            },
            { name: "warm", container: "app", command: "bin/warm", outcome: "not-run" },
          ],
        },
      }),
      failed,
    );
    expect(markdown).toContain("### Pre-deploy tasks\n\nRun with app:42 before UpdateService, in order.");
    // A backtick in the name cannot end its inline code early.
    expect(markdown).toContain("#### ✅ 1. `seed ʼcacheʼ`: succeeded");
    expect(markdown).toContain("#### ❌ 2. `migrate`: failed");
    expect(markdown).toContain(
      "```text\ncommand:   bin/rails db:migrate\ncontainer: app\ntask:      3f2a9c1e…\nduration:  1m05s\nexit code: 1\nresult:    exited with code 1\nnote: sidecar log-router exited with code 1\n```",
    );
    // A failed task's lines are open; the app's fence is defused, its HTML stays text inside the block.
    expect(markdown).toContain(
      "<details open><summary>Last 3 log lines</summary>\n\n```text\nʼʼʼ\n<img src=x onerror=alert(1)>\nERROR: relation orders does not exist\n```",
    );
    expect(markdown).toContain("<details><summary>Last 1 log lines</summary>");
    expect(markdown).toContain("#### ⏭️ 3. `warm`: not-run");
  });

  it("says nothing of tasks when the config has none", () => {
    expect(renderSummary(outcomes(), failed)).not.toContain("Pre-deploy");
  });
});
