import type { ServiceDeploymentBrief } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import {
  fromDeployments,
  fromRevisions,
  type History,
  imageTag,
  newestFirst,
  previousRevision,
  revisionFacts,
} from "../../../src/plan/run/history.js";
import type { DescribedTaskDefinition } from "../../../src/plan/task-definition/normalize.js";
import { renderHistory } from "../../../src/report/history.js";

const arn = (n: number, family = "web") => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${n}`;
const revisionArn = (n: number) => `arn:aws:ecs:us-east-1:123456789012:service-revision/apps/web/${n}`;
const sha = (c: string) => c.repeat(40);

function described(n: number, options: { commit?: string; image?: string; family?: string } = {}) {
  const revision: DescribedTaskDefinition = {
    taskDefinitionArn: arn(n, options.family),
    family: options.family ?? "web",
    revision: n,
    registeredAt: new Date(Date.UTC(2026, 11, n, 9, 30)),
    containerDefinitions: [{ name: "web", image: options.image ?? `1234.dkr.ecr.us-east-1.amazonaws.com/web:r${n}` }],
    tags: options.commit
      ? [
          { key: "deploy-action:commit", value: options.commit },
          { key: "deploy-action:repository", value: "octo/app" },
        ]
      : [],
  };
  return [arn(n, options.family), revision] as const;
}

function brief(n: number, status: string, day: number, reason?: string): ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: `arn:aws:ecs:us-east-1:123456789012:service-deployment/apps/web/d${day}`,
    targetServiceRevisionArn: revisionArn(n),
    status: status as ServiceDeploymentBrief["status"],
    startedAt: new Date(Date.UTC(2026, 11, day, 10)),
    ...(reason ? { statusReason: reason } : {}),
  };
}

describe("history from ECS's service deployments", () => {
  const taskDefinitionOf = new Map([3, 4, 5].map((n) => [revisionArn(n), arn(n)]));
  const revisions = new Map([
    described(3, { commit: sha("a") }),
    described(4, { commit: sha("b") }),
    described(5, { commit: "not-a-sha" }),
  ]);
  // ECS does not promise an order: given oldest first here.
  const briefs = [
    brief(3, "SUCCESSFUL", 1),
    brief(4, "SUCCESSFUL", 2),
    brief(5, "ROLLBACK_SUCCESSFUL", 3, "circuit breaker: 3 tasks failed"),
  ];

  it("lists them newest first, each with its revision, image tag, commit, start and end", () => {
    const entries = fromDeployments(briefs, taskDefinitionOf, { revisions }, 10);
    expect(entries.map((e) => e.revision)).toEqual(["web:5", "web:4", "web:3"]);
    expect(entries[0]).toMatchObject({
      images: ["r5"],
      commit: undefined, // a tag that is not a commit id is not taken for one
      status: "ROLLBACK_SUCCESSFUL",
      ended: "ROLLBACK_SUCCESSFUL: circuit breaker: 3 tasks failed",
    });
    expect(entries[1]).toMatchObject({ commit: sha("b"), repository: "octo/app", ended: "SUCCESSFUL" });
    expect(entries[1]?.at?.toISOString()).toBe("2026-12-02T10:00:00.000Z");
  });

  it("names a pinned image by its tags, where ECR gave them", () => {
    const pinned = "1234.dkr.ecr.us-east-1.amazonaws.com/web@sha256:0123456789abcdef0123";
    const [key, revision] = described(3, { image: pinned });
    const imageTags = new Map([[pinned, ["r3", "stable"]]]);
    const [entry] = fromDeployments(
      [brief(3, "SUCCESSFUL", 1)],
      taskDefinitionOf,
      {
        revisions: new Map([[key, revision]]),
        imageTags,
      },
      10,
    );
    expect(entry?.images).toEqual(["r3,stable"]);
    const [unnamed] = fromDeployments(
      [brief(3, "SUCCESSFUL", 1)],
      taskDefinitionOf,
      {
        revisions: new Map([[key, revision]]),
      },
      10,
    );
    expect(unnamed?.images).toEqual(["@sha256:0123456789ab"]);
  });

  it("is bounded by the limit", () => {
    expect(fromDeployments(briefs, taskDefinitionOf, { revisions }, 2).map((e) => e.revision)).toEqual([
      "web:5",
      "web:4",
    ]);
  });

  it("goes back to the last successful deployment of another revision, never to one that was rolled back", () => {
    const history: History = {
      source: "deployments",
      current: arn(4),
      entries: fromDeployments(briefs, taskDefinitionOf, { revisions }, 10),
    };
    const choice = previousRevision(history);
    expect(choice.kind === "chosen" && choice.entry.revision).toBe("web:3");
    const none = previousRevision({ ...history, entries: history.entries.filter((e) => e.revision !== "web:3") });
    expect(none).toMatchObject({ kind: "none", reason: expect.stringMatching(/name one with --to$/) });
  });

  it("renders one line each, with the commit short and the repository", () => {
    const lines = renderHistory(
      { source: "deployments", current: arn(4), entries: fromDeployments(briefs, taskDefinitionOf, { revisions }, 10) },
      { service: "web", cluster: "apps" },
    );
    expect(lines[0]).toBe("web (cluster apps), newest first, from ECS's service deployments:");
    expect(lines[1]).toMatch(/^ {2}revision +images +commit +run +when \(UTC\) +how it ended$/);
    expect(lines[3]).toMatch(/^ {2}web:4 +r4 +bbbbbbb octo\/app +- +2026-12-02 10:00 +SUCCESSFUL$/);
    expect(lines).toHaveLength(5);
  });
});

describe("history from the family's revisions (no list of service deployments)", () => {
  const revisions = new Map([described(1), described(2, { commit: sha("c") }), described(3, { commit: sha("d") })]);
  const service = {
    taskDefinition: arn(2),
    deployments: [{ status: "PRIMARY", taskDefinition: arn(2), rolloutState: "COMPLETED" as const }],
  };

  it("lists the revisions newest first, and says which one the service runs", () => {
    const entries = fromRevisions([arn(1), arn(3), arn(2)], { revisions }, service, 10);
    expect(entries.map((e) => e.revision)).toEqual(["web:3", "web:2", "web:1"]);
    expect(entries.map((e) => e.ended)).toEqual([
      "registered (ECS keeps no deployment record here)",
      "the service runs it (COMPLETED)",
      "registered (ECS keeps no deployment record here)",
    ]);
    expect(entries[0]?.at?.toISOString()).toBe("2026-12-03T09:30:00.000Z");
  });

  it("goes back to the newest ACTIVE revision below the current one", () => {
    const entries = fromRevisions([arn(1), arn(3), arn(2)], { revisions }, service, 10);
    const choice = previousRevision({ source: "revisions", current: arn(2), entries });
    expect(choice.kind === "chosen" && choice.entry.revision).toBe("web:1");
    expect(choice.kind === "chosen" && choice.why).toMatch(/not available here/);
    const first = previousRevision({ source: "revisions", current: arn(1), entries });
    expect(first).toEqual({
      kind: "none",
      reason: "the family has no ACTIVE revision before web:1: name one with --to",
    });
  });

  it("says in its heading that only the running revision is known to have run", () => {
    const [head] = renderHistory({ source: "revisions", entries: [] }, { service: "web", cluster: "apps" });
    expect(head).toMatch(/family's ACTIVE revisions \(ECS answered no list of service deployments here/);
  });
});

describe("pieces", () => {
  it("names the run that registered a revision, from its tag, and only a run page", () => {
    const [, tagged] = described(7, { commit: sha("e") });
    const page = "https://github.com/octo/app/actions/runs/123456789";
    const withRun = (value: string) => ({
      ...tagged,
      tags: [...(tagged.tags ?? []), { key: "deploy-action:run", value }],
    });
    expect(revisionFacts(arn(7), withRun(page)).run).toBe(page);
    expect(revisionFacts(arn(7), withRun("::error::pwned")).run).toBeUndefined();
    expect(revisionFacts(arn(7), tagged).run).toBeUndefined();
    const entry = { ...revisionFacts(arn(7), withRun(page)), ended: "SUCCESSFUL" };
    const lines = renderHistory(
      { source: "revisions", current: arn(7), entries: [entry] },
      { service: "web", cluster: "apps" },
    );
    expect(lines[2]).toContain(`eeeeeee octo/app  ${page}`);
  });

  it("imageTag: the tag, else the digest's start", () => {
    expect(imageTag("1234.dkr.ecr.us-east-1.amazonaws.com/web:r254")).toBe("r254");
    expect(imageTag("localhost:5000/web@sha256:0123456789abcdef0123")).toBe("@sha256:0123456789ab");
    expect(imageTag("registry:5000/team/web:v1@sha256:00")).toBe("v1");
    expect(imageTag("nginx")).toBe("latest");
  });

  it("newestFirst sorts by revision number, not as text", () => {
    expect(newestFirst([arn(9), arn(10), arn(2)]).map((a) => a.split(":").pop())).toEqual(["10", "9", "2"]);
  });

  it("a table cell never spans lines", () => {
    const entry = { revision: "web:1", arn: arn(1), images: ["r1"], ended: "STOPPED: a\n::error::x" };
    const lines = renderHistory({ source: "deployments", entries: [entry] }, { service: "web", cluster: "c" });
    expect(lines).toHaveLength(3);
  });
});
