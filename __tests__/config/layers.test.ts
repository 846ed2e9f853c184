// `extends`: how files merge, where each key comes from, and every way a chain of files can be wrong.
import { describe, expect, test } from "vitest";
import { loadConfigFiles } from "../../src/config/index.js";
import { loadLayers } from "../../src/config/layers.js";
import { ConfigError } from "../../src/errors.js";
import { guideToml, problemsOf } from "../support/config.js";

/** A read function over an in-memory workspace; missing files fail as the workspace reader does. */
function reader(files: Record<string, string>) {
  return (path: string) => {
    const text = files[path];
    if (text === undefined) throw new ConfigError("missing", [{ message: `config file ${path} not found` }]);
    return text;
  };
}

const universe = [
  'account = "879613780019"',
  'region = "us-east-1"',
  'cluster = "apps"',
  "cpu = 512",
  "memory = 1024",
  'command = ["serve", "--all"]',
  "[network]",
  'subnets = ["subnet-0a1b2c3d", "subnet-0e5f6a7b"]',
  'security_groups = ["sg-0a1b2c3d"]',
  "[tags]",
  'team = "shop"',
  'tier = "web"',
  "",
].join("\n");

const roles = [
  'execution_role_arn = "arn:aws:iam::879613780019:role/exec"',
  'task_role_arn = "arn:aws:iam::879613780019:role/task"',
  "",
].join("\n");

describe("merge semantics", () => {
  const files = {
    "shared/universe.toml": universe,
    "shared/roles.toml": roles,
    "apps/web/prod.toml": [
      'extends = ["../../shared/universe.toml", "../../shared/roles.toml"]',
      'service = "web"',
      "port = 8080",
      "cpu = 1024",
      "memory = 2048",
      'command = ["serve"]',
      "[network]",
      'subnets = ["subnet-0c0c0c0c"]',
      "[tags]",
      'tier = "api"',
      "",
    ].join("\n"),
  };
  const { config } = loadConfigFiles("apps/web/prod.toml", reader(files));

  test("the nearer file's scalar wins", () => {
    expect(config.cpu).toBe(1024);
    expect(config.cluster).toBe("apps");
  });

  test("an array is replaced, not concatenated", () => {
    expect(config.command).toEqual(["serve"]);
    expect(config.network?.subnets).toEqual(["subnet-0c0c0c0c"]);
  });

  test("tables merge key by key", () => {
    expect(config.tags).toEqual({ team: "shop", tier: "api" });
    expect(config.network?.security_groups).toEqual(["sg-0a1b2c3d"]);
  });

  test("a list of bases applies in order, each under the file that names it", () => {
    expect(config.execution_role_arn).toBe("arn:aws:iam::879613780019:role/exec");
  });

  test("a later base overrides an earlier one", () => {
    const { config: c } = loadConfigFiles(
      "a.toml",
      reader({
        "a.toml": `extends = ["one.toml", "two.toml"]\nservice = "web"\nport = 80\n${roles}`,
        "one.toml": `cpu = 256\n${universe}`.replace("cpu = 512\n", ""),
        "two.toml": 'cluster = "two"\n',
      }),
    );
    expect(c.cluster).toBe("two");
    expect(c.cpu).toBe(256);
  });

  test("a base may extend another, and paths are relative to the file that says them", () => {
    const { config: c, sources } = loadConfigFiles(
      "apps/web/dev.toml",
      reader({
        "apps/web/dev.toml": 'extends = "../base.toml"\nservice = "web-dev"\nport = 80\n',
        "apps/base.toml": `extends = "../shared/universe.toml"\n${roles}`,
        "shared/universe.toml": universe,
      }),
    );
    expect(c.service).toBe("web-dev");
    expect(c.region).toBe("us-east-1");
    expect(c.task_role_arn).toBe("arn:aws:iam::879613780019:role/task");
    expect(sources).toEqual([
      { file: "apps/web/dev.toml", keys: ["service", "port"] },
      { file: "apps/base.toml", keys: ["execution_role_arn", "task_role_arn"] },
      {
        file: "shared/universe.toml",
        keys: ["account", "region", "cluster", "cpu", "memory", "command", "network", "tags"],
      },
    ]);
  });

  test("the read-config sources list a table by its keys when several files wrote it", () => {
    const { sources } = loadConfigFiles("apps/web/prod.toml", reader(files));
    const byFile = Object.fromEntries(sources.map((s) => [s.file, s.keys]));
    expect(byFile["apps/web/prod.toml"]).toEqual([
      "cpu",
      "memory",
      "command",
      "network.subnets",
      "tags.tier",
      "service",
      "port",
    ]);
    expect(byFile["shared/universe.toml"]).toEqual([
      "account",
      "region",
      "cluster",
      "network.security_groups",
      "tags.team",
    ]);
  });

  test("a base reached twice (a diamond) is merged in order and listed once", () => {
    const { config: c, sources } = loadConfigFiles(
      "a.toml",
      reader({
        "a.toml": `extends = ["b.toml", "c.toml"]\nservice = "web"\nport = 80\n${roles}`,
        "b.toml": 'extends = "u.toml"\ncpu = 1024\nmemory = 2048\n',
        "c.toml": 'extends = "u.toml"\ncluster = "c"\n',
        "u.toml": universe,
      }),
    );
    // c.toml comes with its base, u.toml, and is applied after b.toml (the list in order): u.toml's cpu and memory
    // win over b.toml's, which then gives nothing, and u.toml is one source however often it was reached.
    expect([c.cluster, c.cpu, c.memory]).toEqual(["c", 512, 1024]);
    expect(sources.map((s) => s.file)).toEqual(["a.toml", "c.toml", "u.toml"]);
  });

  test("a shared file's own `extends` never reaches the merged config", () => {
    const layers = loadLayers("apps/web/prod.toml", reader(files));
    expect(layers.data).not.toHaveProperty("extends");
  });
});

