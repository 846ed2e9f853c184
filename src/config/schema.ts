// The config file's one schema: it gives the TypeScript types, the validation and its messages, the defaults, and
// (through the .describe() texts) the JSON Schema editors use for completion and docs.

import * as z from "zod";
import {
  type CheckIssue,
  containerNames,
  containerPorts,
  containerSizes,
  readsNothingBroken,
  taskSize,
} from "./checks.js";
import { containerFields, type healthCheckSchema, portSchema, sidecarName, sidecarSchema } from "./container.js";
import { bool, ecsName, intIn, invisibleMessage, matching, mustBe, withExamples } from "./fields.js";
import { firstInvisible } from "./keys.js";
import { preDeployList, preDeployTasks } from "./pre-deploy-keys.js";
import { containerCount, platform, roleAccounts, secretNames, volumeMounts } from "./rules.js";
import { serviceShape } from "./service.js";
import { strategyChecks } from "./strategy.js";

/** The operating systems Fargate runs. */
export const OS_FAMILIES = [
  "LINUX",
  "WINDOWS_SERVER_2019_FULL",
  "WINDOWS_SERVER_2019_CORE",
  "WINDOWS_SERVER_2022_FULL",
  "WINDOWS_SERVER_2022_CORE",
] as const;

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-(gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/;
const PARTITION = "aws[a-z-]*";
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/[\\w+=,.@/-]+$`);
const CLUSTER = new RegExp(
  `^([A-Za-z0-9_-]{1,255}|arn:${PARTITION}:ecs:[a-z0-9-]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255})$`,
);
// Below the root: "/" alone would make every parameter of the account and region a secret of this service.
const SSM_PATH = /^\/[A-Za-z0-9_.-][A-Za-z0-9_./-]*$/;
const LOG_GROUP = /^[A-Za-z0-9_./#-]{1,512}$/;
const LOG_STREAM_PREFIX = /^[^:*]{1,512}$/;
const MAX_TAGS = 50;
/** Tags under this prefix are the action's own (plan/run/provenance.ts): never set by a config. */
export const ACTION_TAG_PREFIX = "deploy-action:";

const ACCOUNT_EXAMPLE = 'a quoted string of 12 digits, e.g. "012345678901"';

/** A TOML integer drops leading zeros, so the account must be a string; say so when we see a number. */
function accountError(issue: { input?: unknown }): string {
  if (typeof issue.input !== "number") return mustBe(ACCOUNT_EXAMPLE)(issue);
  const why = "(as an integer, leading zeros would be lost)";
  return `must be a string: write it as ${ACCOUNT_EXAMPLE} ${why}, got the number ${issue.input}`;
}

const roleArn = (what: string) =>
  matching(ROLE_ARN, `an IAM role ARN (arn:aws:iam::<account>:role/<name>) for ${what}`);

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A tag key or value: AWS's characters, and none that hides (AWS's \p{Z} lets line separators through). */
function tagText(what: string, max: number, min: number) {
  return z.string({ error: mustBe("a string") }).superRefine((text, ctx) => {
    const add = (message: string) => ctx.addIssue({ code: "custom", message, params: { field: true } });
    const invisible = firstInvisible(text);
    if (invisible) add(invisibleMessage(invisible));
    else if (!TAG_TEXT.test(text)) add(`${what}: use letters, digits, spaces and _ . : / = + - @`);
    else if (text.length < min || text.length > max) add(`${what}: use ${min} to ${max} characters`);
  });
}

const REGISTRY = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

const volumeSchema = z
  .strictObject(
    withExamples(
      {
        file_system_id: matching(/^fs-[0-9a-f]{8,40}$/, "an EFS file system ID like fs-0123456789abcdef0").describe(
          "The EFS file system.",
        ),
        root_directory: matching(/^\/\S*$/, "an absolute path in the file system")
          .optional()
          .describe("The directory of the file system to mount (with an access point: leave it out, or /)."),
        transit_encryption: bool()
          .optional()
          .describe("Encrypt the traffic to EFS (required with an access point or iam)."),
        transit_encryption_port: intIn(1, 65535).optional().describe("The port the encrypted traffic uses."),
        access_point_id: matching(/^fsap-[0-9a-f]{8,40}$/, "an EFS access point ID like fsap-0123456789abcdef0")
          .optional()
          .describe("The EFS access point to mount through."),
        iam: bool().optional().describe("Authorize the mount with the task role (EFS IAM authorization)."),
      },
      {
        file_system_id: "fs-0a1b2c3d4e5f60004",
        root_directory: "/data",
        transit_encryption: true,
        transit_encryption_port: 2999,
        access_point_id: "fsap-0a1b2c3d4e5f60005",
        iam: true,
      },
    ),
    { error: mustBe("a table") },
  )
  .describe("An EFS volume the containers can mount with mount_points.");

const runtimePlatformSchema = z
  .strictObject(
    withExamples(
      {
        cpu_architecture: z
          .enum(["X86_64", "ARM64"], { error: mustBe('"X86_64" or "ARM64"') })
          .optional()
          .describe("The CPU architecture the images are built for (default X86_64)."),
        operating_system_family: z
          .enum(OS_FAMILIES, { error: mustBe(`one of ${OS_FAMILIES.join(", ")}`) })
          .optional()
          .describe("The operating system of the images (default LINUX)."),
      },
      { cpu_architecture: "ARM64", operating_system_family: "LINUX" },
    ),
    { error: mustBe("a table") },
  )
  .describe("The platform the task runs on.");

const configShape = withExamples(
  {
    account: z
      .string({ error: accountError })
      .regex(ACCOUNT, { error: accountError })
      .describe('The AWS account ID to deploy to, as a quoted string of 12 digits: "012345678901".'),
    region: matching(REGION, "an AWS region like us-east-1").describe("The AWS region, e.g. us-east-1."),
    cluster: matching(CLUSTER, "an ECS cluster name or ARN").describe("The ECS cluster's name or ARN."),
    service: ecsName("an ECS service name").describe("The ECS service to deploy. Most other names default from it."),
    port: portSchema()
      .optional()
      .describe(
        'The port the main container listens on: 8080, or { number = 8080, name = "web", app_protocol = "http" }. Leave it out for a worker: a service without a load balancer, whose main container listens on no port.',
      ),
    deploy_order: intIn(1, 1000, "an integer from 1 to 1000")
      .optional()
      .describe(
        "When several configs deploy in one run (the command line with several configs, or the reusable workflow with a list or a glob): lower first, the same number side by side; a wave starts only when the one before succeeded. Default: 1.",
      ),
    execution_role_arn: roleArn("the task execution role").describe(
      "The role ECS uses to start the task: pull the image, read secrets, write logs.",
    ),
    task_role_arn: roleArn("the task role").describe("The role the application's AWS calls run as."),
    family: ecsName("a task definition family")
      .optional()
      .describe("The task definition family. Default: the service name."),
    container_name: ecsName("a container name")
      .optional()
      .describe("The main container's name. Default: the service name."),
    cpu: intIn(256, 16384)
      .default(256)
      .describe("Task CPU units (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384."),
    memory: intIn(512, 122880)
      .default(512)
      .describe("Task memory in MiB; it must be a size Fargate allows with the chosen cpu."),
    cpu_architecture: z
      .enum(["X86_64", "ARM64"], { error: mustBe('"X86_64" or "ARM64"') })
      .optional()
      .describe("The CPU architecture the images are built for (default X86_64); or set it in [runtime_platform]."),
    runtime_platform: runtimePlatformSchema.optional(),
    ephemeral_storage: intIn(21, 200)
      .optional()
      .describe("The task's ephemeral storage in GiB (21-200). Fargate's default: 20."),
    secrets_path: matching(SSM_PATH, 'an SSM parameter path below the root, like "/app"')
      .optional()
      .describe(
        "The SSM Parameter Store path whose parameters become secrets. Default: / followed by the service name.",
      ),
    log_group: matching(LOG_GROUP, "a CloudWatch log group name")
      .optional()
      .describe("The CloudWatch log group. Default: /aws/ecs/fargate/ followed by the service name."),
    log_stream_prefix: matching(LOG_STREAM_PREFIX, "a log stream prefix without : or *")
      .optional()
      .describe("The prefix of the containers' log streams. Default: the service name."),
    tags: z
      .record(
        tagText("is not a valid tag key", 128, 1)
          .refine((key) => !/^aws:/i.test(key), {
            error: "is not a valid tag key: the aws: prefix is reserved for AWS",
          })
          // The action's record of what shipped (deploy-action:commit, deploy-action:repository) is read back by
          // `history` and the shipped list: a config that could set it could make a revision claim any commit.
          .refine((key) => !key.toLowerCase().startsWith(ACTION_TAG_PREFIX), {
            error: `is the action's own tag: tags under ${ACTION_TAG_PREFIX} record the commit a revision was deployed from, so a config may not set them; use another key`,
          }),
        tagText("is not a valid tag value", 256, 0),
        { error: mustBe("a table of key = value") },
      )
      .refine((tags) => Object.keys(tags).length <= MAX_TAGS, {
        error: (issue) =>
          `\`tags\` has ${Object.keys(issue.input ?? {}).length} entries; AWS allows at most ${MAX_TAGS}`,
      })
      .default({})
      .describe(
        "Tags for the task definition (at most 50; keys under aws: and deploy-action: are reserved); a change of tags alone registers a new revision.",
      ),
    containers: z
      .record(sidecarName, sidecarSchema, { error: mustBe("a table of containers") })
      .default({})
      .describe("Sidecar containers by name: [containers.<name>]."),
    volumes: z
      .record(ecsName("a volume name"), volumeSchema, { error: mustBe("a table of volumes") })
      .optional()
      .describe("EFS volumes by name: [volumes.<name>]. Containers mount them with mount_points."),
    ...containerFields("The main container's"),
    ...serviceShape,
    pre_deploy: preDeployList,
    allowed_registries: z
      .array(matching(REGISTRY, 'a registry host, e.g. "ghcr.io" or "*.dkr.ecr.us-east-1.amazonaws.com"'), {
        error: mustBe("an array of registry hosts"),
      })
      .optional()
      .describe(
        'The only registries images may come from: hosts such as "123456789012.dkr.ecr.us-east-1.amazonaws.com", "ghcr.io", "docker.io", or "*.example.com". Unset: any registry.',
      ),
    cross_account_roles: bool()
      .optional()
      .describe("Allow execution_role_arn and task_role_arn in another account than `account` (refused otherwise)."),
    extends: z
      .union([z.string().min(1), z.array(z.string().min(1))], { error: mustBe("a path or an array of paths") })
      .optional()
      .describe(
        'Files whose keys this one builds on, relative to it: "../shared/universe.toml", or a list applied in order. Tables merge key by key; this file wins.',
      ),
  },
  {
    account: "123456789012",
    region: "us-east-1",
    cluster: "apps-prod",
    service: "web-prod",
    port: 8080,
    deploy_order: 2,
    execution_role_arn: "arn:aws:iam::123456789012:role/ecs-task-execution",
    task_role_arn: "arn:aws:iam::123456789012:role/web-prod-task",
    family: "web",
    container_name: "app",
    cpu: 1024,
    memory: 2048,
    cpu_architecture: "ARM64",
    runtime_platform: { cpu_architecture: "ARM64" },
    ephemeral_storage: 30,
    secrets_path: "/web/prod",
    log_group: "/ecs/web-prod",
    log_stream_prefix: "web",
    tags: { team: "storefront" },
    containers: { nginx: { image: "public.ecr.aws/nginx/nginx:1.27-alpine", port: 80 } },
    volumes: { uploads: { file_system_id: "fs-0a1b2c3d4e5f60004" } },
    pre_deploy: [{ name: "migrate", command: ["bin/rails", "db:migrate"] }],
    allowed_registries: ["123456789012.dkr.ecr.us-east-1.amazonaws.com", "public.ecr.aws"],
    cross_account_roles: true,
    extends: "../../shared/universe.toml",
  },
);

