// The pre-flight's new judgements: the network, the explicit secrets, the task definition's size; and the dry run's
// promise that "every check passed" is never said of a definition RegisterTaskDefinition would refuse.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { buildTaskDefinition } from "../../src/plan/task-definition/build.js";
import {
  checkExplicitSecrets,
  explicitCollisions,
  explicitSecrets,
  parameterLookups,
} from "../../src/preflight/explicit-secrets.js";
import { judgePreflight } from "../../src/preflight/judge.js";
import { checkTaskDefinitionSize, MAX_TASK_DEFINITION_BYTES } from "../../src/preflight/limits.js";
import { checkNetwork } from "../../src/preflight/network.js";
import { guideToml } from "../support/config.js";

const SM = "arn:aws:secretsmanager:us-east-1:879613780019:secret:db-AbCdEf";
const SSM = "arn:aws:ssm:us-east-1:879613780019:parameter/shared/API_KEY";
const config = (extra: string) => parseConfig(`${guideToml}${extra}`, "a.toml");

describe("checkNetwork", () => {
  const found = (subnets: [string, string][], groups: [string, string][], missing: string[] = []) => ({
    subnets: {
      found: subnets.map(([id, vpcId]) => ({ id, vpcId })),
      missing: missing.filter((m) => m.startsWith("subnet")),
    },
    securityGroups: {
      found: groups.map(([id, vpcId]) => ({ id, vpcId })),
      missing: missing.filter((m) => m.startsWith("sg")),
    },
  });

  it("passes subnets and groups of one VPC", () => {
    expect(
      checkNetwork(
        found(
          [
            ["subnet-1", "vpc-a"],
            ["subnet-2", "vpc-a"],
          ],
          [["sg-1", "vpc-a"]],
        ),
      ),
    ).toEqual([]);
  });

  it("names every missing ID, under its key", () => {
    expect(checkNetwork(found([], [], ["subnet-0bad", "sg-0bad"]))).toEqual([
      {
        key: "network.subnets",
        message: "subnet subnet-0bad (`network.subnets`) does not exist in this account and region",
      },
      {
        key: "network.security_groups",
        message: "security group sg-0bad (`network.security_groups`) does not exist in this account and region",
      },
    ]);
  });

  it("refuses subnets of two VPCs, and a group of another VPC than the subnets", () => {
    const problems = checkNetwork(
      found(
        [
          ["subnet-1", "vpc-a"],
          ["subnet-2", "vpc-b"],
        ],
        [],
      ),
    );
    expect(problems[0]?.message).toBe(
      "the subnets (`network.subnets`) are in 2 VPCs (subnet-1 in vpc-a; subnet-2 in vpc-b): a task's subnets must share one VPC",
    );
    expect(checkNetwork(found([["subnet-1", "vpc-a"]], [["sg-9", "vpc-z"]]))[0]?.message).toBe(
      "security groups must be in the VPC of the subnets: sg-9 in vpc-z; the subnets are in vpc-a",
    );
  });
});

