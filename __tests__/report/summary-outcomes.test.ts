// The job summary as a pure function of the run's outcomes: the config read, the plan that passed the pre-flight,
// what each step returned and how run() ended it. One fixture per Result the run can end with, each rendered whole:
// the heading, the facts the outcomes give, and the sections they bring (or do not).
import { describe, expect, it } from "vitest";
import type { Ending, Outcomes } from "../../src/report/outcomes.js";
import { renderSummary } from "../../src/report/summary.js";
import type { Result } from "../../src/result.js";
import { ending, outcomes, planned, TD, watched } from "../support/outcomes.js";

const IMAGE = "1.dkr.ecr.us-east-1.amazonaws.com/app:r254";
const DIGEST = `sha256:${"a".repeat(64)}`;

/** Read, checked, decided: a new revision of app on r254, over app:41. */
const plan = planned({ images: [["app", IMAGE, DIGEST]], secrets: ["DB_PASSWORD"] });
const read = { config: { service: "app", cluster: "prod", region: "us-east-1" }, images: new Map([["app", IMAGE]]) };
const registered = { read, plan, taskDefinitionArn: TD(42) };
const started = { ...registered, deploymentId: "ecs-svc/42", steps: [{ name: "update service", from: 0, to: 1 }] };
const sameRevision = planned({
  images: [["app", IMAGE, DIGEST]],
  image: "app:r253",
  decision: { reuse: { arn: TD(41), revision: 41 } },
});

/** Each Result, from the outcomes that end a run with it. */
const RUNS: Record<Result, { outcomes: Partial<Outcomes>; ending: Partial<Ending>; shows: string[]; not: string[] }> = {
  succeeded: {
    outcomes: { ...started, wait: { watched: watched("succeeded", "succeeded: revision 42 is live: 1/1 running") } },
    ending: {},
    shows: [
      "## ✅ Deployed `app`",
      "### Rollout",
      " 0:35  succeeded: revision 42 is live",
      "| Deployment | `ecs-svc/42` |",
    ],
    not: ["| Rollback |", "<summary>Why</summary>"],
  },
  started: {
    outcomes: started,
    ending: {},
    shows: ["## 🚀 Deployment of `app` started (not waited for)", "| Deployment | `ecs-svc/42` |"],
    not: ["### Rollout"],
  },
  registered: {
    outcomes: registered,
    ending: { message: "ServiceNotFoundException: Service not found.; app:42 is registered, not deployed" },
    shows: ["## 📝 `app`: task definition registered, not deployed", "| Task definition | `app:42` |"],
    not: ["| Deployment |", "### Rollout"],
  },
  unchanged: {
    outcomes: { read, plan: sameRevision, taskDefinitionArn: TD(41) },
    ending: {},
    shows: [
      "## 🟰 `app` already runs this task definition: nothing to deploy",
      "| Plan | nothing to deploy: the service is settled on revision 41, which equals the rendered task definition |",
      "```diff\nno changes: the new task definition is the same as the current one\n```",
    ],
    not: ["| Deployment |"],
  },
  scaled: {
    outcomes: {
      read,
      plan: { ...sameRevision, decision: { reuse: { arn: TD(41), revision: 41 }, count: { from: 1, to: 3 } } },
      taskDefinitionArn: TD(41),
    },
    ending: {},
    shows: [
      "## 📏 Scaled `app`: the task definition did not change",
      "| Plan | the service runs revision 41 already: set its desired count 1 → 3, no new deployment |",
      "```diff\n~ service desired count: 1 → 3\n```",
    ],
    not: ["| Deployment |"],
  },
  "dry-run": {
    outcomes: {
      read,
      plan,
      preDeploy: {
        summary: "Would run in order with the new revision, before UpdateService (a dry run runs none):",
        runs: [{ name: "migrate", container: "app", command: "bin/migrate", outcome: "dry-run" }],
      },
    },
    ending: {},
    shows: [
      "## 🔍 Dry run for `app`: every check passed, nothing was changed",
      "| Plan | register a new revision and deploy it: the task definition changed |",
      "#### 🔍 1. `migrate`: dry-run",
      "```diff\n~ app image: app:r253 → app:r254\n```",
    ],
    not: ["| Task definition |", "| Deployment |"],
  },
  failed: {
    outcomes: { ...started, wait: { watched: watched("failed", "failed: container app exited with code 1") } },
    ending: { message: "container app exited with code 1", details: ["task 3f2a STOPPED"] },
    shows: ["## ❌ Deploy of `app` failed", "```text\ncontainer app exited with code 1\n```", "task 3f2a STOPPED"],
    not: ["| Rollback |"],
  },
  "timed-out": {
    outcomes: { ...started, wait: { watched: watched("timed-out", "timed out: 0/1 running") } },
    ending: { message: "timed out after 10 min: 0/1 running" },
    shows: ["## ⏱️ Deploy of `app` timed out", " 0:35  timed out: 0/1 running"],
    not: [],
  },
  cancelled: {
    outcomes: registered,
    ending: { message: `Cancelled before UpdateService: ${TD(42)} is registered, the service was not updated` },
    shows: ["## 🛑 Deploy of `app` cancelled", "| Result | cancelled |"],
    not: ["| Deployment |"],
  },
  paused: {
    outcomes: { ...started, wait: { watched: watched("paused", "paused by a pause hook at POST_TEST_TRAFFIC_SHIFT") } },
    ending: {},
    shows: ["## ⏸️ Deploy of `app` paused: a pause hook awaits an answer", "### Rollout"],
    not: ["<summary>Why</summary>"],
  },
  "not-started": {
    outcomes: { configPath: "deploy/app-prod.toml", read: undefined },
    ending: { message: "deploy/app-prod.toml:3:1: unknown key `servise`" },
    shows: ["## ⛔ Deploy of deploy/app-prod.toml not started", "| Config | `deploy/app-prod.toml` |"],
    not: ["| Service |", "| Images |", "ECS console", "### Changes"],
  },
};

