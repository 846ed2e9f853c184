// More checks across fields: what RegisterTaskDefinition (or the first task) would refuse, said while reading the
// config, where the fix is. Same shape as checks.ts: each names the keys it reads and runs only when they are valid.

import type { CheckIssue } from "./checks.js";
import { readsSidecars } from "./checks.js";
import { formatKey, type KeyPath } from "./keys.js";

interface CrossCheck<T> {
  reads(path: KeyPath): boolean;
  run(config: T): CheckIssue[];
}

/** ECS's limit on containers in one task definition. */
export const MAX_CONTAINERS = 10;

export const containerCount: CrossCheck<{ containers: Record<string, unknown> }> = {
  reads: (path) => path[0] === "containers" && path.length <= 2,
  run({ containers }) {
    const count = 1 + Object.keys(containers).length;
    if (count <= MAX_CONTAINERS) return [];
    const message = `the task has ${count} containers (the main one and ${count - 1} sidecars); ECS allows at most ${MAX_CONTAINERS} in a task definition`;
    return [{ path: ["containers"], message }];
  },
};

interface Roles {
  account: string;
  execution_role_arn: string;
  task_role_arn: string;
  cross_account_roles?: boolean | undefined;
}

// A role in another account usually means a copied file: deploying it would hand the task that account's role. A
// team that means it says so.
export const roleAccounts: CrossCheck<Roles> = {
  reads: (path) => ["account", "execution_role_arn", "task_role_arn", "cross_account_roles"].includes(String(path[0])),
  run(config) {
    if (config.cross_account_roles) return [];
    return (["execution_role_arn", "task_role_arn"] as const).flatMap((key) => {
      const account = /^arn:[^:]+:iam::(\d{12}):/.exec(config[key])?.[1];
      if (!account || account === config.account) return [];
      const message = `\`${key}\` is a role in account ${account}, but the config deploys to ${config.account} (\`account\`): use a role of that account, or set \`cross_account_roles = true\` if this is meant`;
      return [{ path: [key], message }];
    });
  },
};

interface Volume {
  root_directory?: string | undefined;
  transit_encryption?: boolean | undefined;
  access_point_id?: string | undefined;
  iam?: boolean | undefined;
}

interface Mounts {
  volumes?: Record<string, Volume> | undefined;
  mount_points?: { volume: string }[] | undefined;
  containers: Record<string, { mount_points?: { volume: string }[] | undefined }>;
}

export const volumeMounts: CrossCheck<Mounts> = {
  reads: (path) => path[0] === "volumes" || path[0] === "mount_points" || readsSidecars(path, "mount_points"),
  run(config) {
    const volumes = config.volumes ?? {};
    const mounts: [KeyPath, { volume: string }[] | undefined][] = [
      [["mount_points"], config.mount_points],
      ...Object.entries(config.containers).map(([name, c]): [KeyPath, { volume: string }[] | undefined] => [
        ["containers", name, "mount_points"],
        c.mount_points,
      ]),
    ];
    return [
      ...Object.entries(volumes).flatMap(([name, volume]) => efsRules(name, volume)),
      ...mounts.flatMap(([at, list]) =>
        (list ?? []).flatMap((mount, i) => {
          if (Object.hasOwn(volumes, mount.volume)) return [];
          const path = [...at, i, "volume"];
          const known = Object.keys(volumes);
          const defined =
            known.length > 0 ? `the volumes are ${known.map((v) => `\`${v}\``).join(", ")}` : "[volumes] defines none";
          return [
            {
              path,
              message: `\`${formatKey(path)}\` names \`${mount.volume}\`, which is not a volume here; ${defined}`,
            },
          ];
        }),
      ),
    ];
  },
};

// EFS's own rules, which ECS applies when the task definition is registered.
function efsRules(name: string, volume: Volume): CheckIssue[] {
  const at = (key: string) => ["volumes", name, key];
  const issues: CheckIssue[] = [];
  const needsTls = volume.access_point_id ? "access_point_id" : volume.iam ? "iam" : undefined;
  if (needsTls && volume.transit_encryption !== true) {
    const message = `\`${formatKey(at(needsTls))}\` needs \`transit_encryption = true\` in [volumes.${name}]: EFS refuses it over an unencrypted mount`;
    issues.push({ path: at(needsTls), message });
  }
  if (volume.access_point_id && volume.root_directory !== undefined && volume.root_directory !== "/") {
    const message = `\`${formatKey(at("root_directory"))}\` must be left out (or "/") with an access point: the access point sets the directory`;
    issues.push({ path: at("root_directory"), message });
  }
  return issues;
}

interface Platform {
  cpu: number;
  cpu_architecture?: string | undefined;
  runtime_platform?:
    | { cpu_architecture?: string | undefined; operating_system_family?: string | undefined }
    | undefined;
}

export const platform: CrossCheck<Platform> = {
  reads: (path) => ["cpu", "cpu_architecture", "runtime_platform"].includes(String(path[0])),
  run(config) {
    const issues: CheckIssue[] = [];
    if (config.cpu_architecture !== undefined && config.runtime_platform?.cpu_architecture !== undefined) {
      const message =
        "`cpu_architecture` is set twice, at the top and in [runtime_platform]: keep the one in [runtime_platform]";
      issues.push({ path: ["cpu_architecture"], message });
    }
    const family = config.runtime_platform?.operating_system_family ?? "LINUX";
    const architecture = config.runtime_platform?.cpu_architecture ?? config.cpu_architecture ?? "X86_64";
    if (family !== "LINUX" && architecture !== "X86_64") {
      const message = `\`runtime_platform.operating_system_family\` ${family} runs on X86_64 only on Fargate, not ${architecture}`;
      issues.push({ path: ["runtime_platform", "operating_system_family"], message });
    }
    if (family !== "LINUX" && config.cpu < 1024) {
      const message = `Windows tasks on Fargate need at least 1 vCPU: \`cpu\` is ${config.cpu}; use 1024 or more`;
      issues.push({ path: ["cpu"], message });
    }
    return issues;
  },
};

interface Secrets {
  environment: Record<string, string>;
  secrets?: Record<string, string> | undefined;
  containers: Record<string, { environment: Record<string, string>; secrets?: Record<string, string> | undefined }>;
}

/** A secret and a plain variable with one name would shadow each other in the container. */
export const secretNames: CrossCheck<Secrets> = {
  reads: (path) =>
    ["environment", "secrets"].includes(String(path[0])) ||
    readsSidecars(path, "environment") ||
    readsSidecars(path, "secrets"),
  run(config) {
    const containers: [KeyPath, Secrets["containers"][string]][] = [
      [[], config],
      ...Object.entries(config.containers).map(([name, c]): [KeyPath, Secrets["containers"][string]] => [
        ["containers", name],
        c,
      ]),
    ];
    return containers.flatMap(([at, c]) =>
      Object.keys(c.secrets ?? {})
        .filter((name) => Object.hasOwn(c.environment, name))
        .map((name) => {
          const path = [...at, "secrets", name];
          const message = `\`${formatKey(path)}\` has the name of a variable in \`${formatKey([...at, "environment"])}\`: remove one of them`;
          return { path, message };
        }),
    );
  },
};
