// Pure: compares the task definition we are about to register with the one the service runs, so a deploy can say
// what changes (and skip registering an identical revision). DescribeTaskDefinition answers with AWS's defaults filled
// in and empty lists added, so both sides are first brought to one canonical form.
import type {
  ContainerDefinition,
  HealthCheck,
  KeyValuePair,
  PortMapping,
  RegisterTaskDefinitionCommandInput,
  Secret,
  Tag,
  TaskDefinition,
} from "@aws-sdk/client-ecs";

/**
 * What we register, or what DescribeTaskDefinition returns. AWS returns a revision's tags beside it, and only when
 * asked (`include: ["TAGS"]`): preflight puts them back in, so that a change of tags alone is a change.
 */
export type TaskDefinitionLike = RegisterTaskDefinitionCommandInput | (TaskDefinition & { tags?: Tag[] | undefined });

/** The register input's fields with AWS's defaults filled in, empty lists and objects dropped, lists sorted. */
export type CanonicalTaskDefinition = Omit<RegisterTaskDefinitionCommandInput, "containerDefinitions"> & {
  containerDefinitions: ContainerDefinition[];
};

export interface DiffLine {
  /** `+` added, `-` removed, `~` changed. */
  sign: "+" | "-" | "~";
  text: string;
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
    tags: x.tags && byKey(x.tags, (t) => t.key),
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

function byKey<T>(items: readonly T[], key: (item: T) => string | undefined): T[] {
  return [...items].sort((a, b) => compare(key(a) ?? "", key(b) ?? ""));
}

// Code-unit order, not localeCompare: the canonical form must not depend on the runner's locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted, so that key order never makes two definitions differ. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => compare(a, b)))
      : v,
  );
}

export function sameTaskDefinition(a: TaskDefinitionLike, b: TaskDefinitionLike): boolean {
  return canonicalJson(normalizeTaskDefinition(a)) === canonicalJson(normalizeTaskDefinition(b));
}

const TASK_KEYS = ["family", "cpu", "memory", "runtimePlatform", "taskRoleArn", "executionRoleArn", "tags"];
const CONTAINER_KEYS = [
  "name",
  "image",
  "environment",
  "secrets",
  "portMappings",
  "command",
  "healthCheck",
  "cpu",
  "memory",
  "dependsOn",
];

/** What changes from `current` (what the service runs; undefined when there is none) to `next`. */
export function diffTaskDefinitions(current: TaskDefinitionLike | undefined, next: TaskDefinitionLike): DiffLine[] {
  const b = normalizeTaskDefinition(next);
  if (!current) {
    const first: DiffLine = { sign: "+", text: `first revision of \`${b.family}\`: nothing to compare with` };
    return [first, ...b.containerDefinitions.map(addedContainer)];
  }
  const a = normalizeTaskDefinition(current);
  const lines = [...taskLines(a, b), ...containerLines(a.containerDefinitions, b.containerDefinitions)];
  // Every difference has a line above; should one ever slip through, "no changes" must still not be said.
  if (lines.length === 0 && canonicalJson(a) !== canonicalJson(b)) {
    lines.push({ sign: "~", text: "settings not listed here differ: compare the rendered task definition file" });
  }
  return lines;
}

function taskLines(a: CanonicalTaskDefinition, b: CanonicalTaskDefinition): DiffLine[] {
  return [
    ...changed("family", a.family, b.family),
    ...changed("cpu", a.cpu, b.cpu),
    ...changed("memory", a.memory, b.memory),
    ...changed("architecture", platformText(a), platformText(b)),
    ...changed("task role", a.taskRoleArn, b.taskRoleArn),
    ...changed("execution role", a.executionRoleArn, b.executionRoleArn),
    ...keyedChanges(tagsByKey(a.tags), tagsByKey(b.tags), {
      added: (k, v) => `tag ${k}=${show(v)}`,
      removed: (k, v) => `tag ${k}=${show(v)}`,
      changed: (k, was, now) => `tag ${k}: ${show(was)} → ${show(now)}`,
    }),
    ...otherChanges("task definition", a, b, [...TASK_KEYS, "containerDefinitions"]),
  ];
}

