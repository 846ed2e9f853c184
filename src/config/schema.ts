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
import { bool, ecsName, environmentTable, intFrom, intIn, matching, mustBe, stringList } from "./fields.js";

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

const ACCOUNT_EXAMPLE = 'a quoted string of 12 digits, e.g. "012345678901"';

/** A TOML integer drops leading zeros, so the account must be a string; say so when we see a number. */
function accountError(issue: { input?: unknown }): string {
  if (typeof issue.input !== "number") return mustBe(ACCOUNT_EXAMPLE)(issue);
  const why = "(as an integer, leading zeros would be lost)";
  return `must be a string: write it as ${ACCOUNT_EXAMPLE} ${why}, got the number ${issue.input}`;
}

const roleArn = (what: string) =>
  matching(ROLE_ARN, `an IAM role ARN (arn:aws:iam::<account>:role/<name>) for ${what}`);

const healthCommand = z.string({ error: mustBe('the check itself, e.g. "curl -f http://localhost/ || exit 1"') });

const healthCheckSchema = z
  .strictObject(
    {
      command: z
        .tuple([z.enum(["CMD", "CMD-SHELL"], { error: mustBe('"CMD" or "CMD-SHELL"') }), healthCommand], z.string(), {
          error: mustBe('an array like ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]'),
        })
        .describe(
          'The check to run, as for Docker: ["CMD-SHELL", "curl -f http://localhost/_health || exit 1"] or ["CMD", "/bin/check", "arg"].',
        ),
      interval: intIn(5, 300).default(30).describe("Seconds between checks (5-300)."),
      timeout: intIn(2, 120)
        .default(5)
        .describe("Seconds to wait for a check to succeed before it counts as failed (2-120)."),
      retries: intIn(1, 10).default(3).describe("Failed checks in a row before the container is unhealthy (1-10)."),
      start_period: intIn(0, 300)
        .optional()
        .describe("Seconds to let the container start before failed checks count (0-300). ECS's default: none."),
    },
    { error: mustBe("a table") },
  )
  .describe("A container health check, run by the ECS agent inside the container.");

const containerSchema = z
  .strictObject(
    {
      image: matching(/^\S+$/, "an image URI")
        .optional()
        .describe("The image to run. The action's `images` input overrides it by container name."),
      port: intIn(1, 65535).optional().describe("The TCP port the container listens on."),
      essential: bool().default(true).describe("Whether the task stops when this container stops."),
      environment: environmentTable()
        .default({})
        .describe("Environment variables: NAME = value. Values are sent as strings."),
      command: stringList().optional().describe("Overrides the image's CMD."),
      health_check: healthCheckSchema.optional().describe("This container's health check."),
      cpu: intIn(0, 16384).optional().describe("CPU units reserved for this container (1024 = 1 vCPU)."),
      memory: intIn(6, 122880).optional().describe("Hard memory limit for this container, in MiB."),
      depends_on: stringList("an array of container names")
        .optional()
        .describe("Containers that must start before this one: the main container or other sidecars."),
    },
    { error: mustBe("a table") },
  )
  .describe("A sidecar container, next to the main one in the same task.");

const sidecarName = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, {
  error: "is not a valid container name: use letters, digits, - and _, up to 255 characters",
});

const configShape = {
  account: z
    .string({ error: accountError })
    .regex(ACCOUNT, { error: accountError })
    .describe('The AWS account ID to deploy to, as a quoted string of 12 digits: "012345678901".'),
  region: matching(REGION, "an AWS region like us-east-1").describe("The AWS region, e.g. us-east-1."),
  cluster: matching(CLUSTER, "an ECS cluster name or ARN").describe("The ECS cluster's name or ARN."),
  service: ecsName("an ECS service name").describe("The ECS service to deploy. Most other names default from it."),
  port: intIn(1, 65535).describe("The TCP port the main container listens on."),
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
    .default("X86_64")
    .describe("The CPU architecture the images are built for."),
  secrets_path: matching(SSM_PATH, 'an SSM parameter path below the root, like "/app"')
    .optional()
    .describe("The SSM Parameter Store path whose parameters become secrets. Default: / followed by the service name."),
  log_group: matching(LOG_GROUP, "a CloudWatch log group name")
    .optional()
    .describe("The CloudWatch log group. Default: /aws/ecs/fargate/ followed by the service name."),
  log_stream_prefix: matching(LOG_STREAM_PREFIX, "a log stream prefix without : or *")
    .optional()
    .describe("The prefix of the containers' log streams. Default: the service name."),
  environment: environmentTable()
    .default({})
    .describe("The main container's environment variables: NAME = value. Values are sent as strings."),
  tags: z
    .record(
      z
        .string()
        .regex(/^.{1,128}$/, { error: "is not a valid tag key: use 1 to 128 characters" })
        .refine((key) => !/^aws:/i.test(key), { error: "is not a valid tag key: the aws: prefix is reserved for AWS" }),
      z.string({ error: mustBe("a string") }).max(256, { error: mustBe("a string of up to 256 characters") }),
      { error: mustBe("a table of key = value") },
    )
    .refine((tags) => Object.keys(tags).length <= MAX_TAGS, {
      error: (issue) => `\`tags\` has ${Object.keys(issue.input ?? {}).length} entries; AWS allows at most ${MAX_TAGS}`,
    })
    .default({})
    .describe("Tags for the task definition and service (at most 50)."),
  containers: z
    .record(sidecarName, containerSchema, { error: mustBe("a table of containers") })
    .default({})
    .describe("Sidecar containers by name: [containers.<name>]."),
  command: stringList().optional().describe("Overrides the main image's CMD."),
  health_check: healthCheckSchema.optional().describe("The main container's health check."),
  desired_count: intFrom(0, "an integer of 0 or more")
    .optional()
    .describe("How many tasks to run. Unset: the service keeps its current count (1 when it is created)."),
};

/** The TOML as the user writes it: validated, with cross-field checks, before defaults are filled in. */
export const configInputSchema = z
  .strictObject(configShape, { error: mustBe("a table") })
  .superRefine((config, ctx) => report(ctx, taskSize.run(config)), { when: readsNothingBroken(taskSize) })
  .superRefine((config, ctx) => report(ctx, containerNames.run(config)), { when: readsNothingBroken(containerNames) })
  .superRefine((config, ctx) => report(ctx, containerSizes.run(config)), { when: readsNothingBroken(containerSizes) })
  .superRefine((config, ctx) => report(ctx, containerPorts.run(config)), { when: readsNothingBroken(containerPorts) })
  .meta({ title: "deploy-action config", description: "Deploys one service to ECS on Fargate." });

function report(ctx: z.RefinementCtx, issues: CheckIssue[]): void {
  for (const { path, message } of issues) ctx.addIssue({ code: "custom", path, message });
}

/** The config with every default filled in: the names that default from `service`. */
export const configSchema = configInputSchema.transform((config) => ({
  ...config,
  family: config.family ?? config.service,
  container_name: config.container_name ?? config.service,
  secrets_path: config.secrets_path ?? `/${config.service}`,
  log_group: config.log_group ?? `/aws/ecs/fargate/${config.service}`,
  log_stream_prefix: config.log_stream_prefix ?? config.service,
}));

export type Config = z.output<typeof configSchema>;
export type ContainerConfig = z.output<typeof containerSchema>;
export type HealthCheckConfig = z.output<typeof healthCheckSchema>;

/** The JSON Schema of the file users write, for editors (e.g. `#:schema` in Even Better TOML). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configInputSchema, { io: "input" });
}
