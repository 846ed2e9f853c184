// Checks across fields, which one field's schema cannot see. Each reads only a few fields and runs even when other
// fields are wrong, so the user gets every problem in one go.

import type { DependencyCondition } from "./container.js";
import { checkFargateSize, fargateMemoryChoices } from "./fargate.js";
import { formatKey, type KeyPath } from "./keys.js";

/** A problem found by a cross-field check; its message names its key itself. */
export interface CheckIssue {
  path: PropertyKey[];
  message: string;
}

interface CrossCheck<T> {
  /** Whether the check reads the value at this path, so must not run when that value is wrong. */
  reads(path: KeyPath): boolean;
  run(config: T): CheckIssue[];
}

/**
 * For zod's `when`: run unless a field the check reads already has an issue. An issue on the whole file means there
 * is no table to read; unknown keys are harmless, zod drops them.
 */
export function readsNothingBroken<T>(check: CrossCheck<T>) {
  return (payload: { issues: readonly { code?: string; path?: PropertyKey[] | undefined }[] }): boolean =>
    !payload.issues.some(
      ({ code, path = [] }) => code !== "unrecognized_keys" && (path.length === 0 || check.reads(path)),
    );
}

interface TaskSize {
  cpu: number;
  memory: number;
}

export const taskSize: CrossCheck<TaskSize> = {
  reads: ([key]) => key === "cpu" || key === "memory",
  run({ cpu, memory }) {
    const message = checkFargateSize(cpu, memory);
    if (!message) return [];
    return [{ path: [fargateMemoryChoices(cpu).length > 0 ? "memory" : "cpu"], message }];
  },
};

interface Sidecar {
  cpu?: number | undefined;
  memory?: number | undefined;
  essential?: boolean | undefined;
  health_check?: unknown;
  depends_on?: Record<string, DependencyCondition> | undefined;
}

interface ContainerNames {
  service: string;
  container_name?: string | undefined;
  health_check?: unknown;
  depends_on?: Record<string, DependencyCondition> | undefined;
  containers: Record<string, Sidecar>;
}

/** Reads the sidecar table itself (its names) or this field of any sidecar. */
export function readsSidecars(path: KeyPath, field: string): boolean {
  const [top, , key] = path;
  return top === "containers" && (path.length <= 2 || key === field);
}

// `essential` and `health_check` are read only as "set or not", which a wrong value of them does not change.
export const containerNames: CrossCheck<ContainerNames> = {
  reads: (path) =>
    ["service", "container_name", "depends_on"].includes(String(path[0])) || readsSidecars(path, "depends_on"),
  run(config) {
    const main = config.container_name ?? config.service;
    const containers = new Map<string, Sidecar>([
      [main, { essential: true, health_check: config.health_check }],
      ...Object.entries(config.containers),
    ]);
    const dependents: [string, KeyPath, Sidecar | ContainerNames][] = [
      [main, [], config],
      ...Object.entries(config.containers).map(([name, s]): [string, KeyPath, Sidecar] => [
        name,
        ["containers", name],
        s,
      ]),
    ];
    return [
      ...Object.keys(config.containers).flatMap((name) => (name === main ? [sameAsMain(name)] : [])),
      ...dependents.flatMap(([name, at, container]) =>
        Object.entries(container.depends_on ?? {}).flatMap(([dependency, condition]) =>
          checkDependency({ name, path: [...at, "depends_on"], dependency, condition }, containers),
        ),
      ),
    ];
  },
};

function sameAsMain(name: string): CheckIssue {
  const path = ["containers", name];
  const message = `\`${formatKey(path)}\` has the name of the main container (\`container_name\`, which defaults to the service name); give the sidecar another name`;
  return { path, message };
}

interface Dependency {
  name: string;
  path: KeyPath;
  dependency: string;
  condition: DependencyCondition;
}

// ECS refuses these when the task definition is registered or when the task starts: a HEALTHY wait needs a health
// check to wait for, and COMPLETE/SUCCESS wait for a container to exit, which an essential one must never do.
function checkDependency(d: Dependency, containers: ReadonlyMap<string, Sidecar>): CheckIssue[] {
  const path = [...d.path];
  const key = `\`${formatKey(path)}\``;
  if (d.dependency === d.name) {
    return [{ path, message: `${key} names \`${d.name}\` itself: a container cannot depend on itself` }];
  }
  const target = containers.get(d.dependency);
  if (!target) {
    const known = [...containers.keys()].map((other) => `\`${other}\``).join(", ");
    return [
      { path, message: `${key} names \`${d.dependency}\`, which is not a container here; the containers are ${known}` },
    ];
  }
  if (d.condition === "HEALTHY" && !target.health_check) {
    return [{ path, message: `${key} waits for \`${d.dependency}\` to be HEALTHY, but it has no health_check` }];
  }
  if ((d.condition === "COMPLETE" || d.condition === "SUCCESS") && target.essential !== false) {
    const why = "an essential container must keep running, so it never completes; set `essential = false` on it";
    return [
      {
        path,
        message: `${key} waits for \`${d.dependency}\` to ${d.condition === "SUCCESS" ? "succeed" : "complete"}: ${why}`,
      },
    ];
  }
  return [];
}

interface ContainerSizes extends TaskSize {
  containers: Record<string, Sidecar>;
}

// On Fargate the containers' own cpu and memory must fit inside the task's; ECS would refuse the task definition.
export const containerSizes: CrossCheck<ContainerSizes> = {
  reads: (path) => taskSize.reads(path) || readsSidecars(path, "cpu") || readsSidecars(path, "memory"),
  run(config) {
    const sidecars = Object.values(config.containers);
    return (["cpu", "memory"] as const).flatMap((field) => {
      const total = sidecars.reduce((sum, sidecar) => sum + (sidecar[field] ?? 0), 0);
      if (total <= config[field]) return [];
      const message = `the sidecars' \`${field}\` adds up to ${total}, more than the task's \`${field}\` (${config[field]})`;
      return [{ path: [field], message }];
    });
  },
};

interface ContainerPorts {
  port?: { number: number } | undefined;
  containers: Record<string, { port?: { number: number } | undefined }>;
}

// In awsvpc mode the containers of a task share one network namespace: two cannot listen on one port.
export const containerPorts: CrossCheck<ContainerPorts> = {
  reads: (path) => path[0] === "port" || readsSidecars(path, "port"),
  run(config) {
    const main: [number, string][] = config.port ? [[config.port.number, "`port` (the main container)"]] : [];
    const taken = new Map<number, string>(main);
    return Object.entries(config.containers).flatMap(([name, sidecar]) => {
      if (sidecar.port === undefined) return [];
      const path = ["containers", name, "port"];
      const number = sidecar.port.number;
      const other = taken.get(number);
      taken.set(number, `\`${formatKey(path)}\``);
      if (!other) return [];
      const message = `\`${formatKey(path)}\` is ${number}, like ${other}: containers of one task share its network, so each needs its own port`;
      return [{ path, message }];
    });
  },
};
