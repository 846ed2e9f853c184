// Pure: config + images + secrets → the RegisterTaskDefinition request. Every optional setting is sent only when the
// config sets it, so a definition says no more than the file does (and compares equal to what ECS describes).
import type {
  ContainerDefinition,
  HealthCheck,
  KeyValuePair,
  PortMapping,
  RegisterTaskDefinitionCommandInput,
  Volume,
} from "@aws-sdk/client-ecs";
import type { Config, ContainerConfig, HealthCheckConfig, PortConfig } from "../../config/index.js";
import type { ImageMap } from "../images/input.js";
import type { Secret } from "./secrets.js";

/**
 * The essential containers with a health check: what proves a worker's task healthy while the deploy is watched
 * (without one, nothing is asked of the tasks' health beyond ECS's word).
 */
export function healthCheckedContainers(
  taskDefinition: Pick<RegisterTaskDefinitionCommandInput, "containerDefinitions">,
): string[] {
  const containers = taskDefinition.containerDefinitions ?? [];
  return containers.flatMap((c) => (c.essential !== false && c.healthCheck && c.name ? [c.name] : []));
}

/** AWS allows at most 50 tags on a task definition. */
const MAX_TAGS = 50;

/**
 * `extraTags` (the commit this deploy comes from) are left out where they would pass AWS's limit. No config tag can
 * clash with them: the config's schema refuses keys under deploy-action:.
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
  const volumes = Object.entries(config.volumes ?? {}).map(([name, volume]) => efsVolume(name, volume));
  return {
    family: config.family,
    taskRoleArn: config.task_role_arn,
    executionRoleArn: config.execution_role_arn,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: String(config.cpu),
    memory: String(config.memory),
    runtimePlatform: {
      cpuArchitecture: config.cpu_architecture,
      operatingSystemFamily: config.operating_system_family,
    },
    containerDefinitions: [mainContainer(config, imageFor(images, config.container_name), secrets), ...sidecars],
    ...(config.ephemeral_storage !== undefined ? { ephemeralStorage: { sizeInGiB: config.ephemeral_storage } } : {}),
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  };
}

/** What the main container and a sidecar set alike. */
type CommonFields = Pick<
  Config,
  | "environment"
  | "secrets"
  | "command"
  | "entry_point"
  | "working_directory"
  | "user"
  | "readonly_root_filesystem"
  | "stop_timeout"
  | "ulimits"
  | "init_process_enabled"
  | "docker_labels"
  | "health_check"
  | "depends_on"
  | "mount_points"
>;

function mainContainer(config: Config, image: string, discovered: readonly Secret[]): ContainerDefinition {
  return {
    name: config.container_name,
    image,
    essential: true,
    // A worker (no `port`) listens on nothing: no mapping, as ECS takes it.
    ...(config.port ? { portMappings: [portMapping(config.port)] } : {}),
    ...commonSettings(config, config, discovered, true),
  };
}

function sidecarContainer(name: string, sidecar: ContainerConfig, image: string, config: Config): ContainerDefinition {
  return {
    name,
    image,
    essential: sidecar.essential,
    ...(sidecar.port ? { portMappings: [portMapping(sidecar.port)] } : {}),
    ...commonSettings(sidecar, config, []),
    ...(sidecar.cpu !== undefined ? { cpu: sidecar.cpu } : {}),
    ...(sidecar.memory !== undefined ? { memory: sidecar.memory } : {}),
  };
}

function commonSettings(
  c: CommonFields,
  config: Config,
  discovered: readonly Secret[],
  main = false,
): ContainerDefinition {
  const secrets = [...discovered, ...Object.entries(c.secrets ?? {}).map(([name, valueFrom]) => ({ name, valueFrom }))];
  return {
    environment: environmentList(c.environment),
    // The main container always lists its secrets (as it always has); a sidecar only when it has some.
    ...(secrets.length > 0 || main ? { secrets: secrets.map(({ name, valueFrom }) => ({ name, valueFrom })) } : {}),
    logConfiguration: logConfiguration(config),
    ...(c.command ? { command: c.command } : {}),
    ...(c.entry_point ? { entryPoint: c.entry_point } : {}),
    ...(c.working_directory !== undefined ? { workingDirectory: c.working_directory } : {}),
    ...(c.user !== undefined ? { user: c.user } : {}),
    ...(c.readonly_root_filesystem !== undefined ? { readonlyRootFilesystem: c.readonly_root_filesystem } : {}),
    ...(c.stop_timeout !== undefined ? { stopTimeout: c.stop_timeout } : {}),
    ...(c.ulimits ? { ulimits: ulimitList(c.ulimits) } : {}),
    ...(c.init_process_enabled !== undefined
      ? { linuxParameters: { initProcessEnabled: c.init_process_enabled } }
      : {}),
    ...(c.docker_labels ? { dockerLabels: c.docker_labels } : {}),
    ...(c.health_check ? { healthCheck: healthCheck(c.health_check) } : {}),
    ...(c.depends_on ? { dependsOn: dependencies(c.depends_on) } : {}),
    ...(c.mount_points ? { mountPoints: mountPoints(c.mount_points) } : {}),
  };
}

function portMapping(port: PortConfig): PortMapping {
  return {
    containerPort: port.number,
    protocol: port.protocol,
    ...(port.name !== undefined ? { name: port.name } : {}),
    ...(port.app_protocol !== undefined ? { appProtocol: port.app_protocol } : {}),
  };
}

function ulimitList(ulimits: NonNullable<Config["ulimits"]>): NonNullable<ContainerDefinition["ulimits"]> {
  return Object.entries(ulimits).map(([name, limit]) => ({
    name: name as NonNullable<ContainerDefinition["ulimits"]>[number]["name"],
    softLimit: limit.soft,
    hardLimit: limit.hard,
  }));
}

function dependencies(dependsOn: NonNullable<Config["depends_on"]>): NonNullable<ContainerDefinition["dependsOn"]> {
  return Object.entries(dependsOn).map(([containerName, condition]) => ({ containerName, condition }));
}

function mountPoints(mounts: NonNullable<Config["mount_points"]>): NonNullable<ContainerDefinition["mountPoints"]> {
  return mounts.map((m) => ({ sourceVolume: m.volume, containerPath: m.path, readOnly: m.read_only }));
}

function efsVolume(name: string, volume: NonNullable<Config["volumes"]>[string]): Volume {
  const authorization =
    volume.access_point_id !== undefined || volume.iam !== undefined
      ? {
          authorizationConfig: {
            ...(volume.access_point_id !== undefined ? { accessPointId: volume.access_point_id } : {}),
            ...(volume.iam !== undefined ? { iam: volume.iam ? ("ENABLED" as const) : ("DISABLED" as const) } : {}),
          },
        }
      : {};
  return {
    name,
    efsVolumeConfiguration: {
      fileSystemId: volume.file_system_id,
      ...(volume.root_directory !== undefined ? { rootDirectory: volume.root_directory } : {}),
      ...(volume.transit_encryption !== undefined
        ? { transitEncryption: volume.transit_encryption ? ("ENABLED" as const) : ("DISABLED" as const) }
        : {}),
      ...(volume.transit_encryption_port !== undefined
        ? { transitEncryptionPort: volume.transit_encryption_port }
        : {}),
      ...authorization,
    },
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
