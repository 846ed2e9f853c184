import { describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { fixtureProblems, guideProblems, guideToml, problemsOf } from "../support/config.js";

describe("each kind of problem, with its key and where it is", () => {
  test("an unknown top-level key suggests the known key it is a typo of", () => {
    expect(fixtureProblems("unknown-key-top.toml")).toEqual([
      {
        message: "unknown key `prot` — did you mean `port`?",
        key: "prot",
        location: { file: "unknown-key-top.toml", line: 5, column: 1 },
      },
    ]);
  });

  test("a misspelt required key is one problem, on the typo's line, not a second 'missing' one", () => {
    // `port` is optional since a worker has none (issue 18): `cluster` is a required key still.
    const toml = guideToml.replace(/^cluster = "NAME-test"$/m, 'clustr = "NAME-test"');
    expect(problemsOf(() => parseConfig(toml, "deploy.toml"))).toEqual([
      {
        message: "unknown key `clustr` — did you mean `cluster`? (it is required)",
        key: "clustr",
        location: { file: "deploy.toml", line: 3, column: 1 },
      },
    ]);
  });

  test("a misspelt `port` is one problem, on the typo's line, and no longer a required key", () => {
    const toml = guideToml.replace(/^port = 80$/m, "prot = 80");
    expect(problemsOf(() => parseConfig(toml, "deploy.toml"))).toEqual([
      {
        message: "unknown key `prot` — did you mean `port`?",
        key: "prot",
        location: { file: "deploy.toml", line: 5, column: 1 },
      },
    ]);
  });

  test("an unknown key in [containers.x] suggests from the sidecar's keys", () => {
    expect(fixtureProblems("unknown-key-sidecar.toml")).toEqual([
      {
        message: "unknown key `imgae` in `containers.nginx` — did you mean `image`?",
        key: "containers.nginx.imgae",
        location: { file: "unknown-key-sidecar.toml", line: 11, column: 3 },
      },
    ]);
  });

  test("an unknown key in [containers.x.health_check] suggests from the health check's keys", () => {
    expect(fixtureProblems("unknown-key-health-check.toml")).toEqual([
      {
        message: "unknown key `intervall` in `containers.nginx.health_check` — did you mean `interval`?",
        key: "containers.nginx.health_check.intervall",
        location: { file: "unknown-key-health-check.toml", line: 14, column: 1 },
      },
    ]);
  });

  test("an unknown key with no close match lists the keys of its table", () => {
    expect(guideProblems("\n[health_check]\ncommand = ['CMD', 'true']\nbanana = 1\n")).toEqual([
      {
        message:
          "unknown key `banana` in `health_check`; the keys here are `command`, `interval`, `timeout`, `retries`, `start_period`",
        key: "health_check.banana",
        location: { file: "deploy.toml", line: 11, column: 1 },
      },
    ]);
  });

  test("past the first ten, a table's unknown keys are one problem, on the first of them", () => {
    const keys = Array.from({ length: 25 }, (_, n) => `junk${n} = 1`).join("\n");
    const problems = guideProblems(`\n[health_check]\ncommand = ['CMD', 'true']\n${keys}\n`);

    expect(problems).toHaveLength(11);
    expect(problems[0]?.message).toBe(
      "unknown key `junk0` in `health_check`; the keys here are `command`, `interval`, `timeout`, `retries`, `start_period`",
    );
    expect(problems[10]).toEqual({
      message:
        "15 more unknown keys in `health_check`: `junk10`, `junk11`, `junk12`, …; the keys here are `command`, `interval`, `timeout`, `retries`, `start_period`",
      key: "health_check.junk10",
      location: { file: "deploy.toml", line: 21, column: 1 },
    });
  });

  test("a wrong type says what was expected and what was found", () => {
    expect(fixtureProblems("wrong-type.toml")).toEqual([
      {
        message: '`port` must be an integer from 1 to 65535, got the string "80"',
        key: "port",
        location: { file: "wrong-type.toml", line: 5, column: 1 },
      },
    ]);
  });

  test("a missing top-level key points at line 1", () => {
    expect(fixtureProblems("missing-key.toml")).toEqual([
      {
        message: "missing required key `cluster`",
        key: "cluster",
        location: { file: "missing-key.toml", line: 1, column: 1 },
      },
    ]);
  });

  test("a missing key in a nested table points at the table's header", () => {
    expect(fixtureProblems("missing-nested-key.toml")).toEqual([
      {
        message: "missing required key `command` in `containers.nginx.health_check`",
        key: "containers.nginx.health_check.command",
        location: { file: "missing-nested-key.toml", line: 9, column: 1 },
      },
    ]);
  });

  test("an account written as an integer asks for a quoted string", () => {
    expect(fixtureProblems("account-integer.toml")).toEqual([
      {
        message:
          '`account` must be a string: write it as a quoted string of 12 digits, e.g. "012345678901" (as an integer, leading zeros would be lost), got the number 879613780019',
        key: "account",
        location: { file: "account-integer.toml", line: 1, column: 1 },
      },
    ]);
  });

  test("a memory Fargate does not allow with the cpu lists the memories it does", () => {
    expect(fixtureProblems("bad-size.toml")).toEqual([
      {
        message: "memory = 512 is not valid with cpu = 512 on Fargate; use 1024 to 4096 in steps of 1024",
        key: "memory",
        location: { file: "bad-size.toml", line: 9, column: 1 },
      },
    ]);
  });

  test("a cpu Fargate does not have lists the cpus it does", () => {
    expect(fixtureProblems("bad-cpu.toml")).toEqual([
      {
        message: "cpu = 384 is not a Fargate task size; use one of 256, 512, 1024, 2048, 4096, 8192 or 16384",
        key: "cpu",
        location: { file: "bad-cpu.toml", line: 8, column: 1 },
      },
    ]);
  });

  test("a bad environment variable name points at the name", () => {
    expect(fixtureProblems("bad-env-name.toml")).toEqual([
      {
        message:
          "`environment.2BAD` is not a valid environment variable name: use letters, digits and _, not starting with a digit",
        key: "environment.2BAD",
        location: { file: "bad-env-name.toml", line: 11, column: 1 },
      },
    ]);
  });

  test("a TOML syntax error keeps smol-toml's position, in words that say what is missing and where it began", () => {
    expect(fixtureProblems("syntax-error.toml")).toEqual([
      {
        message: "the array opened at line 8, column 11 is not closed: add `]` (or a comma between two items)",
        location: { file: "syntax-error.toml", line: 9, column: 1 },
      },
    ]);
  });
});

describe("every problem at once", () => {
  test("type, missing, unknown-key and cross-field problems come in one ConfigError, in file order", () => {
    const problems = fixtureProblems("many-problems.toml");
    expect(problems.map((p) => [p.key, p.location?.line, p.location?.column])).toEqual([
      ["account", 1, 1],
      ["cluster", 1, 1],
      ["port", 4, 1],
      ["memroy", 7, 1],
      ["environment.BAD-NAME", 8, 27],
      ["containers.web", 10, 1],
      ["containers.proxy.depends_on", 13, 1],
      ["containers.proxy.essential", 14, 1],
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      '`account` must be a string: write it as a quoted string of 12 digits, e.g. "012345678901" (as an integer, leading zeros would be lost), got the number 879613780019',
      "missing required key `cluster`",
      "`port` must be an integer from 1 to 65535, got the number 0",
      "unknown key `memroy` — did you mean `memory`?",
      "`environment.BAD-NAME` is not a valid environment variable name: use letters, digits and _, not starting with a digit",
      "`containers.web` has the name of the main container (`container_name`, which defaults to the service name); give the sidecar another name",
      "`containers.proxy.depends_on` names `cache`, which is not a container here; the containers are `web`, `proxy`",
      '`containers.proxy.essential` must be true or false, got the string "yes"',
    ]);
  });
});

describe("keys written in other TOML forms", () => {
  test("a dotted key points at the unknown part", () => {
    expect(guideProblems('containers.nginx.imag = "nginx"\n')).toEqual([
      {
        message: "unknown key `imag` in `containers.nginx` — did you mean `image`?",
        key: "containers.nginx.imag",
        location: { file: "deploy.toml", line: 8, column: 18 },
      },
    ]);
  });

  test("a key inside an inline table points inside the line", () => {
    const problems = guideProblems('health_check = { command = ["CMD", "true"], retries = 0 }\n');
    expect(problems).toEqual([
      {
        message: "`health_check.retries` must be an integer from 1 to 10, got the number 0",
        key: "health_check.retries",
        location: { file: "deploy.toml", line: 8, column: 45 },
      },
    ]);
  });

  test("an array element points at the array's key", () => {
    expect(guideProblems('command = ["node",\n  3,\n]\n')).toEqual([
      {
        message: "`command[1]` must be a string, got the number 3",
        key: "command[1]",
        location: { file: "deploy.toml", line: 8, column: 1 },
      },
    ]);
  });

  test("a quoted key that is not a bare key is quoted in the key path", () => {
    expect(guideProblems('\n[environment]\n"MY.VAR" = "1"\n')[0]).toMatchObject({
      key: 'environment."MY.VAR"',
      location: { line: 10, column: 1 },
    });
  });
});

describe("checks across fields", () => {
  test("a sidecar may not take the main container's name", () => {
    expect(guideProblems('container_name = "app"\n[containers.app]\n')).toEqual([
      {
        message:
          "`containers.app` has the name of the main container (`container_name`, which defaults to the service name); give the sidecar another name",
        key: "containers.app",
        location: { file: "deploy.toml", line: 9, column: 1 },
      },
    ]);
  });

  test("depends_on must name the main container or another sidecar, never itself", () => {
    const problems = guideProblems('[containers.proxy]\ndepends_on = ["NAME-test", "proxy", "db"]\n');
    expect(problems.map((p) => [p.key, p.message, p.location?.line])).toEqual([
      [
        "containers.proxy.depends_on",
        "`containers.proxy.depends_on` names `proxy` itself: a container cannot depend on itself",
        9,
      ],
      [
        "containers.proxy.depends_on",
        "`containers.proxy.depends_on` names `db`, which is not a container here; the containers are `NAME-test`, `proxy`",
        9,
      ],
    ]);
  });

  test("the sidecars' cpu and memory must fit in the task's", () => {
    const problems = guideProblems(
      "[containers.a]\ncpu = 200\nmemory = 300\n[containers.b]\ncpu = 100\nmemory = 300\n",
    );
    expect(problems.map((p) => p.message)).toEqual([
      "the sidecars' `cpu` adds up to 300, more than the task's `cpu` (256)",
      "the sidecars' `memory` adds up to 600, more than the task's `memory` (512)",
    ]);
  });

  test("the cross-field checks still run when an unrelated field is wrong", () => {
    const problems = guideProblems('cpu_architecture = "arm"\nmemory = 4096\n');
    expect(problems.map((p) => p.key)).toEqual(["cpu_architecture", "memory"]);
  });
});

describe("other field rules", () => {
  test("at most 50 tags", () => {
    const tags = Array.from({ length: 51 }, (_, i) => `t${i} = "v"`).join("\n");
    expect(guideProblems(`[tags]\n${tags}\n`)).toEqual([
      {
        message: "`tags` has 51 entries; AWS allows at most 50",
        key: "tags",
        location: { file: "deploy.toml", line: 8, column: 1 },
      },
    ]);
  });

  test("a health check command starts with CMD or CMD-SHELL and has the check after it", () => {
    const problems = guideProblems('[health_check]\ncommand = ["curl"]\n');
    expect(problems.map((p) => p.message)).toEqual([
      '`health_check.command[0]` must be "CMD" or "CMD-SHELL", got the string "curl"',
      '`health_check.command[1]` must be the check itself, e.g. "curl -f http://localhost/ || exit 1", got nothing',
    ]);
  });

  test("environment values of other TOML types are refused", () => {
    expect(guideProblems("environment = { WHEN = 1979-05-27 }\n").map((p) => p.message)).toEqual([
      "`environment.WHEN` must be a string, number or boolean, got the date 1979-05-27",
    ]);
  });

  test("secrets_path must start with a slash, and not be the root", () => {
    expect(guideProblems('secrets_path = "app/prod"\n').map((p) => p.message)).toEqual([
      '`secrets_path` must be an SSM parameter path below the root, like "/app", got the string "app/prod"',
    ]);
    // "/" would hand every parameter of the account and region to this service.
    expect(guideProblems('secrets_path = "/"\n').map((p) => p.message)).toEqual([
      '`secrets_path` must be an SSM parameter path below the root, like "/app", got the string "/"',
    ]);
  });

  test("an empty environment value is refused: ECS would drop it", () => {
    expect(guideProblems('[environment]\nFEATURE = ""\n')).toEqual([
      {
        message:
          "`environment.FEATURE` must not be empty: ECS drops environment variables with an empty value; remove it or give it a value",
        key: "environment.FEATURE",
        location: { file: "deploy.toml", line: 9, column: 1 },
      },
    ]);
  });

  test("tag keys may not use AWS's reserved prefix", () => {
    expect(guideProblems('[tags]\n"aws:team" = "web"\n').map((p) => p.message)).toEqual([
      '`tags."aws:team"` is not a valid tag key: the aws: prefix is reserved for AWS',
    ]);
  });

  test("tag keys may not use the action's own deploy-action: prefix: the record of what shipped cannot be forged", () => {
    const toml =
      '[tags]\n"deploy-action:commit" = "0123456789012345678901234567890123456789"\n"Deploy-Action:repository" = "x/y"\n';
    const problems = guideProblems(toml);
    expect(problems.map((p) => p.key)).toEqual(['tags."deploy-action:commit"', 'tags."Deploy-Action:repository"']);
    expect(problems[0]?.message).toBe(
      '`tags."deploy-action:commit"` is the action\'s own tag: tags under deploy-action: record the commit a revision was deployed from, so a config may not set them; use another key',
    );
    expect(problems[0]?.location).toMatchObject({ file: "deploy.toml" });
  });

  test("two containers of a task cannot listen on one port", () => {
    const toml = '[containers.proxy]\nimage = "envoy:1.30"\nport = 80\n';
    expect(guideProblems(toml)).toEqual([
      {
        message:
          "`containers.proxy.port` is 80, like `port` (the main container): containers of one task share its network, so each needs its own port",
        key: "containers.proxy.port",
        location: { file: "deploy.toml", line: 10, column: 1 },
      },
    ]);
  });

  test("a sidecar name must be an ECS container name", () => {
    expect(guideProblems('[containers."my proxy"]\n')).toEqual([
      {
        message:
          '`containers."my proxy"` is not a valid container name: use letters, digits, - and _, up to 255 characters',
        key: 'containers."my proxy"',
        location: { file: "deploy.toml", line: 8, column: 1 },
      },
    ]);
  });
});
