// The app forms of the command line: several configs with one image template, and `summarize` (the reusable
// workflow's last job): plan + records → one table, the job summary, the `failed` output, the exit status.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runApp } from "../src/app/deploy.js";
import { runSummarize } from "../src/app/summarize.js";
import { parseCommandLine, UsageError } from "../src/cli.js";
import { terminalHost } from "../src/host/terminal.js";
import { fillImageTemplate } from "../src/plan/images/template.js";
import { guideToml } from "./support/config.js";

describe("the app form of the command line", () => {
  it("takes configs (or globs) with --image and --version, and every other option for each service", () => {
    const argv = ["apps/*-prod.toml", "api.toml", "--image", "1.dkr.ecr.us-east-1.amazonaws.com/{service}:{version}"];
    argv.push("--version", "r254", "--dry-run", "--environment", "production");
    expect(parseCommandLine(argv)).toEqual({
      kind: "app",
      configs: ["apps/*-prod.toml", "api.toml"],
      template: "1.dkr.ecr.us-east-1.amazonaws.com/{service}:{version}",
      version: "r254",
      raw: { "dry-run": "true", environment: "production" },
    });
  });

  it("refuses --image without a config, and --version without --image", () => {
    expect(() => parseCommandLine(["--image", "app:1"])).toThrow(UsageError);
    expect(() => parseCommandLine(["config.toml", "app:1", "--version", "r1"])).toThrow(/give --image too/);
  });
});

