import { describe, expect, it } from "vitest";
import { MAX_SUMMARY_BYTES, utf8Bytes } from "../../src/report/bounds.js";
import { consoleUrl, formatDuration, noFence, renderSummary } from "../../src/report/summary.js";
import { checkGantt } from "../support/mermaid.js";
import { ending, outcomes, planned, TD, watched } from "../support/outcomes.js";

describe("renderSummary", () => {
  it("shows what was deployed, the result and where to look", () => {
    const markdown = renderSummary(
      outcomes({
        plan: planned({
          images: [["app", "1.dkr.ecr.us-east-1.amazonaws.com/app:r254", "sha256:abc"]],
          secrets: ["API_KEY", "DB_PASSWORD"],
        }),
        taskDefinitionArn: TD(42),
        deploymentId: "ecs-svc/123",
        wait: {
          watched: watched("failed", "failed: container app exited with code 1"),
          rollback: { text: "rolled back to app:41: the service is healthy on it again", cancelled: false },
        },
      }),
      ending("failed", {
        message: "container app exited with code 1\nsecond line",
        details: ["task 3f2a STOPPED: Essential container in task exited", "```bad"],
      }),
    );
    expect(markdown).toContain("## ❌ Deploy of `app` failed");
    // The first line quotes AWS: in a code block, where nothing in it renders.
    expect(markdown).toContain("```text\ncontainer app exited with code 1\n```");
    expect(markdown).not.toContain("second line");
    expect(markdown).toContain("| Task definition | `app:42` |");
    expect(markdown).toContain("| Previous revision | `app:41` |");
    expect(markdown).toContain("`API_KEY`, `DB_PASSWORD`");
    expect(markdown).toContain("| Duration | 1 min 35 s |");
    expect(markdown).toContain("| Rollback | rolled back to app:41");
    expect(markdown).toContain("task 3f2a STOPPED");
    expect(markdown).not.toContain("```bad");
    expect(markdown).toContain("`app`: `1.dkr.ecr.us-east-1.amazonaws.com/app:r254` → `sha256:abc`");
    expect(markdown).toContain("```diff\n~ app image: app:r253 → app:r254\n```");
  });

  it("says when nothing was started", () => {
    const markdown = renderSummary({ configPath: "x.toml", steps: [] }, ending("not-started", { durationMs: 10 }));
    expect(markdown).toContain("## ⛔ Deploy of x.toml not started");
    expect(markdown).not.toContain("ECS console");
  });
});

describe("rollback", () => {
  it("shows the rollback's own timeline under the rollout's, and its bars in the chart", () => {
    const markdown = renderSummary(
      outcomes({
        wait: {
          watched: watched("failed", "failed: container app exited with code 1"),
          rollback: {
            text: "rolled back to app:41: the service is healthy on it again",
            cancelled: false,
            watched: watched("succeeded", "succeeded: revision 41 is live: 1/1 running", TD(41)),
          },
        },
      }),
      ending("failed", {
        message: "container app exited with code 1 — 3 tasks of revision 42 stopped (max-failed-tasks: 3)",
      }),
    );
    const rollout = markdown.indexOf("<summary>Rollout timeline</summary>");
    const rollback = markdown.indexOf("<summary>Rollback timeline</summary>");
    expect(rollout).toBeGreaterThan(-1);
    expect(rollback).toBeGreaterThan(rollout);
    expect(markdown.slice(rollback)).toContain(" 0:35  succeeded: revision 41 is live: 1/1 running\n");
    expect(markdown).toContain("| Rollback | rolled back to app:41: the service is healthy on it again |");
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1] ?? "";
    const check = checkGantt(chart);
    expect(check.problems).toEqual([]);
    expect(check.sections).toContain("rollback revision 42");
  });
});

