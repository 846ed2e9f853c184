// Pure: the canonical form of a task definition. DescribeTaskDefinition answers with AWS's defaults filled in and
// empty lists added; what we register leaves them out. Both are brought to one form, so that "equal" means equal to
// ECS (and an unchanged deploy registers nothing), and key order or list order never makes two definitions differ.
import type {
  ContainerDefinition,
  HealthCheck,
  PortMapping,
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition,
  Volume,
} from "@aws-sdk/client-ecs";
import { ACTION_TAG_PREFIX } from "../../config/index.js";

/**
 * A revision as DescribeTaskDefinition returns it, with its tags put back in: AWS returns them beside the task
 * definition, and only when asked (`include: ["TAGS"]`), yet a change of tags alone is a change.
 */
export type DescribedTaskDefinition = TaskDefinition & { tags?: Tag[] | undefined };

/** What we register, or a described revision. */
export type TaskDefinitionLike = RegisterTaskDefinitionCommandInput | DescribedTaskDefinition;

/** The register input's fields with AWS's defaults filled in, empty lists and objects dropped, lists sorted. */
export type CanonicalTaskDefinition = Omit<RegisterTaskDefinitionCommandInput, "containerDefinitions"> & {
  containerDefinitions: ContainerDefinition[];
};

/**
 * The run that registered a revision (its page on GitHub): a record, not a setting. Left out of every comparison, so
 * that re-running a deploy of one commit still finds the revision unchanged and reuses it.
 */
export const RUN_TAG = `${ACTION_TAG_PREFIX}run`;

/** The tags that make two revisions differ: all but the record of the run that registered one. */
export function comparedTags<T extends Tag>(tags: readonly T[]): T[] {
  return tags.filter((t) => t.key !== RUN_TAG);
}

// Response-only fields.
const NOT_COMPARED = new Set([
  "taskDefinitionArn",
  "revision",
  "status",
  "registeredAt",
  "registeredBy",
  "requiresAttributes",
  "compatibilities",
  "deregisteredAt",
  "deleteRequestedAt",
]);

export function normalizeTaskDefinition(x: TaskDefinitionLike): CanonicalTaskDefinition {
  const rest = Object.fromEntries(Object.entries(x).filter(([key]) => !NOT_COMPARED.has(key)));
  const awsvpc = x.networkMode === "awsvpc";
  const canonical = {
    ...rest,
    cpu: x.cpu === undefined ? undefined : String(x.cpu),
    memory: x.memory === undefined ? undefined : String(x.memory),
    requiresCompatibilities: x.requiresCompatibilities ? [...x.requiresCompatibilities].sort() : undefined,
    // A task definition registered without runtimePlatform runs on Linux/x86-64.
    runtimePlatform: {
      cpuArchitecture: x.runtimePlatform?.cpuArchitecture ?? "X86_64",
      operatingSystemFamily: x.runtimePlatform?.operatingSystemFamily ?? "LINUX",
    },
    // 20 GiB is what Fargate gives without the setting; recent describes return false for fault injection.
    ephemeralStorage: x.ephemeralStorage?.sizeInGiB === 20 ? undefined : x.ephemeralStorage,
    enableFaultInjection: x.enableFaultInjection || undefined,
    tags: x.tags && byKey(comparedTags(x.tags), (t) => t.key),
    volumes: x.volumes && byKey(x.volumes.map(normalizeVolume), (v) => v.name),
    containerDefinitions: byKey(
      (x.containerDefinitions ?? []).map((c) => normalizeContainer(c, awsvpc)),
      (c) => c.name ?? "",
    ),
  };
  return (prune(canonical) ?? { containerDefinitions: [] }) as CanonicalTaskDefinition;
}

function normalizeContainer(c: ContainerDefinition, awsvpc: boolean): ContainerDefinition {
  return {
    ...c,
    essential: c.essential ?? true,
    // Describe returns cpu 0 for a container registered without one.
    cpu: c.cpu || undefined,
    portMappings:
      c.portMappings &&
      byKey(
        c.portMappings.map((p) => normalizePort(p, awsvpc)),
        portText,
      ),
    environment: c.environment && byKey(c.environment, (e) => e.name ?? ""),
    secrets: c.secrets && byKey(c.secrets, (s) => s.name),
    healthCheck: c.healthCheck && normalizeHealthCheck(c.healthCheck),
    dependsOn: c.dependsOn && byKey(c.dependsOn, (d) => d.containerName),
    versionConsistency: c.versionConsistency === "enabled" ? undefined : c.versionConsistency,
  };
}

// Describe fills in the EFS root directory ("/") when the definition left it out.
function normalizeVolume(v: Volume): Volume {
  const efs = v.efsVolumeConfiguration;
  return efs ? { ...v, efsVolumeConfiguration: { ...efs, rootDirectory: efs.rootDirectory ?? "/" } } : v;
}

function normalizePort(p: PortMapping, awsvpc: boolean): PortMapping {
  // In awsvpc mode the host port is the container port; AWS fills it in.
  const hostPort = p.hostPort ?? (awsvpc ? p.containerPort : undefined);
  return { ...p, protocol: p.protocol ?? "tcp", hostPort };
}

function normalizeHealthCheck(h: HealthCheck): HealthCheck {
  return {
    ...h,
    interval: h.interval ?? 30,
    timeout: h.timeout ?? 5,
    retries: h.retries ?? 3,
    startPeriod: h.startPeriod || undefined,
  };
}

/** Drops undefined, null, empty arrays and empty objects, at every depth: AWS treats them all as "not set". */
function prune(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, prune(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

export function byKey<T>(items: readonly T[], key: (item: T) => string | undefined): T[] {
  return [...items].sort((a, b) => compare(key(a) ?? "", key(b) ?? ""));
}

// Code-unit order, not localeCompare: the canonical form must not depend on the runner's locale.
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted, so that key order never makes two definitions differ. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => compare(a, b)))
      : v,
  );
}

export function sameTaskDefinition(a: TaskDefinitionLike, b: TaskDefinitionLike): boolean {
  return canonicalJson(normalizeTaskDefinition(a)) === canonicalJson(normalizeTaskDefinition(b));
}

/** `80/tcp`, with the settings AWS keeps beside it when they are set: a name, an app protocol, another host port. */
export function portText(p: PortMapping): string {
  const extras = [
    p.name && `name ${p.name}`,
    p.appProtocol && `app protocol ${p.appProtocol}`,
    p.hostPort !== undefined && p.hostPort !== p.containerPort && `host port ${p.hostPort}`,
    p.containerPortRange && `range ${p.containerPortRange}`,
  ].filter(Boolean);
  return `${p.containerPort}/${p.protocol ?? "tcp"}${extras.length > 0 ? ` (${extras.join(", ")})` : ""}`;
}