describe("the job summary, rendered from the outcomes", () => {
  it.each(Object.entries(RUNS))("%s", (result, run) => {
    const markdown = renderSummary(outcomes(run.outcomes), ending(result as Result, run.ending));
    expect(markdown.split("\n")[0]).toBe(run.shows[0]);
    expect(markdown).toContain(`| Result | ${result} |`);
    for (const text of run.shows) expect(markdown).toContain(text);
    for (const text of run.not) expect(markdown).not.toContain(text);
  });

  it("gives the facts of the config read and the plan: service, images with digests, secrets' names, previous", () => {
    const markdown = renderSummary(outcomes(RUNS.started.outcomes), ending("started"));
    expect(markdown).toContain("| Service | `app` |\n| Cluster | `prod` |\n| Region | us-east-1 |");
    expect(markdown).toContain(`| Images | \`app\`: \`${IMAGE}\` → \`${DIGEST}\` |`);
    expect(markdown).toContain("| Secrets (SSM ARNs, values never read) | `DB_PASSWORD` |");
    expect(markdown).toContain("| Previous revision | `app:41` |");
    expect(markdown).toContain(
      "| ECS console | [deployments of app](https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/app/deployments?region=us-east-1) |",
    );
  });

  it("before the pre-flight, the images are the input's, with no digest, and no secret is known", () => {
    const markdown = renderSummary(outcomes({ read }), ending("failed", { message: "Pre-flight checks failed" }));
    expect(markdown).toContain(`| Images | \`app\`: \`${IMAGE}\` |`);
    expect(markdown).toContain("| Secrets (SSM ARNs, values never read) | none |");
    expect(markdown).not.toContain("| Plan |");
  });

  it("a rollback that restored the service's settings: its line, its reason in the details, its own timeline", () => {
    const text =
      "rolled back to app:41: the service is healthy on it again; restored propagate tags (SERVICE → NONE), circuit breaker (on, with rollback → off)";
    const markdown = renderSummary(
      outcomes({
        ...started,
        wait: {
          watched: watched("failed", "failed: container app exited with code 1"),
          rollback: {
            text,
            cancelled: false,
            watched: watched("succeeded", "succeeded: revision 41 is live: 1/1 running", TD(41)),
          },
        },
      }),
      ending("failed", {
        message: `container app exited with code 1; ${text}`,
        details: ["3 tasks stopped (EssentialContainerExited)", text],
      }),
    );
    expect(markdown).toContain(`| Rollback | ${text} |`);
    expect(markdown).toContain(`\`\`\`text\n3 tasks stopped (EssentialContainerExited)\n${text}\n\`\`\``);
    const rollback = markdown.slice(markdown.indexOf("<summary>Rollback timeline</summary>"));
    expect(rollback).toContain(" 0:35  succeeded: revision 41 is live: 1/1 running");
    // The chart marks the revision the rollback went back to as live: the rollback's own, not ours.
    expect(markdown).toMatch(/verdict succeeded :milestone/);
  });

  it("an existing revision deployed as it is (input task-definition): its own secrets' names, never their values", () => {
    const valueFrom = "arn:aws:ssm:us-east-1:1:parameter/app/DB_PASSWORD";
    const existing = planned({
      images: [["app", IMAGE, DIGEST]],
      existing: { arn: TD(40), revision: 40, name: "app:40" },
      decision: { existing: { arn: TD(40), revision: 40 }, deployBecause: "task-definition names app:40" },
      containers: [
        {
          name: "app",
          image: IMAGE,
          secrets: [
            { name: "DB_PASSWORD", valueFrom },
            { name: "API_KEY", valueFrom: "arn:aws:secretsmanager:us-east-1:1:secret:api-AbCdEf" },
          ],
        },
        { name: "log-router", image: "fluent-bit", secrets: [{ name: "DB_PASSWORD", valueFrom }] },
      ],
    });
    const markdown = renderSummary(outcomes({ read, plan: existing, taskDefinitionArn: TD(40) }), ending("started"));
    expect(markdown).toContain("| Secrets (SSM ARNs, values never read) | `DB_PASSWORD`, `API_KEY` |");
    expect(markdown).not.toContain("parameter/app/DB_PASSWORD");
    expect(markdown).toContain("| Plan | deploy revision 40 as it is: task-definition names app:40 |");
  });
});
