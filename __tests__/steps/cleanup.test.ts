import {
  DeregisterTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  type ListTaskDefinitionsCommandInput,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { revisionsToDeregister } from "../../src/plan/task-definition/cleanup.js";
import { cleanUpRevisions } from "../../src/steps/cleanup.js";

const arn = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:879613780019:task-definition/${family}:${revision}`;
/** `app` revisions from `newest` down to 1, newest first as ListTaskDefinitions sorts them. */
const revisions = (newest: number, family = "app") => Array.from({ length: newest }, (_, i) => arn(family, newest - i));

describe("revisionsToDeregister", () => {
  it("keeps the newest `keep` revisions and any in use", () => {
    expect(revisionsToDeregister(revisions(8), 3, [arn("app", 2)])).toEqual([
      arn("app", 5),
      arn("app", 4),
      arn("app", 3),
      arn("app", 1),
    ]);
  });

  it("never deregisters the newest two, whatever `keep` says", () => {
    expect(revisionsToDeregister(revisions(4), 0, [])).toEqual([arn("app", 2), arn("app", 1)]);
    expect(revisionsToDeregister(revisions(4), 1, [])).toEqual([arn("app", 2), arn("app", 1)]);
  });

  it("matches in-use revisions written as family:revision, and orders by revision itself", () => {
    const shuffled = [arn("app", 3), arn("app", 10), arn("app", 1), arn("app", 9), arn("app", 2)];
    expect(revisionsToDeregister(shuffled, 2, ["app:2"])).toEqual([arn("app", 3), arn("app", 1)]);
  });

  it("leaves alone what it cannot order, and keeps everything when there are few revisions", () => {
    expect(revisionsToDeregister(["arn:aws:ecs:us-east-1:1:task-definition/app", ...revisions(3)], 2, [])).toEqual([
      arn("app", 1),
    ]);
    expect(revisionsToDeregister(revisions(5), 10, [])).toEqual([]);
  });

  it.each([Number.NaN, -1, 1.5])("refuses keep = %s rather than deregister everything", (keep) => {
    expect(() => revisionsToDeregister(revisions(5), keep, [])).toThrow(RangeError);
  });
});

describe("cleanUpRevisions", () => {
  const ecs = new ECSClient({ region: "us-east-1" });
  const ecsMock = mockClient(ecs);
  beforeEach(() => ecsMock.reset());

  const deregistered = () =>
    ecsMock.commandCalls(DeregisterTaskDefinitionCommand).map((call) => call.args[0].input.taskDefinition);

  it("reads every page, keeps to the exact family, and deregisters the rest", async () => {
    const pages = [
      { taskDefinitionArns: [arn("app", 6), arn("app-worker", 9), arn("app", 5)], nextToken: "p2" },
      { taskDefinitionArns: [arn("app", 4), arn("app", 3), arn("app-worker", 1)] },
    ];
    // The paginator reuses one input object across pages, so each call's input is copied when it is made.
    const listed: ListTaskDefinitionsCommandInput[] = [];
    ecsMock.on(ListTaskDefinitionsCommand).callsFake((input: ListTaskDefinitionsCommandInput) => {
      listed.push({ ...input });
      return pages[listed.length - 1];
    });
    ecsMock.on(DeregisterTaskDefinitionCommand).resolves({});

    const result = await cleanUpRevisions(ecs, "app", 2, [arn("app", 6), arn("app", 5)]);

    expect(listed).toEqual([
      { familyPrefix: "app", status: "ACTIVE", sort: "DESC" },
      { familyPrefix: "app", status: "ACTIVE", sort: "DESC", nextToken: "p2" },
    ]);
    expect(deregistered()).toEqual([arn("app", 4), arn("app", 3)]);
    expect(result).toEqual({ deregistered: [arn("app", 4), arn("app", 3)], problems: [] });
  });

  it("has at most five deregistrations in flight", async () => {
    ecsMock.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: revisions(14) });
    let inFlight = 0;
    let most = 0;
    ecsMock.on(DeregisterTaskDefinitionCommand).callsFake(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return {};
    });

    const result = await cleanUpRevisions(ecs, "app", 2, []);

    expect(most).toBe(5);
    expect(result.deregistered).toEqual(revisions(12));
    expect(new Set(deregistered())).toEqual(new Set(revisions(12)));
  });

  it("turns a failed deregistration into a notice and carries on", async () => {
    ecsMock.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: revisions(4) });
    ecsMock
      .on(DeregisterTaskDefinitionCommand)
      .resolves({})
      .on(DeregisterTaskDefinitionCommand, { taskDefinition: arn("app", 2) })
      .rejects(
        Object.assign(new Error("User: x is not authorized to perform: ecs:DeregisterTaskDefinition on resource: *"), {
          name: "AccessDeniedException",
        }),
      );

    const result = await cleanUpRevisions(ecs, "app", 2, []);

    expect(result.deregistered).toEqual([arn("app", 1)]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(
      /^app:2 was not deregistered: DeregisterTaskDefinition failed: AccessDeniedException: .* — grant ecs:DeregisterTaskDefinition/,
    );
  });

  it("never throws: a failed listing or a bad `keep` becomes a notice", async () => {
    ecsMock
      .on(ListTaskDefinitionsCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));

    expect(await cleanUpRevisions(ecs, "app", 2, [])).toEqual({
      deregistered: [],
      problems: [
        "old revisions of app were not cleaned up: ListTaskDefinitions failed: ThrottlingException: Rate exceeded",
      ],
    });

    ecsMock.reset();
    ecsMock.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: revisions(5) });
    const bad = await cleanUpRevisions(ecs, "app", -1, []);
    expect(bad).toEqual({
      deregistered: [],
      problems: ["old revisions of app were not cleaned up: keep must be a whole number of 0 or more, got -1"],
    });
    expect(deregistered()).toEqual([]);
  });
});