describe("runApp before any deploy", () => {
  const TEMPLATE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/{service}:{version}";

  async function appRun(files: Record<string, string>, configs: string[], version: string | null = "r1") {
    const dir = mkdtempSync(join(tmpdir(), "deploy-action-app-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const deployed: string[] = [];
    let err = "";
    const code = await runApp(
      { configs, template: TEMPLATE, version: version ?? undefined, raw: {} },
      {
        env: {},
        cwd: dir,
        inputsFor: (raw) => {
          deployed.push(raw.config ?? "");
          throw new Error("no deploy in this test");
        },
        out: () => undefined,
        err: (t) => {
          err += t;
        },
      },
    );
    return { code, deployed, err };
  }

  it("reads every config first: a mistake in one stops the run, naming the file, and deploys none", async () => {
    const bad = guideToml.replace(/^port = 80$/m, 'port = "eighty"');
    const run = await appRun({ "a-good.toml": guideToml, "b-bad.toml": bad }, ["*.toml", "missing/*.toml"]);
    expect(run.code).toBe(1);
    expect(run.deployed).toEqual([]);
    expect(run.err).toContain("error: no config file matches missing/*.toml");
    expect(run.err).toMatch(/error: b-bad\.toml:5:\d+: `port` must be/);
    expect(run.err).toContain("nothing was deployed and nothing was changed in AWS");
  });

  it("refuses a template whose {version} has no --version, before any deploy", async () => {
    const run = await appRun({ "api.toml": guideToml }, ["api.toml"], null);
    expect(run.code).toBe(1);
    expect(run.deployed).toEqual([]);
    expect(run.err).toContain("error: api.toml: the image template has {version}: give the version with --version");
  });

  it("runs each config read through the command line's own inputs, with its filled-in image", async () => {
    const run = await appRun({ "api.toml": guideToml }, ["api.toml"]);
    expect(run.deployed).toEqual(["api.toml"]);
    // The run failed (this test's inputs throw): the table says so, and the exit status is 1.
    expect(run.code).toBe(1);
  });
});

describe("fillImageTemplate", () => {
  const values = { service: "api", account: "123456789012", region: "us-east-1", version: "r254" };
  it("fills {service}, {account}, {region} and {version}; a literal image stays as it is", () => {
    expect(fillImageTemplate("{account}.dkr.ecr.{region}.amazonaws.com/{service}:{version}", values)).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:r254",
    );
    expect(fillImageTemplate("ghcr.io/org/app:1.2.3", values)).toBe("ghcr.io/org/app:1.2.3");
  });

  it("says what is missing or wrong", () => {
    expect(() => fillImageTemplate("app:{version}", { service: "api" })).toThrow("give the version with --version");
    expect(() => fillImageTemplate("app:{tag}", values)).toThrow("the image template has {tag}: it may use");
    expect(() => fillImageTemplate("app:{version}", { ...values, version: "r1\n::error::x" })).toThrow(
      "is not an image tag",
    );
  });
});

describe("summarize", () => {
  function files(plan: unknown, records: string[]) {
    const dir = mkdtempSync(join(tmpdir(), "deploy-action-summarize-"));
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    const paths = records.map((text, i) => {
      const path = join(dir, `record-${i}.json`);
      writeFileSync(path, text);
      return path;
    });
    const summary = join(dir, "summary.md");
    const output = join(dir, "output");
    writeFileSync(summary, "");
    writeFileSync(output, "");
    return { dir, plan: join(dir, "plan.json"), paths, summary, output };
  }
  const plan = [
    { config: "apps/api.toml", account: "1", region: "us-east-1", cluster: "c", service: "api", deploy_order: 1 },
    { config: "apps/web.toml", account: "1", region: "us-east-1", cluster: "c", service: "web", deploy_order: 2 },
    { config: "apps/worker.toml", account: "1", region: "us-east-1", cluster: "c", service: "worker" },
  ];
  const line = (service: string, result: string, error?: string) =>
    `${JSON.stringify({ service, cluster: "c", version: "r254", revision: `${service}:7`, result, seconds: 42, ...(error ? { error } : {}) })}\n`;

  async function summarize(argv: string[], env: Record<string, string>) {
    let out = "";
    let err = "";
    const code = await runSummarize(argv, {
      env,
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    });
    return { code, out, err };
  }

  it("writes the table, the job summary and an empty `failed`, and exits 0 when every service succeeded", async () => {
    const f = files(plan, [line("api", "succeeded"), line("web", "succeeded"), line("worker", "unchanged")]);
    const run = await summarize(["--plan", f.plan, ...f.paths], {
      GITHUB_STEP_SUMMARY: f.summary,
      GITHUB_OUTPUT: f.output,
    });
    expect(run.code).toBe(0);
    // The worker has no deploy_order: wave 1, beside the API.
    expect(run.out.split("\n").map((l) => l.split(/\s+/)[0])).toEqual(["service", "api", "worker", "web", ""]);
    expect(readFileSync(f.summary, "utf8")).toContain("## ✅ Every service deployed");
    expect(readFileSync(f.output, "utf8")).toBe("failed=\n");
  });

  it("lists a failed service and the later waves as not started, names them in `failed`, and exits 1", async () => {
    const f = files(plan, [
      line("api", "failed", 'Pre-deploy task "migrate" exited with code 1'),
      line("worker", "succeeded"),
    ]);
    const run = await summarize(["--plan", f.plan, ...f.paths], {
      GITHUB_STEP_SUMMARY: f.summary,
      GITHUB_OUTPUT: f.output,
    });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/\nweb +not started +not started: an earlier wave failed \(api\)\n/);
    expect(run.err).toBe("error: 2 of 3 services failed or did not start: api, web\n");
    expect(readFileSync(f.output, "utf8")).toBe("failed=api,web\n");
    expect(readFileSync(f.summary, "utf8")).toContain(
      "| `web` |  |  |  | `not started` |  | `not started: an earlier wave failed (api)` |",
    );
  });

  it("refuses a plan or a record that is not what it should be, naming the file", async () => {
    const f = files({ not: "a list" }, ["{ not json"]);
    expect((await summarize(["--plan", f.plan], {})).err).toMatch(/plan\.json is not a JSON array of services/);
    const g = files(plan, ["{ not json"]);
    expect((await summarize(["--plan", g.plan, ...g.paths], {})).err).toMatch(/record-0\.json:1 is not JSON/);
    expect((await summarize([], {})).code).toBe(2);
  });
});

describe("a labelled terminal", () => {
  it("puts the service in front of every line before making untrusted lines inert", () => {
    let out = "";
    const host = terminalHost({ label: "api", env: { GITHUB_ACTIONS: "true" }, out: (t) => (out += t), color: false });
    host.info("one");
    host.untrusted(["::error::not a command", "a ##[error] b"]);
    const lines = out.split("\n");
    expect(lines[0]).toBe("[api] one");
    // `##[` anywhere is a command to the runner: the lines go inside stop-commands, labelled before, never after.
    expect(lines[1]).toMatch(/^::stop-commands::[0-9a-f]{32}$/);
    expect(lines.slice(2, 4)).toEqual(["[api] ::error::not a command", "[api] a ##[error] b"]);
    expect(lines[4]).toMatch(/^::[0-9a-f]{32}::$/);
  });
});