describe("where problems are annotated", () => {
  test("a bad value in the shared file is annotated in the shared file, at its line", () => {
    const problems = problemsOf(() =>
      loadConfigFiles(
        "deploy/web.toml",
        reader({
          "deploy/web.toml": 'extends = "../shared/universe.toml"\nservice = "web"\nport = 80\n',
          "shared/universe.toml": `${roles}${universe}`.replace("cpu = 512", "cpu = 300"),
        }),
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.location).toEqual({ file: "shared/universe.toml", line: 6, column: 1 });
  });

  test("a value the nearer file overrides is annotated in the nearer file", () => {
    const problems = problemsOf(() =>
      loadConfigFiles(
        "deploy/web.toml",
        reader({
          "deploy/web.toml": 'extends = "../shared/universe.toml"\nservice = "web"\nport = 80\n\ncpu = 300\n',
          "shared/universe.toml": `${roles}${universe}`,
        }),
      ),
    );
    expect(problems.map((p) => p.location)).toEqual([{ file: "deploy/web.toml", line: 5, column: 1 }]);
  });

  test("an unknown key in a base points at the base", () => {
    const problems = problemsOf(() =>
      loadConfigFiles(
        "web.toml",
        reader({ "web.toml": `extends = "base.toml"\n${guideToml}`, "base.toml": "\n\nprot = 80\n" }),
      ),
    );
    expect(problems).toEqual([
      {
        key: "prot",
        message: "unknown key `prot` — did you mean `port`?",
        location: { file: "base.toml", line: 3, column: 1 },
      },
    ]);
  });

  test("a missing required key points at the config file that extends", () => {
    const problems = problemsOf(() =>
      loadConfigFiles("web.toml", reader({ "web.toml": 'extends = "base.toml"\nservice = "web"\n', "base.toml": "" })),
    );
    expect(problems.map((p) => p.location?.file)).toEqual(Array(problems.length).fill("web.toml"));
  });

  test("a syntax error in a base is annotated in the base and says how it was reached", () => {
    const problems = problemsOf(() =>
      loadConfigFiles("web.toml", reader({ "web.toml": 'extends = "base.toml"\n', "base.toml": "\ncpu = = 1\n" })),
    );
    expect(problems[0]?.location).toMatchObject({ file: "base.toml", line: 2 });
    expect(problems[0]?.message).toContain("(extends chain: web.toml → base.toml)");
  });

  test("locate finds the shared file for keys only it writes, and nothing for defaults", () => {
    const loaded = loadConfigFiles(
      "web.toml",
      reader({ "web.toml": 'extends = "u.toml"\nservice = "web"\nport = 80\n', "u.toml": `${roles}${universe}` }),
    );
    expect(loaded.locate("network.subnets")).toEqual({ file: "u.toml", line: 10, column: 1 });
    expect(loaded.locate("port")).toEqual({ file: "web.toml", line: 3, column: 1 });
    expect(loaded.locate("family")).toBeUndefined();
  });
});

describe("a chain of files that cannot be merged", () => {
  test("a cycle is an error that shows the chain, on the `extends` that closes it", () => {
    const problems = problemsOf(() =>
      loadConfigFiles(
        "a.toml",
        reader({
          "a.toml": 'extends = "b.toml"\n',
          "b.toml": '\nextends = "c.toml"\n',
          "c.toml": 'extends = "a.toml"\n',
        }),
      ),
    );
    expect(problems).toEqual([
      {
        message: "`extends` makes a cycle: a.toml → b.toml → c.toml → a.toml",
        location: { file: "c.toml", line: 1, column: 1 },
      },
    ]);
  });

  test("a file that extends itself is a cycle", () => {
    const problems = problemsOf(() => loadConfigFiles("a.toml", reader({ "a.toml": 'extends = "./a.toml"\n' })));
    expect(problems[0]?.message).toBe("`extends` makes a cycle: a.toml → a.toml");
  });

  test("a missing base is annotated on the `extends` that names it, with the chain", () => {
    const problems = problemsOf(() =>
      loadConfigFiles(
        "deploy/web.toml",
        reader({
          "deploy/web.toml": 'service = "web"\nextends = ["base.toml", "gone.toml"]\n',
          "deploy/base.toml": "",
        }),
      ),
    );
    expect(problems).toEqual([
      {
        message: "config file deploy/gone.toml not found (extends chain: deploy/web.toml → deploy/gone.toml)",
        location: { file: "deploy/web.toml", line: 2, column: 1 },
      },
    ]);
  });

  test.each([
    ['"../../outside.toml"', "leaves the workspace (`..`)"],
    ['"/etc/passwd"', "is an absolute path"],
  ])("a base at %s is refused before it is read", (path, why) => {
    const read = () => {
      throw new Error("must not be read");
    };
    const problems = problemsOf(() =>
      loadConfigFiles("deploy/web.toml", (p) => (p === "deploy/web.toml" ? `extends = ${path}\n` : read())),
    );
    expect(problems[0]?.message).toContain(why);
    expect(problems[0]?.location?.file).toBe("deploy/web.toml");
  });

  test("a `config` input outside the workspace is refused", () => {
    expect(problemsOf(() => loadConfigFiles("../x.toml", reader({})))[0]?.message).toContain("leaves the workspace");
    expect(problemsOf(() => loadConfigFiles("/tmp/x.toml", reader({})))[0]?.message).toContain("absolute path");
  });

  test("a table in one file and a scalar in another is a clash that names both files", () => {
    const problems = problemsOf(() =>
      loadConfigFiles(
        "web.toml",
        reader({ "web.toml": 'extends = "u.toml"\n\nnetwork = "default"\n', "u.toml": universe }),
      ),
    );
    expect(problems[0]).toEqual({
      key: "network",
      message:
        "`network` is not a table here but a table in u.toml:7, which this file extends: write it the same way in both, or only in one",
      location: { file: "web.toml", line: 3, column: 1 },
    });
  });

  test("`extends` of the wrong type is an error on its line", () => {
    const problems = problemsOf(() => loadConfigFiles("web.toml", reader({ "web.toml": "\nextends = 3\n" })));
    expect(problems[0]?.location).toEqual({ file: "web.toml", line: 2, column: 1 });
    expect(problems[0]?.message).toContain("`extends` must be a path");
  });

  test("a chain longer than 20 files stops", () => {
    const files = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`f${i}.toml`, `extends = "f${i + 1}.toml"\n`]),
    );
    expect(problemsOf(() => loadConfigFiles("f0.toml", reader(files)))[0]?.message).toContain("more than 20 files");
  });
});

describe("integers", () => {
  test.each(["desired_count = 1e10", "desired_count = 2.0", "cpu = 256.0"])("%s is refused as a float", (line) => {
    const problems = problemsOf(() => loadConfigFiles("a.toml", reader({ "a.toml": `${guideToml}${line}\n` })));
    expect(problems[0]?.message).toMatch(/must be an integer, got the float/);
    expect(problems[0]?.location?.line).toBe(8);
  });

  test("a float in an environment value is a string like any other", () => {
    const { config } = loadConfigFiles("a.toml", reader({ "a.toml": `${guideToml}[environment]\nRATIO = 2.0\n` }));
    expect(config.environment).toEqual({ RATIO: "2" });
  });

  test("a float a nearer file replaces is no problem", () => {
    const files = { "a.toml": `extends = "b.toml"\n${guideToml}cpu = 256\n`, "b.toml": "cpu = 256.0\n" };
    expect(loadConfigFiles("a.toml", reader(files)).config.cpu).toBe(256);
  });
});