/** The TOML as the user writes it: validated, with cross-field checks, before defaults are filled in. */
export const configInputSchema = z
  .strictObject(configShape, { error: mustBe("a table") })
  .superRefine((config, ctx) => report(ctx, taskSize.run(config)), { when: readsNothingBroken(taskSize) })
  .superRefine((config, ctx) => report(ctx, containerNames.run(config)), { when: readsNothingBroken(containerNames) })
  .superRefine((config, ctx) => report(ctx, containerSizes.run(config)), { when: readsNothingBroken(containerSizes) })
  .superRefine((config, ctx) => report(ctx, containerPorts.run(config)), { when: readsNothingBroken(containerPorts) })
  .superRefine((config, ctx) => report(ctx, containerCount.run(config)), { when: readsNothingBroken(containerCount) })
  .superRefine((config, ctx) => report(ctx, roleAccounts.run(config)), { when: readsNothingBroken(roleAccounts) })
  .superRefine((config, ctx) => report(ctx, volumeMounts.run(config)), { when: readsNothingBroken(volumeMounts) })
  .superRefine((config, ctx) => report(ctx, platform.run(config)), { when: readsNothingBroken(platform) })
  .superRefine((config, ctx) => report(ctx, secretNames.run(config)), { when: readsNothingBroken(secretNames) })
  .superRefine((config, ctx) => report(ctx, preDeployTasks.run(config)), { when: readsNothingBroken(preDeployTasks) })
  .superRefine((config, ctx) => report(ctx, strategyChecks.run(config)), { when: readsNothingBroken(strategyChecks) })
  .meta({ title: "deploy-action config", description: "Deploys one service to ECS on Fargate." });

