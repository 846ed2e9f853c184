// Every number a config can hold stays inside what ECS takes. The test walks each numeric key of the JSON Schema
// (generated from src/config) and holds it against the ECS member it becomes: the bundled SDK's model says the member
// exists and is a number (its schemas carry no ranges; the model's Integer is 32-bit), and ECS's documented range
// bounds it where there is one. A numeric key missing from the table fails the test: a new key cannot drift.
import * as ecsModel from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { INT32_MAX } from "../../src/config/fields.js";
import { configJsonSchema } from "../../src/config/index.js";

const INT32 = { min: -(INT32_MAX + 1), max: INT32_MAX };

/** The ECS member a key becomes, and the range ECS takes there. */
interface Bound {
  /** `Shape.member` in ECS's API model; undefined for a number the action keeps to itself */
  member?: string;
  /** the member's type in the model when it is not a number (ECS takes the task's cpu and memory as strings) */
  string?: true;
  min: number;
  max: number;
  /** where the range comes from */
  source: string;
}

const model = (member: string): Bound => ({ member, ...INT32, source: "the model's Integer: 32-bit" });
const documented = (member: string, min: number, max: number, source: string): Bound => ({ member, min, max, source });

const healthCheck = {
  interval: documented("HealthCheck.interval", 5, 300, "HealthCheck: interval 5-300 seconds"),
  timeout: documented("HealthCheck.timeout", 2, 60, "HealthCheck: timeout 2-60 seconds"),
  retries: documented("HealthCheck.retries", 1, 10, "HealthCheck: retries 1-10"),
  start_period: documented("HealthCheck.startPeriod", 0, 300, "HealthCheck: startPeriod 0-300 seconds"),
};
const port = documented("PortMapping.containerPort", 0, 65535, "a TCP or UDP port");
/** The keys a container has, at the top level (the main container) and under `containers.<name>`. */
const containerKeys = (prefix: string): Record<string, Bound> => ({
  [`${prefix}port`]: port,
  [`${prefix}port.number`]: port,
  [`${prefix}stop_timeout`]: documented("ContainerDefinition.stopTimeout", 0, 120, "stopTimeout: at most 120 s"),
  [`${prefix}ulimits.*.soft`]: model("Ulimit.softLimit"),
  [`${prefix}ulimits.*.hard`]: model("Ulimit.hardLimit"),
  ...Object.fromEntries(Object.entries(healthCheck).map(([k, b]) => [`${prefix}health_check.${k}`, b])),
});
const minutes = (member: string) => documented(member, 0, 1440, "bake times: 0-1440 minutes");

const TABLE: Record<string, Bound> = {
  ...containerKeys(""),
  ...containerKeys("containers.*."),
  cpu: { member: "RegisterTaskDefinitionRequest.cpu", string: true, min: 256, max: 16384, source: "Fargate CPU" },
  memory: { member: "RegisterTaskDefinitionRequest.memory", string: true, min: 512, max: 122880, source: "Fargate" },
  ephemeral_storage: documented("EphemeralStorage.sizeInGiB", 21, 200, "Fargate ephemeral storage: 21-200 GiB"),
  "containers.*.cpu": { ...model("ContainerDefinition.cpu"), min: 0 },
  "containers.*.memory": { ...model("ContainerDefinition.memory"), min: 6, source: "at least 6 MiB; 32-bit" },
  "volumes.*.transit_encryption_port": model("EFSVolumeConfiguration.transitEncryptionPort"),
  desired_count: model("UpdateServiceRequest.desiredCount"),
  health_check_grace_period: model("UpdateServiceRequest.healthCheckGracePeriodSeconds"),
  "deployment.minimum_healthy_percent": model("DeploymentConfiguration.minimumHealthyPercent"),
  "deployment.maximum_percent": model("DeploymentConfiguration.maximumPercent"),
  "deployment.bake_time": minutes("DeploymentConfiguration.bakeTimeInMinutes"),
  "deployment.linear.step_percent": documented("LinearConfiguration.stepPercent", 3, 100, "stepPercent: 3.0-100.0"),
  "deployment.linear.step_bake_time": minutes("LinearConfiguration.stepBakeTimeInMinutes"),
  "deployment.canary.percent": documented("CanaryConfiguration.canaryPercent", 0.1, 100, "canaryPercent: 0.1-100.0"),
  "deployment.canary.bake_time": minutes("CanaryConfiguration.canaryBakeTimeInMinutes"),
  "deployment.lifecycle_hooks[].timeout": documented(
    "DeploymentLifecycleHookTimeoutConfiguration.timeoutInMinutes",
    1,
    20160,
    "a lifecycle hook's timeout: 1-20160 minutes",
  ),
  // The order of an app's services in one run: the action's own, sent to no API.
  deploy_order: { min: 1, max: 1000, source: "the action's own waves" },
  "deployment.circuit_breaker.threshold.value": documented(
    "ThresholdConfiguration.value",
    1,
    INT32_MAX,
    "ThresholdConfiguration.value: an Integer; 0 would trip on nothing or at once, so at least 1",
  ),
  "deployment.early_success.healthy_percent": documented(
    "DeploymentEarlySuccessCriteria.healthyPercent",
    0,
    100,
    "DeploymentEarlySuccessCriteria.healthyPercent: an integer between 0 and 100",
  ),
  // How long the action waits for a pre-deploy task: its own clock, sent to no API.
  "pre_deploy[].timeout": { min: 0, max: Number.MAX_SAFE_INTEGER, source: "the action's own wait" },
};