describe("untrusted text in the summary", () => {
  it("AWS's and the app's words stay inside code blocks: no heading, no HTML, no early end of the block", () => {
    const forged = ["## ✅ Deployed `app`", "<img src=x onerror=alert(1)>", "```", "````markdown", "~~~"];
    const markdown = renderSummary(
      outcomes({ wait: { watched: watched("failed", "failed: ## ✅ Deployed <img src=x>") } }),
      ending("failed", {
        message: "<b>CannotPullContainerError</b>: ```not found```",
        details: ["  last 5 log lines of app:", ...forged.map((l) => `  ${l}`)],
      }),
    );
    // Every line outside a code block is the action's own.
    let inside = false;
    const outside: string[] = [];
    for (const line of markdown.split("\n")) {
      if (/^```/.test(line)) inside = !inside;
      else if (!inside) outside.push(line);
    }
    expect(inside).toBe(false);
    expect(outside.join("\n")).not.toMatch(/Deployed `app`|<img|<b>|CannotPull/);
    expect(outside.filter((l) => l.startsWith("## "))).toEqual(["## ❌ Deploy of `app` failed"]);
  });

  it("a fence inside the text cannot close the block", () => {
    expect(noFence("x ``` y ```` z ~~~")).toBe("x ʼʼʼ y ʼʼʼʼ z ∼∼∼");
  });

  it("the ARNs that the lines name by short names are listed in their own details", () => {
    const markdown = renderSummary(
      outcomes({ plan: planned(), taskDefinitionArn: TD(42), deploymentId: "ecs-svc/123" }),
      ending("failed"),
    );
    expect(markdown).toContain(
      "<details><summary>ARNs</summary>\n\n```text\ntask definition: arn:aws:ecs:us-east-1:1:task-definition/app:42\n" +
        "previous: arn:aws:ecs:us-east-1:1:task-definition/app:41\ndeployment: ecs-svc/123\n```",
    );
  });
});

describe("helpers", () => {
  it("links the service's deployments in the console", () => {
    expect(consoleUrl("eu-west-1", "arn:aws:ecs:eu-west-1:1:cluster/prod", "app")).toBe(
      "https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/app/deployments?region=eu-west-1",
    );
  });

  it("formats durations", () => {
    expect(formatDuration(4_400)).toBe("4 s");
    expect(formatDuration(61_000)).toBe("1 min 1 s");
  });
});

describe("a summary GitHub keeps", () => {
  it("stays under 1 MiB (UTF-8) whatever the details, the diff and the timeline hold, and says what it left out", () => {
    // 5000 changed settings of 2000 characters each: lines of the diff that no one cut before the summary does.
    const changes = Array.from({ length: 5000 }, (_, n) => ({
      sign: "+" as const,
      text: `app env K${n}=${"ü".repeat(2000)}`,
    }));
    const timeline = Array.from({ length: 20_000 }, (_, n) => ({ at: n * 1000, text: `poll ${n} ${"∞".repeat(300)}` }));
    const rollout = watched("failed", "failed");
    const markdown = renderSummary(
      outcomes({
        plan: planned({
          image: "app:r253",
          decision: { deployBecause: "the service's settings change", service: { settings: {}, changes } },
        }),
        wait: { watched: { ...rollout, result: { ...rollout.result, timeline } } },
      }),
      ending("failed", {
        message: `unknown key \`k0\` ${"é".repeat(100_000)}`,
        details: Array.from({ length: 90_000 }, (_, n) => `deploy/app.toml:${n + 9}:1: unknown key \`k${n}\``),
      }),
    );

    expect(utf8Bytes(markdown)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(MAX_SUMMARY_BYTES).toBeLessThan(1024 * 1024);
    expect(markdown).toContain("… 89 700 more lines: see the step's log");
    expect(markdown).toMatch(/… 4 9\d\d more changes: see the step.s log/);
    // A long line shows its start and its length; a timeline keeps its end, where the verdict is.
    expect(markdown).toMatch(/\+ app env K0=ü+… \(2 0\d\d characters in all\)/);
    expect(markdown).toContain("poll 19999 ");
  });

  it("says a revision was registered and not deployed", () => {
    const markdown = renderSummary(
      outcomes({ taskDefinitionArn: "arn:…:task-definition/app:42" }),
      ending("registered"),
    );
    expect(markdown).toContain("## 📝 `app`: task definition registered, not deployed");
    expect(markdown).toContain("| Result | registered |");
  });
});
