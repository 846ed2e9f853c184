// Pure: what changes from the task definition the service runs to the one we render, one readable line per change:
// images, environment, secrets, ports, sizes, tags, and every other setting spelled out. Values that may be secret
// (a variable named like one, anything that looks like a credential) are masked: the lines go to the job log and
// summary, and the running revision may still hold a secret as plain text.
import type { ContainerDefinition, HealthCheck, KeyValuePair, Secret, Tag } from "@aws-sdk/client-ecs";
import { cutText } from "../../text/cut.js";
import { redact, secretName } from "../../text/redact.js";
import {
  type CanonicalTaskDefinition,
  canonicalJson,
  comparedTags,
  normalizeTaskDefinition,
  portText,
  type TaskDefinitionLike,
} from "./normalize.js";

export interface DiffLine {
  /** `+` added, `-` removed, `~` changed. */
  sign: "+" | "-" | "~";
  text: string;
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
      added: (k, v) => `tag ${k}=${shown(v)}`,
      removed: (k, v) => `tag ${k}=${shown(v)}`,
      changed: (k, was, now) => `tag ${k}: ${shown(was)} → ${shown(now)}`,
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

// Environment values are shown, as configuration should be, except where they may be secrets: the running revision
// may hold one as plain text (the very thing moving it to SSM fixes), and these lines are public to the repository.
function environmentChanges(container: string, a: KeyValuePair[], b: KeyValuePair[]): DiffLine[] {
  const value = (name: string, v: string) => (secretName(name) ? "(hidden: a secret by its name)" : shown(v));
  return keyedChanges(valuesByName(a), valuesByName(b), {
    added: (k, v) => `${container} env ${k}=${value(k, v)}`,
    removed: (k, v) => `${container} env ${k}=${value(k, v)}`,
    changed: (k, was, now) =>
      secretName(k)
        ? `${container} env ${k}: changed (hidden: a secret by its name)`
        : `${container} env ${k}: ${shown(was)} → ${shown(now)}`,
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
  return new Map(comparedTags(tags ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
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
    else out.set(path, typeof v === "string" ? shown(v) : cutText(redact(canonicalJson(v))));
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

function portsText(c: ContainerDefinition): string | undefined {
  return c.portMappings?.map(portText).join(", ");
}

function listText(list: string[] | undefined): string | undefined {
  return list && cutText(redact(JSON.stringify(list)));
}

function healthCheckText(h: HealthCheck | undefined): string | undefined {
  if (!h) return undefined;
  const start = h.startPeriod ? `, start period ${h.startPeriod}s` : "";
  return `${listText(h.command)} every ${h.interval}s, timeout ${h.timeout}s, ${h.retries} retries${start}`;
}

/**
 * A value as it reads on one line (quoted when empty, padded or multi-line), with anything secret-looking masked, and
 * cut when long (masked first, so a cut never leaves half a secret unrecognised): the file has the whole value.
 */
function shown(value: string): string {
  return cutText(redact(value === "" || /^\s|\s$|[\n\r]/.test(value) ? JSON.stringify(value) : value));
}

/** One line per change, `+`/`-`/`~` first: put it in a ```diff block for a job summary. */
export function renderDiff(lines: readonly DiffLine[]): string {
  if (lines.length === 0) return "no changes: the new task definition is the same as the current one";
  return lines.map((line) => `${line.sign} ${line.text}`).join("\n");
}
