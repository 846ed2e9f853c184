import { readFileSync } from "node:fs";
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, TaskDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { buildTaskDefinition } from "../../../src/plan/task-definition/build.js";
import { diffTaskDefinitions, renderDiff } from "../../../src/plan/task-definition/diff.js";
import { normalizeTaskDefinition, sameTaskDefinition } from "../../../src/plan/task-definition/normalize.js";
import { guideToml } from "../../support/config.js";

// What DescribeTaskDefinition returned for revision 253: defaults filled in, empty lists, response-only fields.
const described = JSON.parse(
  readFileSync(new URL("../../fixtures/unit/described-task-definition.json", import.meta.url), "utf8"),
) as { taskDefinition: TaskDefinition };
const current = described.taskDefinition;

const IMAGE = "879613780019.dkr.ecr.us-east-1.amazonaws.com/app";
const config = parseConfig(
  `${guideToml}
command = ["node", "server.js"]
[environment]
NODE_ENV = "production"
WORKERS = 4
[health_check]
command = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
`,
  "config.toml",
);
const secrets = [
  { name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:us-east-1:879613780019:parameter/NAME-test/DB_PASSWORD" },
];

/** What this action would register: the fixture's revision 253 unless a test changes something. */
function build(tag = "r253"): RegisterTaskDefinitionCommandInput {
  return buildTaskDefinition(config, new Map([["NAME-test", `${IMAGE}:${tag}`]]), secrets);
}

/** `build()` with its main container changed by `edit`. */
function withMain(edit: (c: ContainerDefinition) => ContainerDefinition, base = build()) {
  const [main, ...rest] = base.containerDefinitions ?? [];
  if (!main) throw new Error("no main container");
  return { ...base, containerDefinitions: [edit(main), ...rest] };
}

describe("normalizeTaskDefinition", () => {
  it("brings a described revision and the input that registered it to the same form", () => {
    expect(normalizeTaskDefinition(current)).toEqual(normalizeTaskDefinition(build()));
    expect(sameTaskDefinition(current, build())).toBe(true);
  });

  it("compares tags, which preflight puts back beside the described revision, in any order", () => {
    const tags = [
      { key: "team", value: "web" },
      { key: "cost-center", value: "42" },
    ];
    expect(sameTaskDefinition({ ...current, tags: [...tags].reverse() }, { ...build(), tags })).toBe(true);
    expect(sameTaskDefinition(current, { ...build(), tags })).toBe(false);
    // The run that registered a revision is a record, not a setting: no change, and no line in the diff.
    const run = (id: number) => [
      ...tags,
      { key: "deploy-action:run", value: `https://github.com/o/r/actions/runs/${id}` },
    ];
    expect(sameTaskDefinition({ ...current, tags: run(1) }, { ...build(), tags: run(2) })).toBe(true);
    expect(renderDiff(diffTaskDefinitions({ ...current, tags: run(1) }, { ...build(), tags: run(2) }))).toMatch(
      /^no changes/,
    );
    const retagged = { ...build(), tags: [{ key: "team", value: "api" }] };
    expect(renderDiff(diffTaskDefinitions({ ...current, tags }, retagged))).toBe(
      ["- tag cost-center=42", "~ tag team: web → api"].join("\n"),
    );
  });

  it("drops response-only fields and empty lists, and fills AWS's defaults", () => {
    const canonical = normalizeTaskDefinition(current);
    expect(canonical).not.toHaveProperty("revision");
    expect(canonical).not.toHaveProperty("volumes");
    expect(canonical).not.toHaveProperty("enableFaultInjection");
    expect(canonical.runtimePlatform).toEqual({ cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" });
    expect(canonical.containerDefinitions[0]).not.toHaveProperty("mountPoints");
    expect(canonical.containerDefinitions[0]).not.toHaveProperty("cpu");
    expect(canonical.containerDefinitions[0]?.environment?.map((e) => e.name)).toEqual(["NODE_ENV", "WORKERS"]);
  });

  it("fills port, essential and health check defaults that AWS fills on register", () => {
    const sparse: RegisterTaskDefinitionCommandInput = {
      family: "app",
      networkMode: "awsvpc",
      containerDefinitions: [
        {
          name: "app",
          image: "app:1",
          portMappings: [{ containerPort: 80 }],
          healthCheck: { command: ["CMD", "true"] },
          environment: [],
        },
      ],
      volumes: [],
    };
    const filled: TaskDefinition = {
      family: "app",
      networkMode: "awsvpc",
      revision: 3,
      runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
      containerDefinitions: [
        {
          name: "app",
          image: "app:1",
          essential: true,
          cpu: 0,
          portMappings: [{ containerPort: 80, hostPort: 80, protocol: "tcp" }],
          healthCheck: { command: ["CMD", "true"], interval: 30, timeout: 5, retries: 3 },
          mountPoints: [],
          volumesFrom: [],
          systemControls: [],
        },
      ],
    };
    expect(sameTaskDefinition(sparse, filled)).toBe(true);
  });

  it("still tells real differences apart", () => {
    expect(sameTaskDefinition(current, build("r254"))).toBe(false);
    const arm = {
      ...build(),
      runtimePlatform: { cpuArchitecture: "ARM64" as const, operatingSystemFamily: "LINUX" as const },
    };
    expect(sameTaskDefinition(current, arm)).toBe(false);
    expect(
      sameTaskDefinition(
        current,
        withMain((c) => ({ ...c, essential: false })),
      ),
    ).toBe(false);
    expect(
      sameTaskDefinition(
        current,
        withMain((c) => ({ ...c, command: ["server.js", "node"] })),
      ),
    ).toBe(false);
  });
});

describe("diffTaskDefinitions", () => {
  it("finds nothing between a revision and the input that registered it", () => {
    expect(diffTaskDefinitions(current, build())).toEqual([]);
    expect(renderDiff([])).toBe("no changes: the new task definition is the same as the current one");
  });

  it("says when there is nothing to compare with", () => {
    expect(renderDiff(diffTaskDefinitions(undefined, build("r254")))).toBe(
      [
        `+ first revision of \`NAME-test\`: nothing to compare with`,
        `+ container \`NAME-test\` (image ${IMAGE}:r254)`,
      ].join("\n"),
    );
  });

  it("lists image, environment, secret, size, port, role, command and health check changes", () => {
    const next = withMain(
      (c) => ({
        ...c,
        environment: [
          { name: "NODE_ENV", value: "staging" },
          { name: "LOG_LEVEL", value: "debug" },
        ],
        secrets: [
          { name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:us-east-1:879613780019:parameter/NAME-test/db/PASSWORD" },
          { name: "API_KEY", valueFrom: "arn:aws:ssm:us-east-1:879613780019:parameter/NAME-test/API_KEY" },
        ],
        portMappings: [{ containerPort: 8080, protocol: "tcp" }],
        command: ["node", "worker.js"],
        healthCheck: { command: ["CMD", "/bin/check"], interval: 10, timeout: 5, retries: 3, startPeriod: 60 },
      }),
      {
        ...build("r254"),
        cpu: "512",
        memory: "1024",
        taskRoleArn: "arn:aws:iam::879613780019:role/app-v2",
        runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
      },
    );

    expect(renderDiff(diffTaskDefinitions(current, next)).split("\n")).toEqual([
      "~ cpu: 256 → 512",
      "~ memory: 512 → 1024",
      "~ architecture: X86_64 → ARM64",
      "~ task role: arn:aws:iam::879613780019:role/delegatedadmin/developer/flh-dev-task-role → arn:aws:iam::879613780019:role/app-v2",
      `~ NAME-test image: ${IMAGE}:r253 → ${IMAGE}:r254`,
      "- NAME-test env WORKERS=4",
      "+ NAME-test env LOG_LEVEL=debug",
      "~ NAME-test env NODE_ENV: production → staging",
      "+ NAME-test secret API_KEY (from /NAME-test/API_KEY)",
      "~ NAME-test secret DB_PASSWORD: from /NAME-test/DB_PASSWORD → /NAME-test/db/PASSWORD",
      "~ NAME-test ports: 80/tcp → 8080/tcp",
      '~ NAME-test command: ["node","server.js"] → ["node","worker.js"]',
      '~ NAME-test health check: ["CMD-SHELL","curl -f http://localhost/ || exit 1"] every 30s, timeout 5s, 3 retries → ["CMD","/bin/check"] every 10s, timeout 5s, 3 retries, start period 60s',
    ]);
  });

  it("names removed secrets only, and shows awkward values quoted", () => {
    const next = withMain((c) => ({
      ...c,
      secrets: [],
      environment: [
        { name: "NODE_ENV", value: "production" },
        { name: "WORKERS", value: "" },
        { name: "BANNER", value: "line 1\nline 2" },
        { name: "PADDED", value: " x" },
      ],
    }));

    const text = renderDiff(diffTaskDefinitions(current, next));

    expect(text.split("\n")).toEqual([
      '+ NAME-test env BANNER="line 1\\nline 2"',
      '+ NAME-test env PADDED=" x"',
      '~ NAME-test env WORKERS: 4 → ""',
      "- NAME-test secret DB_PASSWORD",
    ]);
    expect(text).not.toContain("arn:aws:ssm");
  });

  it("cuts a long value, saying how long it was, and masks before it cuts", () => {
    const long = "x".repeat(60_000);
    const secret = `${"y".repeat(150)} password=hunter2-${"z".repeat(100)}`;
    const next = withMain((c) => ({
      ...c,
      environment: [...(c.environment ?? []), { name: "BLOB", value: long }, { name: "NOTE", value: secret }],
      dockerLabels: { big: long },
    }));

    const lines = renderDiff(diffTaskDefinitions(current, next)).split("\n");

    expect(lines).toContain(`+ NAME-test env BLOB=${"x".repeat(200)}… (60 000 characters in all)`);
    expect(lines).toContain(`+ NAME-test dockerLabels.big: ${"x".repeat(200)}… (60 000 characters in all)`);
    // The password sits past the cut: masked first, it cannot show half of itself.
    const note = lines.find((l) => l.includes("env NOTE=")) ?? "";
    expect(note).not.toContain("hunter2");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(300);
  });

  it("spells out log settings, port names and secret references that change", () => {
    const next = withMain((c) => ({
      ...c,
      logConfiguration: {
        logDriver: "awslogs",
        options: { ...c.logConfiguration?.options, "awslogs-group": "/aws/ecs/fargate/other" },
      },
      portMappings: [{ containerPort: 80, protocol: "tcp", name: "http", appProtocol: "http" }],
      secrets: [
        { name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:us-west-2:879613780019:parameter/NAME-test/DB_PASSWORD" },
      ],
    }));
    const lines = renderDiff(diffTaskDefinitions(current, next)).split("\n");
    expect(lines).toContain("~ NAME-test ports: 80/tcp → 80/tcp (name http, app protocol http)");
    expect(lines).toContain(
      "~ NAME-test secret DB_PASSWORD: from arn:aws:ssm:us-east-1:879613780019:parameter/NAME-test/DB_PASSWORD → arn:aws:ssm:us-west-2:879613780019:parameter/NAME-test/DB_PASSWORD",
    );
    expect(lines.find((l) => l.includes("awslogs-group"))).toMatch(
      /^~ NAME-test logConfiguration\.options\.awslogs-group: \S+ → \/aws\/ecs\/fargate\/other$/,
    );
  });

  it("never shows a secret the running revision holds as plain text", () => {
    const leaky = withMain((c) => ({
      ...c,
      environment: [
        ...(c.environment ?? []),
        { name: "DATABASE_URL", value: "postgres://app:hunter2@db:5432/app" },
        { name: "STRIPE_KEY", value: "sk_live_51Habc" },
      ],
      command: ["node", "server.js", "--token=abc123"],
    }));
    const diff = renderDiff(diffTaskDefinitions({ ...current, ...leaky }, build()));
    expect(diff).toContain("- NAME-test env DATABASE_URL=postgres://app:***@db:5432/app");
    expect(diff).toContain("- NAME-test env STRIPE_KEY=(hidden: a secret by its name)");
    expect(diff).toContain('--token=***"]');
    expect(diff).not.toMatch(/hunter2|sk_live|abc123/);
  });

  it("never says 'no changes' when the definitions differ", () => {
    const next = withMain((c) => ({
      ...c,
      secretOptions: undefined,
      logConfiguration: {
        ...c.logConfiguration,
        logDriver: "awslogs",
        secretOptions: [{ name: "token", valueFrom: "arn:aws:ssm:us-east-1:1:parameter/t" }],
      },
    }));
    const diff = renderDiff(diffTaskDefinitions(current, next));
    expect(diff).not.toMatch(/no changes/);
    expect(diff).toContain("secretOptions: (");
    expect(diff).not.toContain("parameter/t");
  });

  it("lists containers added and removed, and settings it does not spell out", () => {
    const sidecar: ContainerDefinition = { name: "proxy", image: "envoy:1.30", essential: false };
    const withSidecar = { ...current, containerDefinitions: [...(current.containerDefinitions ?? []), sidecar] };
    const next = withMain((c) => ({ ...c, essential: false, stopTimeout: 60 }), {
      ...build(),
      containerDefinitions: [...(build().containerDefinitions ?? []), { name: "log-router", image: "fluent-bit:3" }],
    });

    expect(renderDiff(diffTaskDefinitions(withSidecar, { ...next, ephemeralStorage: { sizeInGiB: 50 } }))).toBe(
      [
        "+ task definition ephemeralStorage.sizeInGiB: 50",
        "- container `proxy`",
        "~ NAME-test essential: true → false",
        "+ NAME-test stopTimeout: 60",
        "+ container `log-router` (image fluent-bit:3)",
      ].join("\n"),
    );
  });
});