interface NumericKey {
  path: string;
  type: string;
  minimum?: number;
  maximum?: number;
}

/** Every integer or number in the JSON Schema, by its dotted key (`*` for a name the user picks, `[]` for an item). */
function numericKeys(node: unknown, path: string[] = []): NumericKey[] {
  if (typeof node !== "object" || node === null) return [];
  const schema = node as Record<string, unknown>;
  const here: NumericKey[] =
    schema.type === "integer" || schema.type === "number"
      ? [{ path: path.join("."), type: schema.type, ...(schema as { minimum?: number; maximum?: number }) }]
      : [];
  const properties = Object.entries((schema.properties ?? {}) as Record<string, unknown>);
  const items = path.length > 0 ? [...path.slice(0, -1), `${path.at(-1)}[]`] : ["[]"];
  return [
    ...here,
    ...properties.flatMap(([key, child]) => numericKeys(child, [...path, key])),
    ...numericKeys(schema.additionalProperties, [...path, "*"]),
    ...((schema.anyOf ?? []) as unknown[]).flatMap((child) => numericKeys(child, path)),
    ...numericKeys(schema.items, items),
  ];
}

/** The model's type of `Shape.member`: 1 for a number (integer or double), 0 for a string; undefined when absent. */
function modelType(member: string): unknown {
  const [shape, name] = member.split(".");
  const schema = (ecsModel as unknown as Record<string, unknown>)[`${shape}$`] as unknown[] | undefined;
  const names = (schema?.[4] ?? []) as string[];
  const types = (schema?.[5] ?? []) as unknown[];
  const i = names.indexOf(name ?? "");
  return i < 0 ? undefined : types[i];
}

const keys = numericKeys(configJsonSchema());

describe("every numeric key of the config, against ECS's API model", () => {
  it("finds the numeric keys (the walk sees the schema)", () => {
    expect(keys.map((k) => k.path)).toEqual(expect.arrayContaining(["cpu", "containers.*.health_check.timeout"]));
  });

  it.each(keys.map((k) => [k.path, k] as const))("%s maps to an ECS member and stays in its range", (path, key) => {
    const bound = TABLE[path];
    expect(bound, `${path} is a new numeric key: add it to TABLE with the ECS member it becomes`).toBeDefined();
    if (!bound) return;
    if (bound.member) {
      expect(modelType(bound.member), `${bound.member} in the bundled SDK's model`).toBe(bound.string ? 0 : 1);
    }
    expect(key.minimum, `${path}: no minimum`).toBeDefined();
    expect(key.maximum, `${path}: no maximum`).toBeDefined();
    expect(key.minimum ?? Number.NEGATIVE_INFINITY).toBeGreaterThanOrEqual(bound.min);
    expect(key.maximum ?? Number.POSITIVE_INFINITY, `${path}: ${bound.source}`).toBeLessThanOrEqual(bound.max);
  });

  it("leaves no entry of the table unused (a renamed key is renamed here too)", () => {
    const paths = new Set(keys.map((k) => k.path));
    expect(Object.keys(TABLE).filter((path) => !paths.has(path))).toEqual([]);
  });
});
