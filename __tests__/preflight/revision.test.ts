// Pure: an existing revision (the `task-definition` input), as the pre-flight checks it and the decision uses it.
import { describe, expect, it } from "vitest";
import { decideChanges } from "../../src/plan/service/decision.js";
import type { Deployable } from "../../src/preflight/judge.js";
import {
  checkExisting,
  type Existing,
  existingImages,
  existingRevision,
  existingSecrets,
} from "../../src/preflight/revision.js";

const config = { family: "web", account: "123456789012", region: "us-east-1" };
const arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:41";
const existing = (extra: Partial<Existing["described"]> = {}): Existing => ({
  asked: "web:41",
  described: {
    taskDefinitionArn: arn,
    family: "web",
    revision: 41,
    executionRoleArn: "arn:aws:iam::123456789012:role/exec",
    containerDefinitions: [
      {
        name: "web",
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:r240",
        secrets: [
          { name: "DB", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/web/DB" },
          { name: "PLAIN", valueFrom: "/web/PLAIN" },
        ],
      },
      { name: "proxy", image: "nginx:1" },
    ],
    ...extra,
  },
});

describe("an existing revision", () => {
  it("of the config's family, with roles in its account, passes", () => {
    expect(checkExisting(existing(), config)).toEqual([]);
  });

  it("of another family is refused, naming both families", () => {
    expect(checkExisting(existing({ family: "api" }), config).map((p) => p.message)).toEqual([
      "input `task-definition`: web:41 is a revision of family api, but the config's service runs family web (`family`): name a revision of web, or use that family's config",
    ]);
  });

  it("with a role of another account is refused", () => {
    const foreign = existing({ taskRoleArn: "arn:aws:iam::999999999999:role/task" });
    expect(checkExisting(foreign, config).map((p) => p.message)).toEqual([
      "input `task-definition`: web:41's task role arn:aws:iam::999999999999:role/task is in account 999999999999, not 123456789012 (`account`), where the service runs",
    ]);
  });

  it("gives its images by container and its secrets as ARNs to look up (a bare parameter name in the region)", () => {
    expect([...existingImages(existing())]).toEqual([
      ["web", "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:r240"],
      ["proxy", "nginx:1"],
    ]);
    expect(existingSecrets(existing(), config).map((s) => [s.key, s.kind, s.lookup])).toEqual([
      ["task-definition web.secrets.DB", "ssm", "/web/DB"],
      ["task-definition web.secrets.PLAIN", "ssm", "/web/PLAIN"],
    ]);
  });
});

describe("the decision for an existing revision", () => {
  const checked = (running: string) =>
    ({
      target: { desiredCount: 2, settings: {} },
      current: { taskDefinitionArn: running, revision: Number(running.split(":").pop()) },
      taskDefinition: { family: "web", containerDefinitions: [] },
      images: { resolved: [], problems: [], warnings: [] },
      secrets: [],
      existing: existingRevision(existing()),
    }) as unknown as Deployable;

  it("deploys it, registering nothing, when the service runs another revision", () => {
    const decision = decideChanges(checked(arn.replace(":41", ":44")), { forceNewDeployment: false });
    expect(decision).toEqual({
      existing: { arn, revision: 41 },
      deployBecause: "task-definition names web:41; the service runs web:44",
    });
  });

  it("changes nothing when the service runs it already, unless asked", () => {
    expect(decideChanges(checked(arn), { forceNewDeployment: false })).toEqual({
      existing: { arn, revision: 41 },
      reuse: { arn, revision: 41 },
    });
    expect(decideChanges(checked(arn), { forceNewDeployment: true })).toEqual({
      existing: { arn, revision: 41 },
      deployBecause: "force-new-deployment is set",
    });
  });
});
