import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { buildTaskDefinition, healthCheckedContainers } from "../../../src/plan/task-definition/build.js";

const GUIDE = `
account = "879613780019"
region = "us-east-1"
cluster = "bob-test"
service = "bob-test"
port = 80
execution_role_arn = "arn:aws:iam::879613780019:role/delegatedadmin/developer/flh-dev-task-execution-role"
task_role_arn = "arn:aws:iam::879613780019:role/delegatedadmin/developer/flh-dev-task-role"
`;
const secrets = [
  { name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:us-east-1:879613780019:parameter/bob-test/DB_PASSWORD" },
];

describe("buildTaskDefinition", () => {
  it("renders the guide's task definition from its seven keys", () => {
    const config = parseConfig(GUIDE, "config.toml");
    const input = buildTaskDefinition(config, new Map([["bob-test", "repo/guide:r1"]]), secrets);
    expect(input).toEqual({
      family: "bob-test",
      taskRoleArn: "arn:aws:iam::879613780019:role/delegatedadmin/developer/flh-dev-task-role",
      executionRoleArn: "arn:aws:iam::879613780019:role/delegatedadmin/developer/flh-dev-task-execution-role",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
      containerDefinitions: [
        {
          name: "bob-test",
          image: "repo/guide:r1",
          essential: true,
          portMappings: [{ containerPort: 80, protocol: "tcp" }],
          environment: [],
          secrets,
          logConfiguration: {
            logDriver: "awslogs",
            options: {
              "awslogs-group": "/aws/ecs/fargate/bob-test",
              "awslogs-region": "us-east-1",
              "awslogs-stream-prefix": "bob-test",
            },
          },
        },
      ],
    });
  });

  it("adds what teams need next: size, environment, sidecars, health checks, tags, ARM", () => {
    const config = parseConfig(
      `${GUIDE}
cpu = 1024
memory = 4096
cpu_architecture = "ARM64"
command = ["node", "server.js"]
[environment]
NODE_ENV = "production"
WORKERS = 4
[health_check]
command = ["CMD-SHELL", "curl -f http://localhost/_health || exit 1"]
start_period = 30
[tags]
team = "payments"
[containers.envoy]
image = "envoy:v1"
port = 9901
essential = false
depends_on = ["bob-test"]
environment = { LOG = "info" }
`,
      "config.toml",
    );
    const input = buildTaskDefinition(
      config,
      new Map([
        ["bob-test", "app:1"],
        ["envoy", "envoy:v1"],
      ]),
      [],
    );
    expect(input).toMatchObject({ cpu: "1024", memory: "4096", tags: [{ key: "team", value: "payments" }] });
    expect(input.runtimePlatform?.cpuArchitecture).toBe("ARM64");
    const [main, envoy] = input.containerDefinitions ?? [];
    expect(main?.command).toEqual(["node", "server.js"]);
    expect(main?.environment).toEqual([
      { name: "NODE_ENV", value: "production" },
      { name: "WORKERS", value: "4" },
    ]);
    expect(main?.healthCheck).toEqual({
      command: ["CMD-SHELL", "curl -f http://localhost/_health || exit 1"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 30,
    });
    expect(envoy).toMatchObject({
      name: "envoy",
      image: "envoy:v1",
      essential: false,
      portMappings: [{ containerPort: 9901, protocol: "tcp" }],
      environment: [{ name: "LOG", value: "info" }],
      dependsOn: [{ containerName: "bob-test", condition: "START" }],
    });
    expect(envoy?.secrets).toBeUndefined();
    expect(envoy?.logConfiguration?.options?.["awslogs-group"]).toBe("/aws/ecs/fargate/bob-test");
  });

  it("sends each container and task key of a real service only when set, in ECS's names", () => {
    const config = parseConfig(
      `${GUIDE.replace("port = 80", 'port = { number = 8080, protocol = "tcp", app_protocol = "grpc", name = "api" }')}
entry_point = ["/usr/bin/tini", "--"]
working_directory = "/srv/app"
user = "1000:1000"
readonly_root_filesystem = true
stop_timeout = 90
init_process_enabled = true
ulimits = { nofile = { soft = 4096, hard = 8192 } }
docker_labels = { "com.example.team" = "api" }
depends_on = { envoy = "HEALTHY", migrate = "SUCCESS" }
mount_points = [{ volume = "data", path = "/data" }]
ephemeral_storage = 50
[runtime_platform]
cpu_architecture = "ARM64"
[volumes.data]
file_system_id = "fs-0123456789abcdef0"
root_directory = "/exports/api"
transit_encryption = true
transit_encryption_port = 2999
[containers.envoy]
image = "envoy:v1"
port = { number = 9901, protocol = "udp" }
health_check = { command = ["CMD", "/check"] }
[containers.migrate]
image = "migrate:v1"
essential = false
`,
      "config.toml",
    );
    const td = buildTaskDefinition(
      config,
      new Map([
        ["bob-test", "app:1"],
        ["envoy", "envoy:v1"],
        ["migrate", "migrate:v1"],
      ]),
      [],
    );
    expect(td.runtimePlatform).toEqual({ cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" });
    expect(td.ephemeralStorage).toEqual({ sizeInGiB: 50 });
    expect(td.volumes).toEqual([
      {
        name: "data",
        efsVolumeConfiguration: {
          fileSystemId: "fs-0123456789abcdef0",
          rootDirectory: "/exports/api",
          transitEncryption: "ENABLED",
          transitEncryptionPort: 2999,
        },
      },
    ]);
    const [main, envoy, migrate] = td.containerDefinitions ?? [];
    expect(main).toMatchObject({
      portMappings: [{ containerPort: 8080, protocol: "tcp", appProtocol: "grpc", name: "api" }],
      entryPoint: ["/usr/bin/tini", "--"],
      workingDirectory: "/srv/app",
      user: "1000:1000",
      readonlyRootFilesystem: true,
      stopTimeout: 90,
      linuxParameters: { initProcessEnabled: true },
      ulimits: [{ name: "nofile", softLimit: 4096, hardLimit: 8192 }],
      dockerLabels: { "com.example.team": "api" },
      dependsOn: [
        { containerName: "envoy", condition: "HEALTHY" },
        { containerName: "migrate", condition: "SUCCESS" },
      ],
      mountPoints: [{ sourceVolume: "data", containerPath: "/data", readOnly: false }],
    });
    expect(envoy?.portMappings).toEqual([{ containerPort: 9901, protocol: "udp" }]);
    // A sidecar without secrets has no `secrets` key, and nothing unset appears.
    expect(Object.keys(migrate ?? {}).sort()).toEqual([
      "environment",
      "essential",
      "image",
      "logConfiguration",
      "name",
    ]);
  });
});

describe("healthCheckedContainers", () => {
  it("names the essential containers with a health check, and no other", () => {
    const healthCheck = { command: ["CMD", "true"] };
    const containerDefinitions = [
      { name: "app", healthCheck },
      { name: "worker", essential: true, healthCheck },
      { name: "sidecar", essential: false, healthCheck },
      { name: "plain" },
    ];
    expect(healthCheckedContainers({ containerDefinitions })).toEqual(["app", "worker"]);
    expect(healthCheckedContainers({ containerDefinitions: [] })).toEqual([]);
  });
});
