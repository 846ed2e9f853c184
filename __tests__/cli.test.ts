// The command line's arguments → the action's own Inputs, and the terminal it prints to.
import { describe, expect, it, vi } from "vitest";
import {
  cliInputs,
  inFlags,
  parseCommandLine,
  parseRollback,
  ROLLBACK_USAGE,
  runCli,
  USAGE,
  UsageError,
} from "../src/cli.js";
import { InputError } from "../src/errors.js";
import { terminalHost } from "../src/host/terminal.js";
import { ACTION_INPUTS } from "../src/inputs.js";

describe("parseCommandLine", () => {
  it("takes the guide's two arguments, config and image, unchanged", () => {
    expect(parseCommandLine(["config.toml", "1.dkr.ecr.us-east-1.amazonaws.com/guide"])).toEqual({
      kind: "deploy",
      raw: { config: "config.toml", images: "1.dkr.ecr.us-east-1.amazonaws.com/guide" },
    });
  });

  it("takes several images, and each option as the input it sets", () => {
    const argv = ["../../different-name.toml", "app:1", "nginx=nginx:2", "--dry-run", "--no-wait"];
    argv.push("--wait-timeout", "12", "--poll-interval=2", "--max-failed-tasks", "5", "--on-failure", "leave");
    argv.push("--force-new-deployment", "--no-pin-images", "--keep-revisions", "3");
    expect(parseCommandLine(argv)).toEqual({
      kind: "deploy",
      raw: {
        config: "../../different-name.toml",
        images: "app:1\nnginx=nginx:2",
        "dry-run": "true",
        wait: "false",
        "wait-timeout": "12",
        "poll-interval": "2",
        "max-failed-tasks": "5",
        "on-failure": "leave",
        "force-new-deployment": "true",
        "pin-images": "false",
        "keep-revisions": "3",
      },
    });
  });

  it("--task-definition names a revision to deploy instead of images", () => {
    expect(parseCommandLine(["config.toml", "--task-definition", "web:2"])).toEqual({
      kind: "deploy",
      raw: { config: "config.toml", images: "", "task-definition": "web:2" },
    });
    expect(cliInputs({ config: "config.toml", images: "", "task-definition": "web:2" }, {})).toMatchObject({
      taskDefinition: "web:2",
      images: "",
    });
    expect(() => cliInputs({ config: "config.toml", images: "app:1", "task-definition": "web:2" }, {})).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({ message: expect.stringMatching(/^IMAGE: and --task-definition are both given/) }),
        ],
      }),
    );
    expect(USAGE).toContain("--task-definition REV");
  });

  it("asks for help, and refuses what it does not know", () => {
    expect(parseCommandLine(["--help"])).toEqual({ kind: "help" });
    expect(parseCommandLine(["config.toml", "-h"])).toEqual({ kind: "help" });
    expect(() => parseCommandLine(["config.toml"])).toThrow(UsageError);
    expect(() => parseCommandLine([])).toThrow("expected a config file and at least one image");
    expect(() => parseCommandLine(["c.toml", "img", "--wait"])).toThrow(/unknown option `--wait`/);
    expect(() => parseCommandLine(["c.toml", "img", "--wait-timeout"])).toThrow(UsageError);
  });

  it("--help names every option with the action's defaults", () => {
    for (const option of ["--dry-run", "--no-wait", "--wait-timeout MINUTES", "--keep-revisions N", "--help"]) {
      expect(USAGE).toContain(option);
    }
    expect(USAGE).toContain(`(default ${ACTION_INPUTS["wait-timeout"].default})`);
    expect(USAGE).toContain("Usage: deploy-action CONFIG IMAGE... [options]");
  });
});