function containerLines(before: ContainerDefinition[], after: ContainerDefinition[]): DiffLine[] {
  const old = new Map(before.map((c) => [c.name ?? "", c]));
  const names = new Set(after.map((c) => c.name ?? ""));
  const removed = before.filter((c) => !names.has(c.name ?? ""));
  return [
    ...removed.map((c): DiffLine => ({ sign: "-", text: `container \`${c.name}\`` })),
    ...after.flatMap((c) => {
      const was = old.get(c.name ?? "");
      return was ? containerChanges(was, c) : [addedContainer(c)];
    }),
  ];
}

function addedContainer(c: ContainerDefinition): DiffLine {
  return { sign: "+", text: `container \`${c.name}\` (image ${c.image})` };
}

function containerChanges(a: ContainerDefinition, b: ContainerDefinition): DiffLine[] {
  const name = b.name ?? "";
  return [
    ...changed(`${name} image`, a.image, b.image),
    ...environmentChanges(name, a.environment ?? [], b.environment ?? []),
    ...secretChanges(name, a.secrets ?? [], b.secrets ?? []),
    ...changed(`${name} ports`, portsText(a), portsText(b)),
    ...changed(`${name} command`, listText(a.command), listText(b.command)),
    ...changed(`${name} health check`, healthCheckText(a.healthCheck), healthCheckText(b.healthCheck)),
    ...changed(`${name} cpu`, a.cpu?.toString(), b.cpu?.toString()),
    ...changed(`${name} memory`, a.memory?.toString(), b.memory?.toString()),
    ...changed(`${name} depends on`, dependsOnText(a), dependsOnText(b)),
    ...otherChanges(name, a, b, CONTAINER_KEYS),
  ];
}

// Environment values are shown: they are configuration, not secrets (those come from SSM).
function environmentChanges(container: string, a: KeyValuePair[], b: KeyValuePair[]): DiffLine[] {
  return keyedChanges(valuesByName(a), valuesByName(b), {
    added: (k, v) => `${container} env ${k}=${show(v)}`,
    removed: (k, v) => `${container} env ${k}=${show(v)}`,
    changed: (k, was, now) => `${container} env ${k}: ${show(was)} → ${show(now)}`,
  });
}

// Secrets are references (ARNs), never values: compared whole, shown by parameter name unless only the rest differs
// (another account or region).
function secretChanges(container: string, a: Secret[], b: Secret[]): DiffLine[] {
  const sources = (list: Secret[]) => new Map(list.map((s) => [s.name ?? "", s.valueFrom ?? ""]));
  return keyedChanges(sources(a), sources(b), {
    added: (k, v) => `${container} secret ${k} (from ${sourceName(v)})`,
    removed: (k) => `${container} secret ${k}`,
    changed: (k, was, now) => {
      const [from, to] = sourceName(was) === sourceName(now) ? [was, now] : [sourceName(was), sourceName(now)];
      return `${container} secret ${k}: from ${from} → ${to}`;
    },
  });
}

interface KeyedTexts {
  added: (key: string, value: string) => string;
  removed: (key: string, value: string) => string;
  changed: (key: string, before: string, after: string) => string;
}

function keyedChanges(a: Map<string, string>, b: Map<string, string>, texts: KeyedTexts): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const [key, value] of a) if (!b.has(key)) lines.push({ sign: "-", text: texts.removed(key, value) });
  for (const [key, value] of b) {
    const was = a.get(key);
    if (was === undefined) lines.push({ sign: "+", text: texts.added(key, value) });
    else if (was !== value) lines.push({ sign: "~", text: texts.changed(key, was, value) });
  }
  return lines;
}

