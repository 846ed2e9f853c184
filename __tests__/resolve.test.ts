// `deploy-action resolve`: every example config through the action's loader, exactly as the reusable workflow runs
// it (`resolve --workspace . --github-output` in the config checkout), one of them from a separate "ops" checkout as
// `config-repository` gives it; globs, problems at file:line, a cluster ARN, and the command line's free paths.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../src/cli.js";
import { resolveConfigs } from "../src/resolve.js";

const EXAMPLES = fileURLToPath(new URL("../examples/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "resolve-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the command line as the workflow's step does: its stdout, stderr, exit code and GITHUB_OUTPUT lines. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const output = join(mkdtempSync(join(scratch, "run-")), "output");
  writeFileSync(output, "");
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((t) => out.push(String(t)) > 0);
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((t) => err.push(String(t)) > 0);
  try {
    const code = await runCli(argv, { GITHUB_OUTPUT: output, ...env });
    const outputs = Object.fromEntries(
      readFileSync(output, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    return { code, stdout: out.join(""), stderr: err.join(""), outputs };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const WORKFLOW_ARGS = ["--github-output", "--version", "r254", "--environment", "production"];

describe("every example config, as the reusable workflow resolves it", () => {
  const layered = [
    "applications/cms/jobs/cms-prod.toml",
    "applications/web/jobs/web-dev.toml",
    "applications/web/jobs/web-prod.toml",
  ];

  it.each([...layered, "config.toml"])("%s resolves, account and region from the universe", async (path) => {
    const image = "{account}.dkr.ecr.{region}.amazonaws.com/{service}:{version}";
    const run = await cli(["resolve", "--workspace", EXAMPLES, ...WORKFLOW_ARGS, "--image", image, path]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [config] = JSON.parse(run.stdout);
    expect(config.config).toBe(path);
    for (const key of ["account", "region", "cluster", "service"]) expect(config[key]).toMatch(/\S/);
    const wave = JSON.parse(run.outputs["wave-1"] ?? "{}").include[0];
    expect(wave.images).toBe(`${config.account}.dkr.ecr.${config.region}.amazonaws.com/${config.service}:r254`);
  });

  it("from a separate ops checkout (config-repository): a glob, sorted, each file's bases merged", async () => {
    const ops = join(scratch, "ops");
    cpSync(EXAMPLES, ops, { recursive: true });
    mkdirSync(join(scratch, "app"), { recursive: true });
    const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/{service}:{version}";
    const run = await cli([
      "resolve",
      "--workspace",
      ops,
      ...WORKFLOW_ARGS,
      "--image",
      image,
      "applications/*/jobs/*.toml",
    ]);
    expect(run.code).toBe(0);
    const configs = JSON.parse(run.stdout);
    expect(configs.map((c: { config: string }) => c.config)).toEqual(layered);
    expect(configs.every((c: { account: string }) => c.account === "123456789012")).toBe(true);
    expect(JSON.parse(run.outputs.plan ?? "[]")).toEqual(configs);
    expect(run.outputs.waves).toBe("1");
  });

  it("shows the reviewer the plan in the job summary: each service, its wave and its image", async () => {
    const summary = join(mkdtempSync(join(scratch, "summary-")), "summary.md");
    const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/{service}:{version}";
    const args = [
      "resolve",
      "--workspace",
      EXAMPLES,
      ...WORKFLOW_ARGS,
      "--image",
      image,
      "applications/*/jobs/*-prod.toml",
    ];
    const run = await cli(args, { GITHUB_STEP_SUMMARY: summary });
    expect(run.code).toBe(0);
    const text = readFileSync(summary, "utf8");
    expect(text).toContain("| wave | service | cluster | region | image |");
    expect(text).toContain(
      "| 1 | `cms-prod` | `apps-prod` | `us-east-1` | `123456789012.dkr.ecr.us-east-1.amazonaws.com/cms-prod:r254` |",
    );
    expect(text).toContain("`web-prod`");
  });
});

describe("resolve", () => {
  const write = (path: string, text: string) => {
    mkdirSync(join(scratch, path, ".."), { recursive: true });
    writeFileSync(join(scratch, path), text);
  };
  const minimal = (extra = "") =>
    `account = "123456789012"\nregion = "eu-west-1"\nservice = "api"\nport = 80\n` +
    `execution_role_arn = "arn:aws:iam::123456789012:role/x"\ntask_role_arn = "arn:aws:iam::123456789012:role/y"\n${extra}` +
    `[network]\nsubnets = ["subnet-0a1b2c3d4e5f60001"]\nsecurity_groups = ["sg-0a1b2c3d4e5f60003"]\n`;

  it("takes a cluster ARN wherever a cluster name goes", () => {
    write("arn/app.toml", `cluster = "arn:aws:ecs:eu-west-1:123456789012:cluster/apps"\n${minimal()}`);
    const [config] = resolveConfigs(["app.toml"], join(scratch, "arn"));
    expect(config?.cluster).toBe("arn:aws:ecs:eu-west-1:123456789012:cluster/apps");
  });

  it("reports every bad file at its file:line, exits 1, prints no plan", async () => {
    write("bad/a.toml", `cluster = "c"\n${minimal("desired_count = -1\n")}`);
    write("bad/b.toml", `cluster = "c"\n${minimal('cpu = "lots"\n')}`);
    const run = await cli(["resolve", "--workspace", join(scratch, "bad"), "*.toml"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: a\.toml:8:\d+: .*desired_count/m);
    expect(run.stderr).toMatch(/^error: b\.toml:8:\d+: .*cpu/m);
  });

  it("refuses a glob that matches nothing: a typo must not deploy nothing and succeed", async () => {
    const run = await cli(["resolve", "--workspace", EXAMPLES, "applications/*/jobs/*-staging.toml"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no config file matches `applications/*/jobs/*-staging.toml`");
  });

  it("in a checkout (--workspace), keeps a config and its bases inside it, as the action does", async () => {
    write("inside/app.toml", `extends = "../outside.toml"\ncluster = "c"\n${minimal()}`);
    write("outside.toml", "");
    const run = await cli(["resolve", "--workspace", join(scratch, "inside"), "app.toml"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("a base must be a file in the workspace");
  });

  it("on a laptop, takes any path: `..`, absolute, and bases outside the current directory", () => {
    write("elsewhere/shared.toml", minimal());
    write("elsewhere/app.toml", `extends = "shared.toml"\ncluster = "c"\n`);
    const cwd = join(scratch, "here");
    mkdirSync(cwd, { recursive: true });
    const spy = vi.spyOn(process, "cwd").mockReturnValue(cwd);
    try {
      const up = relative(cwd, join(scratch, "elsewhere/app.toml"));
      expect(up).toBe("../elsewhere/app.toml");
      const [fromUp] = resolveConfigs([up]);
      expect(fromUp).toMatchObject({ config: up, service: "api", cluster: "c", account: "123456789012" });
      const absolute = join(scratch, "elsewhere/app.toml");
      expect(resolveConfigs([absolute])[0]).toMatchObject({ config: absolute, service: "api" });
    } finally {
      spy.mockRestore();
    }
  });

  it("checks the workflow's settings once: a newline, nan and inf are refused with the setting's name", async () => {
    const bad = ["--version", "r1\n::error::x", "--image", "a:{version}\nb", "--wait-timeout", "nan"];
    const run = await cli(["resolve", "--workspace", EXAMPLES, "--github-output", ...bad, "config.toml"]);
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({});
    expect(run.stderr).toContain('--version: "r1\\n::error::x" is not an image tag');
    expect(run.stderr).toContain("--image: ");
    expect(run.stderr).toContain('--wait-timeout: expected a number of minutes from 0.05 to 1440, got "nan"');
    expect(run.stderr.split("\n").some((line) => line.startsWith("::error::"))).toBe(false);
    const inf = await cli([
      "resolve",
      "--workspace",
      EXAMPLES,
      ...WORKFLOW_ARGS,
      "--image",
      "a:{version}",
      "--wait-timeout",
      "inf",
      "config.toml",
    ]);
    expect(inf.stderr).toContain('got "inf"');
  });
});
