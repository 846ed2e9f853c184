// Checks across fields, which one field's schema cannot see. Each reads only a few fields and runs even when other
// fields are wrong, so the user gets every problem in one go.

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
  depends_on?: string[] | undefined;
}

interface ContainerNames {
  service: string;
  container_name?: string | undefined;
  containers: Record<string, Sidecar>;
}

/** Reads the sidecar table itself (its names) or this field of any sidecar. */
function readsSidecars(path: KeyPath, field: string): boolean {
  const [top, , key] = path;
  return top === "containers" && (path.length <= 2 || key === field);
}

export const containerNames: CrossCheck<ContainerNames> = {
  reads: (path) => path[0] === "service" || path[0] === "container_name" || readsSidecars(path, "depends_on"),
  run(config) {
    const main = config.container_name ?? config.service;
    const names = [...new Set([main, ...Object.keys(config.containers)])];
    return Object.entries(config.containers).flatMap(([name, sidecar]) => [
      ...(name === main ? [sameAsMain(name)] : []),
      ...(sidecar.depends_on ?? []).flatMap((dependency, i) => checkDependency(name, dependency, i, names)),
    ]);
  },
};

function sameAsMain(name: string): CheckIssue {
  const path = ["containers", name];
  const message = `\`${formatKey(path)}\` has the name of the main container (\`container_name\`, which defaults to the service name); give the sidecar another name`;
  return { path, message };
}

function checkDependency(name: string, dependency: string, index: number, names: string[]): CheckIssue[] {
  const path = ["containers", name, "depends_on", index];
  const key = `\`${formatKey(path)}\``;
  if (dependency === name) return [{ path, message: `${key}: container \`${name}\` cannot depend on itself` }];
  if (names.includes(dependency)) return [];
  const known = names.map((other) => `\`${other}\``).join(", ");
  return [
    { path, message: `${key} names \`${dependency}\`, which is not a container here; the containers are ${known}` },
  ];
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
  port: number;
  containers: Record<string, { port?: number | undefined }>;
}

// In awsvpc mode the containers of a task share one network namespace: two cannot listen on one port.
export const containerPorts: CrossCheck<ContainerPorts> = {
  reads: (path) => path[0] === "port" || readsSidecars(path, "port"),
  run(config) {
    const taken = new Map<number, string>([[config.port, "`port` (the main container)"]]);
    return Object.entries(config.containers).flatMap(([name, sidecar]) => {
      if (sidecar.port === undefined) return [];
      const path = ["containers", name, "port"];
      const other = taken.get(sidecar.port);
      taken.set(sidecar.port, `\`${formatKey(path)}\``);
      if (!other) return [];
      const message = `\`${formatKey(path)}\` is ${sidecar.port}, like ${other}: containers of one task share its network, so each needs its own port`;
      return [{ path, message }];
    });
  },
};