function tagsByKey(tags: Tag[] | undefined): Map<string, string> {
  return new Map((tags ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
}

function valuesByName(list: KeyValuePair[]): Map<string, string> {
  return new Map(list.map((e) => [e.name ?? "", e.value ?? ""]));
}

/** `/app/DB_PASSWORD` from an SSM parameter ARN, the secret's name from a Secrets Manager ARN, else as written. */
function sourceName(valueFrom: string): string {
  return /:parameter(\/.*)$/.exec(valueFrom)?.[1] ?? /:secret:(.*)$/.exec(valueFrom)?.[1] ?? valueFrom;
}

function changed(label: string, before: string | undefined, after: string | undefined): DiffLine[] {
  if (before === after) return [];
  return [{ sign: "~", text: `${label}: ${before ?? "none"} → ${after ?? "none"}` }];
}

/**
 * Settings without a line of their own, spelled out leaf by leaf (`logConfiguration.options.awslogs-group: a → b`),
 * so a real change never reads as "no changes". `secretOptions` is shown by name only: it holds secret references.
 */
function otherChanges(label: string, a: object, b: object, covered: string[]): DiffLine[] {
  const uncovered = (o: object) => Object.fromEntries(Object.entries(o).filter(([k]) => !covered.includes(k)));
  const [before, after] = [leaves(uncovered(a)), leaves(uncovered(b))];
  return keyedChanges(before, after, {
    added: (k, v) => `${label} ${k}: ${v}`,
    removed: (k, v) => `${label} ${k}: ${v}`,
    changed: (k, was, now) => `${label} ${k}: ${was} → ${now}`,
  });
}

/** Path → value as text, for every leaf; a list is one leaf, written as compact JSON. */
function leaves(value: object, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (key === "secretOptions") out.set(path, `(${canonicalJson(v).length} characters of secret references)`);
    else if (v && typeof v === "object" && !Array.isArray(v)) for (const leaf of leaves(v, path)) out.set(...leaf);
    else out.set(path, typeof v === "string" ? show(v) : canonicalJson(v));
  }
  return out;
}

function dependsOnText(c: ContainerDefinition): string | undefined {
  return c.dependsOn?.map((d) => `${d.containerName} (${d.condition})`).join(", ");
}

function platformText(td: CanonicalTaskDefinition): string | undefined {
  const { cpuArchitecture, operatingSystemFamily } = td.runtimePlatform ?? {};
  return operatingSystemFamily === "LINUX" ? cpuArchitecture : `${cpuArchitecture}/${operatingSystemFamily}`;
}

/** `80/tcp`, with the settings AWS keeps beside it when they are set: a name, an app protocol, another host port. */
function portText(p: PortMapping): string {
  const extras = [
    p.name && `name ${p.name}`,
    p.appProtocol && `app protocol ${p.appProtocol}`,
    p.hostPort !== undefined && p.hostPort !== p.containerPort && `host port ${p.hostPort}`,
    p.containerPortRange && `range ${p.containerPortRange}`,
  ].filter(Boolean);
  return `${p.containerPort}/${p.protocol ?? "tcp"}${extras.length > 0 ? ` (${extras.join(", ")})` : ""}`;
}

function portsText(c: ContainerDefinition): string | undefined {
  return c.portMappings?.map(portText).join(", ");
}

function listText(list: string[] | undefined): string | undefined {
  return list && JSON.stringify(list);
}

function healthCheckText(h: HealthCheck | undefined): string | undefined {
  if (!h) return undefined;
  const start = h.startPeriod ? `, start period ${h.startPeriod}s` : "";
  return `${listText(h.command)} every ${h.interval}s, timeout ${h.timeout}s, ${h.retries} retries${start}`;
}

/** A value as it reads on one line: quoted when empty, padded or multi-line. */
function show(value: string): string {
  return value === "" || /^\s|\s$|[\n\r]/.test(value) ? JSON.stringify(value) : value;
}

/** One line per change, `+`/`-`/`~` first: put it in a ```diff block for a job summary. */
export function renderDiff(lines: readonly DiffLine[]): string {
  if (lines.length === 0) return "no changes: the new task definition is the same as the current one";
  return lines.map((line) => `${line.sign} ${line.text}`).join("\n");
}
