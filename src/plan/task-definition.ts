// Pure: config + images + secrets → the RegisterTaskDefinition request.
import type {
  ContainerDefinition,
  HealthCheck,
  KeyValuePair,
  RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import type { Config, ContainerConfig, HealthCheckConfig } from "../config/index.js";
import type { ImageMap } from "./images.js";
import type { Secret } from "./secrets.js";

/** AWS allows at most 50 tags on a task definition. */
const MAX_TAGS = 50;

/**
 * `extraTags` (the commit this deploy comes from) yield to the config's own tags on a clash of keys, and are left
 * out where they would pass AWS's limit.
 */
export function buildTaskDefinition(
  config: Config,
  images: ImageMap,
  secrets: readonly Secret[],
  extraTags: Readonly<Record<string, string>> = {},
): RegisterTaskDefinitionCommandInput {
  const sidecars = Object.entries(config.containers).map(([name, sidecar]) =>
    sidecarContainer(name, sidecar, imageFor(images, name), config),
  );
  const room = MAX_TAGS - Object.keys(config.tags).length;
  const extra = Object.entries(extraTags).filter(([key]) => !(key in config.tags));
  const tags = [...Object.entries(config.tags), ...extra.slice(0, Math.max(0, room))].map(([key, value]) => ({
    key,
    value,
  }));
  return {
    family: config.family,
    taskRoleArn: config.task_role_arn,
    executionRoleArn: config.execution_role_arn,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: String(config.cpu),
    memory: String(config.memory),
    runtimePlatform: { cpuArchitecture: config.cpu_architecture, operatingSystemFamily: "LINUX" },
    containerDefinitions: [mainContainer(config, imageFor(images, config.container_name), secrets), ...sidecars],
    ...(tags.length > 0 ? { tags } : {}),
  };
}

function mainContainer(config: Config, image: string, secrets: readonly Secret[]): ContainerDefinition {
  return {
    name: config.container_name,
    image,
    essential: true,
    portMappings: [{ containerPort: config.port, protocol: "tcp" }],
    environment: environmentList(config.environment),
    secrets: secrets.map(({ name, valueFrom }) => ({ name, valueFrom })),
    logConfiguration: logConfiguration(config),
    ...(config.command ? { command: config.command } : {}),
    ...(config.health_check ? { healthCheck: healthCheck(config.health_check) } : {}),
  };
}

function sidecarContainer(name: string, sidecar: ContainerConfig, image: string, config: Config): ContainerDefinition {
  return {
    name,
    image,
    essential: sidecar.essential,
    ...(sidecar.port ? { portMappings: [{ containerPort: sidecar.port, protocol: "tcp" }] } : {}),
    environment: environmentList(sidecar.environment),
    logConfiguration: logConfiguration(config),
    ...(sidecar.command ? { command: sidecar.command } : {}),
    ...(sidecar.health_check ? { healthCheck: healthCheck(sidecar.health_check) } : {}),
    ...(sidecar.cpu !== undefined ? { cpu: sidecar.cpu } : {}),
    ...(sidecar.memory !== undefined ? { memory: sidecar.memory } : {}),
    ...(sidecar.depends_on
      ? { dependsOn: sidecar.depends_on.map((containerName) => ({ containerName, condition: "START" as const })) }
      : {}),
  };
}

function imageFor(images: ImageMap, container: string): string {
  const image = images.get(container);
  // resolveImages guarantees one per container; reaching this is a bug, not a user error.
  if (!image) throw new Error(`internal: no image resolved for container ${container}`);
  return image;
}

function environmentList(environment: Record<string, string>): KeyValuePair[] {
  return Object.keys(environment)
    .sort()
    .map((name) => ({ name, value: environment[name] ?? "" }));
}

function logConfiguration(config: Config): ContainerDefinition["logConfiguration"] {
  return {
    logDriver: "awslogs",
    options: {
      "awslogs-group": config.log_group,
      "awslogs-region": config.region,
      "awslogs-stream-prefix": config.log_stream_prefix,
    },
  };
}

function healthCheck(check: HealthCheckConfig): HealthCheck {
  return {
    command: check.command,
    interval: check.interval,
    timeout: check.timeout,
    retries: check.retries,
    ...(check.start_period !== undefined ? { startPeriod: check.start_period } : {}),
  };
}