describe("parseRollback", () => {
  it("takes the config, --to, and the deploy's options as the inputs they set", () => {
    const argv = ["config.toml", "--to", "web:41", "--no-wait", "--wait-timeout", "12", "--environment", "prod"];
    expect(parseRollback(argv)).toEqual({
      kind: "rollback",
      config: "config.toml",
      to: "web:41",
      raw: { wait: "false", "wait-timeout": "12", environment: "prod" },
    });
  });

  it("an empty --to (a workflow's unset input) means the revision before", () => {
    expect(parseRollback(["config.toml", "--to", ""])).toMatchObject({ to: undefined });
    expect(parseRollback(["config.toml"])).toMatchObject({ to: undefined, raw: {} });
  });

  it("refuses a --to that is not a revision, options a rollback does not take, and a missing config", () => {
    expect(() => parseRollback(["config.toml", "--to", "web"])).toThrow(
      new UsageError('--to: expected a revision as family:revision (web:2) or its ARN, got "web"'),
    );
    expect(() => parseRollback(["config.toml", "--task-definition", "web:2"])).toThrow(/unknown option/);
    expect(() => parseRollback(["config.toml", "--too", "web:2"])).toThrow(
      new UsageError("unknown option `--too`: did you mean `--to`?"),
    );
    expect(() => parseRollback([])).toThrow(/expected one config file/);
    expect(parseRollback(["--help"])).toEqual({ kind: "help" });
  });

  it("its help lists --to and the deploy options it takes, with their defaults", () => {
    for (const option of ["--to REV", "--dry-run", "--no-wait", "--wait-timeout MINUTES", "--on-failure WHAT"]) {
      expect(ROLLBACK_USAGE).toContain(`  ${option}`);
    }
    expect(ROLLBACK_USAGE).toContain("(default 30)");
    expect(ROLLBACK_USAGE).not.toContain("--keep-revisions");
    expect(USAGE).toContain("deploy-action rollback CONFIG [--to REV]");
    expect(USAGE).toContain("deploy-action history CONFIG [--limit N]");
  });

  it("history refuses a bad --limit and an unknown option as usage errors, before reading any file", async () => {
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((t) => err.push(String(t)) > 0);
    try {
      expect(await runCli(["history", "config.toml", "--limit", "0"], {})).toBe(2);
      expect(await runCli(["history", "config.toml", "--limt", "3"], {})).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(err[0]).toContain('error: --limit takes a whole number from 1 to 100, got "0"');
    expect(err[1]).toContain("error: unknown option `--limt`: did you mean `--limit`?");
  });
});

describe("cliInputs", () => {
  it("builds the action's Inputs, with its defaults, relative to the current directory", () => {
    const inputs = cliInputs({ config: "config.toml", images: "app:1" }, { GITHUB_TOKEN: "t" });
    expect(inputs).toMatchObject({
      config: "config.toml",
      images: "app:1",
      wait: true,
      waitTimeoutMs: 30 * 60_000,
      onFailure: "rollback",
      pinImages: true,
      workspace: process.cwd(),
      endpoint: undefined,
      githubToken: "t",
    });
    expect(cliInputs({ config: "c", images: "i" }, {}).githubToken).toBeUndefined();
  });

  it("names a bad value by its option", () => {
    const problems = (() => {
      try {
        cliInputs({ config: "c", images: "i", "wait-timeout": "soon", "pin-images": "maybe" }, {});
      } catch (error) {
        return error instanceof InputError ? error.problems.map((p) => p.message) : [];
      }
      return [];
    })();
    expect(problems).toEqual([
      '--wait-timeout: expected a number from 0.05 to 1440, got "soon"',
      '--no-pin-images: expected true or false, got "maybe"',
    ]);
  });
});

function captured(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const host = terminalHost({ out: (t) => out.push(t), err: (t) => err.push(t), env, color: false });
  return { host, out: () => out.join(""), err: () => err.join("") };
}

describe("terminalHost", () => {
  it("prints steps under headings, problems as error: file:line:col: message, and the outputs at the end", async () => {
    const t = captured();
    const value = await t.host.group("Read config", () => {
      t.host.info("config.toml: service app");
      return 42;
    });
    expect(value).toBe(42);
    t.host.error("config.toml:3:1: `port` must be a number", { file: "config.toml", line: 3, column: 1 });
    t.host.warning("image is named by tag", { file: "config.toml", line: 5, column: 2 });
    t.host.setOutput("result", "failed");
    t.host.fail("ConfigError: 1 problem(s); nothing was changed in AWS");
    expect(t.host.finish()).toBe(1);
    expect(t.out()).toBe("\n==> Read config\nconfig.toml: service app\n\nOutputs:\n  result: failed\n");
    expect(t.err()).toBe(
      [
        "error: config.toml:3:1: `port` must be a number",
        "warning: config.toml:5:2: image is named by tag",
        "error: ConfigError: 1 problem(s); nothing was changed in AWS",
        "",
      ].join("\n"),
    );
  });

  it("exits 0 when nothing failed, and writes no job summary", async () => {
    const t = captured();
    await t.host.summary("## ✅ Deployed");
    expect(t.host.finish()).toBe(0);
    expect(t.out()).toBe("");
  });

  it("prints a failure's details under its first line, one line each", () => {
    const t = captured();
    t.host.fail("container app exited with code 1\ntask 3f2a STOPPED: Essential container in task exited\r::x::");
    expect(t.err()).toBe(
      "error: container app exited with code 1\n  task 3f2a STOPPED: Essential container in task exited\\r::x::\n",
    );
  });

  it("shows a name from a file (an ESC in a file name) escaped in the action's own lines and outputs", () => {
    const t = captured();
    t.host.info("port from shared/\u001b]0;owned\u0007evil.toml");
    t.host.setOutput("config", "deploy/\u001b[2Japp.toml");
    t.host.finish();
    expect(t.out()).toBe(
      "port from shared/\\u001b]0;owned\\u0007evil.toml\n\nOutputs:\n  config: deploy/\\u001b[2Japp.toml\n",
    );
  });

  it("in a terminal, shows control characters of untrusted text as escapes", () => {
    const t = captured();
    t.host.untrusted(["\u001b[31mred\u001b[0m", "::error::not a command here"]);
    expect(t.out()).toBe("\\u001b[31mred\\u001b[0m\n::error::not a command here\n");
  });

  it("inside a GitHub Actions step, keeps untrusted text inert between stop-commands", () => {
    const t = captured({ GITHUB_ACTIONS: "true" });
    t.host.untrusted(["app log line", "::add-mask::x"]);
    const lines = t.out().trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(lines[0] ?? "")?.[1];
    expect(token).toBeDefined();
    expect(lines.slice(1)).toEqual(["app log line", "::add-mask::x", `::${token}::`]);
    t.host.fail("DeployError: ECS says\n::set-output name=x::y");
    expect(t.err()).toMatch(/^::stop-commands::[0-9a-f]{32}\nerror: DeployError: ECS says\n {2}::set-output/);
  });
});

describe("inFlags: the action's words, as the command line's user knows them", () => {
  it.each([
    ["Not waiting for the rollout (wait: false)", "Not waiting for the rollout (--no-wait)"],
    [
      "keep-revisions is ignored with wait: false: old revisions",
      "keep-revisions is ignored with --no-wait: old revisions",
    ],
    ["input `images`: image `x` is from the registry", "IMAGE: image `x` is from the registry"],
    ["The `images` input does not fit the config", "IMAGE does not fit the config"],
    ["input `wait-timeout`: expected a number", "--wait-timeout: expected a number"],
    ["no GitHub token (input `github-token`)", "no GitHub token (GITHUB_TOKEN)"],
    [
      "expired: check the configure-aws-credentials step",
      "expired: check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...)",
    ],
  ])("%s", (action, cli) => {
    expect(inFlags(action)).toBe(cli);
  });

  it("reaches the terminal: the host prints its lines and problems through it", () => {
    const lines: string[] = [];
    const host = terminalHost({
      out: (t) => lines.push(t),
      err: (t) => lines.push(t),
      color: false,
      words: inFlags,
      env: {},
    });
    host.info("Not waiting for the rollout (wait: false)");
    host.error("input `poll-interval`: expected a number");
    expect(lines.join("")).toBe("Not waiting for the rollout (--no-wait)\nerror: --poll-interval: expected a number\n");
  });
});
