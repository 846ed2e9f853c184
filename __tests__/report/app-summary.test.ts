import { describe, expect, it } from "vitest";
import {
  type PlannedService,
  recordOf,
  renderAppMarkdown,
  renderAppText,
  rollUp,
  type ServiceRecord,
} from "../../src/report/app-summary.js";
import { ending, outcomes, planned, TD } from "../support/outcomes.js";

const plan: PlannedService[][] = [
  [{ service: "api", cluster: "apps-prod", deploy_order: 1 }],
  [
    { service: "web", cluster: "apps-prod", deploy_order: 2 },
    { service: "worker", cluster: "apps-prod", deploy_order: 2 },
  ],
];
const record = (service: string, result: string, extra: Partial<ServiceRecord> = {}): ServiceRecord => ({
  service,
  cluster: "apps-prod",
  environment: "production",
  version: "r254",
  revision: `${service}:42`,
  result,
  seconds: 75,
  ...extra,
});

describe("the app's summary table", () => {
  it("lists every service with its version, revision, result and duration", () => {
    const rolled = rollUp(plan, [
      record("api", "succeeded"),
      record("web", "succeeded"),
      record("worker", "unchanged"),
    ]);
    expect(rolled.failed).toEqual([]);
    expect(renderAppText(rolled)).toEqual([
      "service  environment  version  revision   result     duration  first error",
      "api      production   r254     api:42     succeeded  1m15s",
      "web      production   r254     web:42     succeeded  1m15s",
      "worker   production   r254     worker:42  unchanged  1m15s",
    ]);
    expect(renderAppMarkdown(rolled)).toBe(
      [
        "## ✅ Every service deployed",
        "",
        "| service | environment | version | revision | result | duration | first error |",
        "|---|---|---|---|---|---|---|",
        "| `api` | `production` | `r254` | `api:42` | `succeeded` | 1m15s |  |",
        "| `web` | `production` | `r254` | `web:42` | `succeeded` | 1m15s |  |",
        "| `worker` | `production` | `r254` | `worker:42` | `unchanged` | 1m15s |  |",
        "",
      ].join("\n"),
    );
  });

  it("lists the services of later waves as not started, naming the service that failed before them", () => {
    const failed = record("api", "failed", { error: 'Pre-deploy task "migrate" exited with code 1' });
    const rolled = rollUp(plan, [failed]);
    expect(rolled.failed).toEqual(["api", "web", "worker"]);
    expect(rolled.rows.map((r) => [r.service, r.result, r.error])).toEqual([
      ["api", "failed", 'Pre-deploy task "migrate" exited with code 1'],
      ["web", "not started", "not started: an earlier wave failed (api)"],
      ["worker", "not started", "not started: an earlier wave failed (api)"],
    ]);
    expect(renderAppMarkdown(rolled)).toContain("## ❌ 3 of 3 services failed or did not start");
  });

  it("keeps the wave's services that succeeded, and says when a record is missing without a failure before", () => {
    const rolled = rollUp(plan, [record("api", "succeeded"), record("web", "timed-out")]);
    expect(rolled.failed).toEqual(["web", "worker"]);
    expect(rolled.rows.map((r) => r.result)).toEqual(["succeeded", "timed-out", "not started"]);
    expect(rolled.rows[2]?.error).toMatch(/^not started: no record of its run/);
  });

  it("matches a cluster named by ARN, and lists records the plan does not name after it", () => {
    const arn = record("api", "succeeded", { cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/apps-prod" });
    const rolled = rollUp([plan[0] ?? []], [arn, record("extra", "failed")]);
    expect(rolled.rows.map((r) => r.service)).toEqual(["api", "extra"]);
    expect(rolled.failed).toEqual(["extra"]);
  });

  it("renders an error line as a code span that no backtick, pipe or HTML in it can end", () => {
    const hostile = record("api", "failed", { error: "boom | `## ✅ deployed` <img src=x onerror=alert(1)>" });
    const row = renderAppMarkdown(rollUp([plan[0] ?? []], [hostile])).split("\n")[4];
    expect(row).toBe(
      "| `api` | `production` | `r254` | `api:42` | `failed` | 1m15s | `boom \\| ʼ## ✅ deployedʼ <img src=x onerror=alert(1)>` |",
    );
  });
});

describe("recordOf", () => {
  it("takes the version from the main image's tag, the revision from the ARN, the first error line redacted", () => {
    const run = outcomes({
      configPath: "deploy/api.toml",
      read: {
        config: { service: "api", cluster: "apps-prod", region: "us-east-1" },
        images: new Map([["api", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:r254"]]),
      },
      taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/api:42",
    });
    const made = recordOf(
      run,
      ending("failed", { message: "Pre-deploy task failed: password=hunter2\nmore lines", durationMs: 75_400 }),
      "production",
    );
    expect(made).toMatchObject({
      service: "api",
      cluster: "apps-prod",
      environment: "production",
      version: "r254",
      revision: "api:42",
      result: "failed",
      seconds: 75,
    });
    expect(made.error).toMatch(/^Pre-deploy task failed: /);
    expect(made.error).not.toContain("hunter2");
    expect(made.error).not.toContain("more lines");
  });

  it("reads the same outcomes as the job summary: an existing revision's image, once the pre-flight described it", () => {
    const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:r250";
    const existing = planned({
      images: [["app", image]],
      existing: { arn: TD(40), revision: 40, name: "app:40" },
      decision: { existing: { arn: TD(40), revision: 40 }, deployBecause: "task-definition names app:40" },
    });
    const run = outcomes({ plan: existing, taskDefinitionArn: TD(40) });
    expect(recordOf(run, ending("started"))).toMatchObject({ service: "app", version: "r250", revision: "app:40" });
  });

  it("carries no error for a run that did not fail, and names a config that was never read by its path", () => {
    expect(
      recordOf({ configPath: "deploy/x.toml", steps: [] }, ending("succeeded", { message: "ok", durationMs: 0 })),
    ).toEqual({
      service: "deploy/x.toml",
      cluster: "",
      result: "succeeded",
      seconds: 0,
    });
  });
});