function report(ctx: z.RefinementCtx, issues: CheckIssue[]): void {
  for (const { path, message } of issues) ctx.addIssue({ code: "custom", path, message });
}

/** The config with every default filled in: the names that default from `service`, the platform. */
export const configSchema = configInputSchema.transform(({ extends: _bases, cpu_architecture, ...config }) => ({
  ...config,
  cpu_architecture: config.runtime_platform?.cpu_architecture ?? cpu_architecture ?? ("X86_64" as const),
  operating_system_family: config.runtime_platform?.operating_system_family ?? ("LINUX" as const),
  family: config.family ?? config.service,
  container_name: config.container_name ?? config.service,
  secrets_path: config.secrets_path ?? `/${config.service}`,
  log_group: config.log_group ?? `/aws/ecs/fargate/${config.service}`,
  log_stream_prefix: config.log_stream_prefix ?? config.service,
}));

export type Config = z.output<typeof configSchema>;
export type ContainerConfig = z.output<typeof sidecarSchema>;
export type HealthCheckConfig = z.output<typeof healthCheckSchema>;
export type { PortConfig } from "./container.js";

/**
 * One file as users write it: every key of the config, none required, since any key may come from a file it extends
 * (a shared universe file has no `service`). Cross-field checks need the merged config, so they are not here.
 */
export const configFileSchema = z
  .strictObject(configShape, { error: mustBe("a table") })
  .partial()
  .meta({
    title: "deploy-action config",
    description:
      "Deploys one service to ECS on Fargate. One file of a config: the keys required in the merged config may come from the files it extends.",
  });

/** The top-level keys the merged config must have, for the reference. */
export function requiredKeys(): string[] {
  return Object.entries(configShape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
}

/** The JSON Schema of the files users write, for editors (e.g. `#:schema` in Even Better TOML) and the docs. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configFileSchema, {
    io: "input",
    // zod leaves out the examples of a value it transforms (`port`, `depends_on`) in the input schema: put them back.
    override: ({ zodSchema, jsonSchema }) => {
      const examples = z.globalRegistry.get(zodSchema)?.examples;
      if (examples !== undefined && jsonSchema.examples === undefined) jsonSchema.examples = examples as unknown[];
    },
  });
}
