import { describe, expect, test } from "vitest";
import { type Config, parseConfig } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors.js";
import { loadConfig } from "../../src/workspace.js";
import { fixturesDir, guideToml, problemsOf } from "../support/config.js";

const guideConfig: Config = {
  account: "879613780019",
  region: "us-east-1",
  cluster: "NAME-test",
  service: "NAME-test",
  port: { number: 80, protocol: "tcp" },
  execution_role_arn: "arn:aws:iam::879613780019:role/delegatedadmin/developer/flh-dev-task-execution-role",
  task_role_arn: "arn:aws:iam::879613780019:role/delegatedadmin/developer/flh-dev-task-role",
  family: "NAME-test",
  container_name: "NAME-test",
  cpu: 256,
  memory: 512,
  cpu_architecture: "X86_64",
  operating_system_family: "LINUX",
  secrets_path: "/NAME-test",
  log_group: "/aws/ecs/fargate/NAME-test",
  log_stream_prefix: "NAME-test",
  environment: {},
  tags: {},
  containers: {},
};

describe("loadConfig", () => {
  test("reads the user guide's file and fills in every default", () => {
    expect(loadConfig(fixturesDir, "guide.toml")).toStrictEqual(guideConfig);
  });

  test("reads a file that sets every option", () => {
    expect(loadConfig(fixturesDir, "full.toml")).toStrictEqual({
      account: "012345678901",
      region: "us-gov-west-1",
      cluster: "arn:aws-us-gov:ecs:us-gov-west-1:012345678901:cluster/prod",
      service: "shop-api",
      port: { number: 8080, protocol: "tcp" },
      execution_role_arn: "arn:aws-us-gov:iam::012345678901:role/ecs/shop-execution",
      task_role_arn: "arn:aws-us-gov:iam::012345678901:role/shop-task",
      family: "shop-api-family",
      container_name: "app",
      cpu: 1024,
      memory: 3072,
      cpu_architecture: "ARM64",
      operating_system_family: "LINUX",
      secrets_path: "/shop/api",
      log_group: "/shop/api/logs",
      log_stream_prefix: "api",
      desired_count: 3,
      command: ["node", "server.js"],
      environment: { NODE_ENV: "production", WORKERS: "4", RATIO: "0.5", DEBUG: "false" },
      tags: { team: "payments", "cost-center": "cc-42" },
      health_check: {
        command: ["CMD-SHELL", "curl -f http://localhost:8080/_health || exit 1"],
        interval: 10,
        timeout: 3,
        retries: 5,
        start_period: 60,
      },
      containers: {
        nginx: {
          image: "public.ecr.aws/nginx/nginx:1.27",
          port: { number: 80, protocol: "tcp" },
          essential: false,
          environment: { UPSTREAM: "127.0.0.1:8080" },
          command: ["nginx", "-g", "daemon off;"],
          cpu: 128,
          memory: 256,
          depends_on: { app: "START" },
          health_check: { command: ["CMD", "/usr/bin/check"], interval: 30, timeout: 5, retries: 3 },
        },
        worker: { essential: true, environment: {}, depends_on: { app: "START", nginx: "START" } },
      },
    });
  });

  test("a missing file is a ConfigError that names the path and says it is relative to the workspace", () => {
    const problems = problemsOf(() => loadConfig(fixturesDir, "deploy/prod.toml"));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.key).toBe("config");
    expect(problems[0]?.location).toBeUndefined();
    expect(problems[0]?.message).toContain("config file deploy/prod.toml not found");
    expect(problems[0]?.message).toContain("relative to the workspace");
  });

  test("a directory is a ConfigError, not a crash", () => {
    const problems = problemsOf(() => loadConfig(`${fixturesDir}/..`, "config"));
    expect(problems[0]?.message).toBe("config file config is a directory: the `config` input must name a TOML file");
  });

  test("problems name the file by its display path", () => {
    const problems = problemsOf(() => loadConfig(`${fixturesDir}/..`, "config/wrong-type.toml"));
    expect(problems[0]?.location?.file).toBe("config/wrong-type.toml");
  });
});

describe("parseConfig", () => {
  test("ignores a byte order mark", () => {
    expect(parseConfig(`\uFEFF${guideToml}`, "deploy.toml")).toStrictEqual(guideConfig);
  });

  test.each(["us-east-1", "us-gov-west-1", "cn-north-1", "eu-central-2", "us-isob-east-1"])(
    "accepts region %s",
    (region) => {
      const config = parseConfig(guideToml.replace('region = "us-east-1"', `region = "${region}"`), "deploy.toml");
      expect(config.region).toBe(region);
    },
  );

  test.each(["us-east", "US-EAST-1", "useast1", ""])("rejects region %j", (region) => {
    const problems = problemsOf(() =>
      parseConfig(guideToml.replace('region = "us-east-1"', `region = "${region}"`), "deploy.toml"),
    );
    expect(problems.map((p) => p.message)).toEqual([
      `\`region\` must be an AWS region like us-east-1, got the string ${JSON.stringify(region)}`,
    ]);
  });

  test("computes the defaults from the service name", () => {
    const config = parseConfig(guideToml.replaceAll('"NAME-test"', '"orders"'), "deploy.toml");
    expect(config).toMatchObject({
      family: "orders",
      container_name: "orders",
      secrets_path: "/orders",
      log_group: "/aws/ecs/fargate/orders",
      log_stream_prefix: "orders",
    });
  });

  test("fills in a sidecar's and a health check's defaults", () => {
    const config = parseConfig(`${guideToml}\n[containers.proxy]\nhealth_check = { command = ["CMD", "true"] }\n`, "f");
    expect(config.containers).toStrictEqual({
      proxy: {
        essential: true,
        environment: {},
        health_check: { command: ["CMD", "true"], interval: 30, timeout: 5, retries: 3 },
      },
    });
  });

  test("leaves desired_count unset unless the file sets it", () => {
    expect("desired_count" in parseConfig(guideToml, "f")).toBe(false);
    expect(parseConfig(`${guideToml}desired_count = 0\n`, "f").desired_count).toBe(0);
  });

  test("one problem is the error's message; several are listed under a summary", () => {
    const one = catchConfigError(`${guideToml}prot = 1\n`);
    expect(one.message).toBe("unknown key `prot` — did you mean `port`?");
    const two = catchConfigError(`${guideToml}prot = 1\ncpus = 1\n`);
    expect(two.message).toBe(
      [
        "deploy.toml has 2 problems:",
        "  - deploy.toml:8:1: unknown key `prot` — did you mean `port`?",
        "  - deploy.toml:9:1: unknown key `cpus` — did you mean `cpu`?",
      ].join("\n"),
    );
  });
});

function catchConfigError(text: string): ConfigError {
  try {
    parseConfig(text, "deploy.toml");
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}
