// The reusable workflow's plan, worked out by `resolve --github-output`: waves by deploy_order, images, budgets.
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { budget, MAX_WAVES, planTable, type ResolvedConfig, workflowPlan } from "../../../src/plan/run/workflow.js";

const config = (service: string, extra: Partial<ResolvedConfig> = {}): ResolvedConfig => ({
  config: `applications/app/jobs/${service}.toml`,
  account: "123456789012",
  region: "eu-west-1",
  cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/apps",
  service,
  ...extra,
});
const settings = {
  version: "r254",
  image: "{account}.dkr.ecr.{region}.amazonaws.com/{service}:{version}",
  waitTimeout: "30",
  environment: "production",
};

describe("planTable: what the reviewer approves", () => {
  it("shows each service's image", () => {
    const table = planTable(workflowPlan([config("api")], settings));
    expect(table).toContain("| wave | service | cluster | region | image |");
    expect(table).toContain(
      "| 1 | `api` | `arn:aws:ecs:eu-west-1:123456789012:cluster/apps` | `eu-west-1` | `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:r254` |",
    );
  });

  it("shows the revision, not an empty cell, when task-definition is given", () => {
    const plan = workflowPlan([config("api")], { ...settings, version: "", taskDefinition: " api:41 " });
    expect(plan.waves[0]?.[0]?.images).toBe("");
    expect(planTable(plan)).toContain("| `eu-west-1` | revision `api:41` |");
    expect(planTable(plan)).not.toContain("| `` |");
  });

  it("shows a revision given as an ARN whole", () => {
    const plan = workflowPlan([config("api")], {
      ...settings,
      version: "",
      taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:41",
    });
    expect(planTable(plan)).toContain("revision `arn:aws:ecs:eu-west-1:123456789012:task-definition/api:41` |");
  });
});

describe("workflowPlan", () => {
  it("puts services in waves by deploy_order, lower first, a missing one counting as 1", () => {
    const plan = workflowPlan(
      [
        config("web", { deploy_order: 2 }),
        config("api"),
        config("worker", { deploy_order: 2 }),
        config("cron", { deploy_order: 7 }),
      ],
      settings,
    );
    expect(plan.waves.map((w) => w.map((e) => e.service))).toEqual([["api"], ["web", "worker"], ["cron"]]);
    expect(plan.waves.flat().map((e) => e.id)).toEqual(["w1-0", "w2-0", "w2-1", "w3-0"]);
  });

  it("fills each service's image, and groups one deploy per service and environment", () => {
    const [[entry]] = workflowPlan([config("api")], settings).waves as [
      [ReturnType<typeof workflowPlan>["waves"][0][0]],
    ];
    expect(entry.images).toBe("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:r254");
    expect(entry.concurrency).toBe(
      "deploy 123456789012 eu-west-1 arn:aws:ecs:eu-west-1:123456789012:cluster/apps/api production",
    );
  });

  it("counts the pre-deploy tasks' timeouts in the job's timeout and the AWS session", () => {
    const plan = workflowPlan(
      [config("api", { pre_deploy: [{ timeout: 15 }, { timeout: 5 }] }), config("web")],
      settings,
    );
    const [api, web] = plan.waves[0] ?? [];
    // 30 wait + 20 pre-deploy + 10 rollback + 10 set-up; the session: the same, less the set-up, plus 5.
    expect(api?.["job-minutes"]).toBe(70);
    expect(api?.["session-seconds"]).toBe(65 * 60);
    expect(web?.["job-minutes"]).toBe(50);
    expect(web?.["session-seconds"]).toBe(3600);
    expect(budget(600, 0)).toEqual({ jobMinutes: 620, sessionSeconds: 615 * 60 });
    expect(budget(1440, 1440).sessionSeconds).toBe(43_200);
  });

  it("refuses a deploy longer than GitHub's 6-hour job, naming the config", () => {
    const long = () => workflowPlan([config("api", { pre_deploy: [{ timeout: 330 }] })], settings);
    expect(long).toThrow(InputError);
    expect(long).toThrow(/applications\/app\/jobs\/api\.toml: .*needs a 380-minute job; GitHub ends a job after 360/);
  });

  it("refuses more waves than the workflow has jobs for", () => {
    const many = Array.from({ length: MAX_WAVES + 1 }, (_, i) => config(`s${i}`, { deploy_order: i + 1 }));
    expect(() => workflowPlan(many, settings)).toThrow(/6 different deploy_order values .* at most 5 waves/);
  });

  it.each([
    ["version", { version: "r1\n::error::forged" }, /--version: "r1\\n::error::forged" is not an image tag/],
    ["version", { version: "" }, /--version: "" is not an image tag/],
    ["image", { image: "a:{version}\nb:{version}" }, /--image: .* without spaces or line breaks/],
    [
      "wait-timeout",
      { waitTimeout: "nan" },
      /--wait-timeout: expected a number of minutes from 0.05 to 1440, got "nan"/,
    ],
    ["wait-timeout", { waitTimeout: "inf" }, /got "inf"/],
    ["wait-timeout", { waitTimeout: "Infinity" }, /got "Infinity"/],
    ["wait-timeout", { waitTimeout: "" }, /got ""/],
    ["environment", { environment: "prod\nx" }, /--environment: "prod\\nx" is not an environment name/],
  ])("refuses a bad %s, quoting it escaped", (_name, bad, message) => {
    expect(() => workflowPlan([config("api")], { ...settings, ...bad })).toThrow(message);
  });

  describe("with task-definition: an existing revision instead of a version", () => {
    const problems = (configs: ResolvedConfig[], given: Partial<typeof settings> & { taskDefinition?: string }) => {
      try {
        workflowPlan(configs, { ...settings, ...given });
        return [];
      } catch (error) {
        return (error as InputError).problems.map((p) => p.message);
      }
    };

    it("demands no version, and gives the service no image: the revision has its own", () => {
      const plan = workflowPlan([config("api")], { ...settings, version: "", taskDefinition: "api:41" });
      expect(plan.waves.flat().map((e) => [e.service, e.images])).toEqual([["api", ""]]);
    });

    it("without it, a version is still demanded", () => {
      expect(problems([config("api")], { version: "" })).toEqual([
        "--version: \"\" is not an image tag or digest: letters, digits, '.', '_' and '-', at most 128, or sha256:<64 hex>",
      ]);
    });

    it("refuses it beside a version, for several services, or when it names no revision exactly", () => {
      expect(problems([config("api")], { taskDefinition: "api:41" })).toEqual([
        "--task-definition: and --version are both given: give the version to render, or the revision to deploy as it is",
      ]);
      expect(problems([config("api"), config("web")], { version: "", taskDefinition: "api:41" })).toEqual([
        "--task-definition: names one service's revision, but the configs resolve to 2 services: give one config",
      ]);
      expect(problems([config("api")], { version: "", taskDefinition: "api" })).toEqual([
        '--task-definition: expected a revision as family:revision (web:2) or its ARN, got "api"',
      ]);
    });
  });
});
