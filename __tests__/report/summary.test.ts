import { describe, expect, it } from "vitest";
import { consoleUrl, formatDuration, renderSummary } from "../../src/report/summary.js";

describe("renderSummary", () => {
  it("shows what was deployed, the result and where to look", () => {
    const markdown = renderSummary({
      configPath: "deploy/app-prod.toml",
      service: "app",
      cluster: "prod",
      region: "us-east-1",
      taskDefinitionArn: "arn:aws:ecs:us-east-1:1:task-definition/app:42",
      previousTaskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/app:41",
      deploymentId: "ecs-svc/123",
      images: [["app", "1.dkr.ecr.us-east-1.amazonaws.com/app:r254"]],
      secretNames: ["API_KEY", "DB_PASSWORD"],
      digests: [
        { container: "app", uri: "1.dkr.ecr.us-east-1.amazonaws.com/app:r254", digest: "sha256:abc", pinned: "x" },
      ],
      diff: "~ app image: app:r253 → app:r254",
      result: "failed",
      message: "container app exited with code 1\nsecond line",
      details: ["task 3f2a STOPPED: Essential container in task exited", "```bad"],
      rollback: "rolled back to app:41: the service is healthy on it again",
      durationMs: 95_000,
    });
    expect(markdown).toContain("## ❌ Deploy of `app` failed");
    expect(markdown).toContain("> container app exited with code 1\n");
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
    const markdown = renderSummary({
      configPath: "x.toml",
      images: [],
      secretNames: [],
      digests: [],
      result: "not-started",
      details: [],
      durationMs: 10,
    });
    expect(markdown).toContain("## ⛔ Deploy of x.toml not started");
    expect(markdown).not.toContain("ECS console");
  });
});

describe("rollback", () => {
  it("shows the rollback's own timeline under the rollout's", () => {
    const markdown = renderSummary({
      configPath: "deploy/app-prod.toml",
      service: "app",
      images: [],
      secretNames: [],
      digests: [],
      result: "failed",
      message: "container app exited with code 1 — 3 tasks of revision 42 stopped (max-failed-tasks: 3)",
      details: [],
      rollback: "rolled back to app:41: the service is healthy on it again",
      timeline: "| time | what happened |\n| ---: | --- |\n| 0:40 | failed: container app exited with code 1 |",
      rollbackTimeline:
        "| time | what happened |\n| ---: | --- |\n| 0:35 | succeeded: revision 41 is live: 1/1 running |",
      durationMs: 95_000,
    });
    const rollout = markdown.indexOf("### Rollout timeline");
    const rollback = markdown.indexOf("### Rollback timeline");
    expect(rollout).toBeGreaterThan(-1);
    expect(rollback).toBeGreaterThan(rollout);
    expect(markdown.slice(rollback)).toContain("| 0:35 | succeeded: revision 41 is live: 1/1 running |");
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