describe("explicit secrets", () => {
  const c = config(
    `[secrets]\nDB = "${SM}:password::"\nAPI_KEY = "${SSM}"\n[containers.worker]\nimage = "w:1"\nsecrets = { TOKEN = "arn:aws:ssm:eu-west-1:111111111111:parameter/t" }\n`,
  );
  const secrets = explicitSecrets(c);

  it("are looked up by the secret's own ARN (no JSON key) and by parameter name, per region and account", () => {
    expect(secrets.map((s) => [s.key, s.kind, s.lookup])).toEqual([
      ["secrets.DB", "secretsmanager", SM],
      ["secrets.API_KEY", "ssm", "/shared/API_KEY"],
      ["containers.worker.secrets.TOKEN", "ssm", "/t"],
    ]);
    expect([...parameterLookups(secrets, c.account)]).toEqual([["us-east-1", ["/shared/API_KEY"]]]);
  });

  it("a missing or deleted secret and a missing parameter are problems; another account's parameter a warning", () => {
    const answers = { secrets: new Map([[SM, { exists: false }]]), parameters: new Map([["us-east-1", []]]) };
    const checked = checkExplicitSecrets(secrets, answers, c.account);
    expect(checked.problems).toEqual([
      {
        key: "secrets.DB",
        message: `\`secrets.DB\`: secret ${SM} does not exist in Secrets Manager: create it, or fix the ARN`,
      },
      {
        key: "secrets.API_KEY",
        message:
          "`secrets.API_KEY`: SSM parameter /shared/API_KEY does not exist in us-east-1: create it, or fix the ARN",
      },
    ]);
    expect(checked.warnings).toEqual([
      "secret TOKEN (`containers.worker.secrets.TOKEN`): SSM parameter arn:aws:ssm:eu-west-1:111111111111:parameter/t is in account 111111111111: not checked",
    ]);
    const deleted = {
      secrets: new Map([[SM, { exists: true, deletedAt: new Date("2026-11-30T00:00:00Z") }]]),
      parameters: new Map([["us-east-1", [{ Name: "/shared/API_KEY" }]]]),
    };
    expect(checkExplicitSecrets(secrets, deleted, c.account).problems.map((p) => p.message)).toEqual([
      `\`secrets.DB\`: secret ${SM} is scheduled for deletion (since 2026-11-30T00:00:00.000Z): restore it, or use another`,
    ]);
  });

  it("go into the container definitions as ARNs, beside the discovered ones", () => {
    const td = buildTaskDefinition(
      c,
      new Map([
        ["NAME-test", "app:1"],
        ["worker", "w:1"],
      ]),
      [{ name: "FOUND", valueFrom: "arn:x" }],
    );
    expect(td.containerDefinitions?.[0]?.secrets).toEqual([
      { name: "FOUND", valueFrom: "arn:x" },
      { name: "DB", valueFrom: `${SM}:password::` },
      { name: "API_KEY", valueFrom: SSM },
    ]);
    expect(td.containerDefinitions?.[1]?.secrets).toEqual([
      { name: "TOKEN", valueFrom: "arn:aws:ssm:eu-west-1:111111111111:parameter/t" },
    ]);
  });

  it("may not reuse a name found under secrets_path", () => {
    expect(explicitCollisions(secrets, [{ name: "DB", valueFrom: "arn:y" }])).toEqual([
      {
        key: "secrets.DB",
        message:
          "`secrets.DB` has the name of a secret found under secrets_path: remove one of them, or rename the parameter",
      },
    ]);
  });
});

describe("the task definition's size", () => {
  it("refuses a definition over 64 KiB, naming the container whose environment weighs most", () => {
    const c = config(`[environment]\nBIG = "${"x".repeat(MAX_TASK_DEFINITION_BYTES)}"\n`);
    const td = buildTaskDefinition(c, new Map([["NAME-test", "app:1"]]), []);
    const [problem] = checkTaskDefinitionSize(td);
    expect(problem?.message).toMatch(
      /^the task definition is \d+ bytes as JSON; ECS allows at most 65536 \(64 KiB\); the largest part is the environment of `NAME-test`/,
    );
    expect(checkTaskDefinitionSize(buildTaskDefinition(config(""), new Map([["NAME-test", "app:1"]]), []))).toEqual([]);
  });

  it("a pre-flight whose every call answered well still fails on it, so the dry run cannot say all passed", () => {
    const c = config(`[environment]\nBIG = "${"x".repeat(70_000)}"\n`);
    const plan = { config: c, images: new Map([["NAME-test", "app:1"]]), locate: () => undefined };
    const judged = judgePreflight(plan, { account: c.account, parameters: [] });
    expect(judged.problems.map((p) => p.message).join("\n")).toMatch(/ECS allows at most 65536/);
  });
});
