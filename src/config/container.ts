// The keys a container takes, the main one (at the top of the file) and each sidecar ([containers.<name>]) alike.
// Every key is sent in the container definition only when it is set; the comments on each say where it goes.

import * as z from "zod";
import {
  bool,
  ecsName,
  environmentTable,
  INT32_MAX,
  intIn,
  matching,
  mustBe,
  stringList,
  visibleString,
  withExamples,
} from "./fields.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARTITION = "aws[a-z-]*";
// A Secrets Manager secret (optionally `:json-key:version-stage:version-id`) or an SSM parameter, by full ARN.
export const SECRETS_MANAGER_ARN = new RegExp(
  `^arn:${PARTITION}:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:]*){0,3}$`,
);
export const SSM_PARAMETER_ARN = new RegExp(`^arn:${PARTITION}:ssm:[a-z0-9-]+:\\d{12}:parameter/[A-Za-z0-9_./-]+$`);

const healthCommand = z.string({ error: mustBe('the check itself, e.g. "curl -f http://localhost/ || exit 1"') });

export const healthCheckSchema = z
  .strictObject(
    withExamples(
      {
        command: z
          .tuple([z.enum(["CMD", "CMD-SHELL"], { error: mustBe('"CMD" or "CMD-SHELL"') }), healthCommand], z.string(), {
            error: mustBe('an array like ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]'),
          })
          .describe(
            'The check to run, as for Docker: ["CMD-SHELL", "curl -f http://localhost/_health || exit 1"] or ["CMD", "/bin/check", "arg"].',
          ),
        interval: intIn(5, 300).default(30).describe("Seconds between checks (5-300)."),
        timeout: intIn(2, 60)
          .default(5)
          .describe("Seconds to wait for a check to succeed before it counts as failed (2-60)."),
        retries: intIn(1, 10).default(3).describe("Failed checks in a row before the container is unhealthy (1-10)."),
        start_period: intIn(0, 300)
          .optional()
          .describe("Seconds to let the container start before failed checks count (0-300). ECS's default: none."),
      },
      {
        command: ["CMD-SHELL", "curl -f http://localhost/_health || exit 1"],
        interval: 10,
        timeout: 3,
        retries: 5,
        start_period: 30,
      },
    ),
    { error: mustBe("a table") },
  )
  .describe("A container health check, run by the ECS agent inside the container.");

const PORT_EXPECTED = "an integer from 1 to 65535";

const portTable = z.strictObject(
  withExamples(
    {
      number: intIn(1, 65535).describe("The port number the container listens on."),
      protocol: z
        .enum(["tcp", "udp"], { error: mustBe('"tcp" or "udp"') })
        .default("tcp")
        .describe("The transport protocol."),
      app_protocol: z
        .enum(["http", "http2", "grpc"], { error: mustBe('"http", "http2" or "grpc"') })
        .optional()
        .describe("The application protocol, for Service Connect and its metrics."),
      name: matching(/^[a-z0-9][a-z0-9_-]{0,63}$/, "a port name: lower-case letters, digits, - and _, up to 64")
        .optional()
        .describe("The port's name, which Service Connect refers to."),
    },
    { number: 8080, protocol: "tcp", app_protocol: "http", name: "http" },
  ),
  { error: mustBe("a table") },
);

/** `port = 8080`, or `port = { number = 8080, name = "web", app_protocol = "http" }`; always a table once read. */
export function portSchema() {
  return z
    .union([intIn(1, 65535), portTable], { error: mustBe(PORT_EXPECTED) })
    .transform((port) => (typeof port === "number" ? { number: port, protocol: "tcp" as const } : port));
}

export type PortConfig = z.output<ReturnType<typeof portSchema>>;

export const DEPENDENCY_CONDITIONS = ["START", "COMPLETE", "SUCCESS", "HEALTHY"] as const;
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number];

const containerName = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, {
  error: "is not a valid container name: use letters, digits, - and _, up to 255 characters",
});

/** `["envoy"]` (each START) or `{ envoy = "HEALTHY", migrate = "SUCCESS" }`; a table of name → condition once read. */
function dependsOnSchema() {
  const condition = z.enum(DEPENDENCY_CONDITIONS, { error: mustBe('"START", "COMPLETE", "SUCCESS" or "HEALTHY"') });
  const expected = 'an array of container names, or a table of name = condition, e.g. { envoy = "HEALTHY" }';
  return z
    .union([stringList("an array of container names"), z.record(containerName, condition)], { error: mustBe(expected) })
    .transform(
      (value): Record<string, DependencyCondition> =>
        Array.isArray(value) ? Object.fromEntries(value.map((name) => [name, "START" as const])) : value,
    );
}

const ULIMITS = [
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack",
] as const;

function ulimitsSchema() {
  const limit = z
    .strictObject(
      withExamples({ soft: intIn(0, INT32_MAX), hard: intIn(0, INT32_MAX) }, { soft: 65536, hard: 65536 }),
      {
        error: mustBe("a table { soft = …, hard = … }"),
      },
    )
    .refine((l) => l.soft <= l.hard, { error: "has a soft limit above its hard limit", params: { field: true } });
  const name = z.enum(ULIMITS, { error: `is not a ulimit ECS knows: use one of ${ULIMITS.join(", ")}` });
  // partialRecord: a record keyed by an enum would otherwise require every one of its keys.
  return z.partialRecord(name, limit, { error: mustBe("a table of name = { soft, hard }") });
}

const mountPoint = z.strictObject(
  withExamples(
    {
      volume: ecsName("the name of a volume in [volumes]").describe("The volume, by its name in [volumes]."),
      path: matching(/^\/\S*$/, "an absolute path in the container").describe(
        "Where the volume appears in the container.",
      ),
      read_only: bool().default(false).describe("Mount the volume read-only."),
    },
    { volume: "uploads", path: "/srv/uploads", read_only: true },
  ),
  { error: mustBe("a table { volume, path, read_only }") },
);

/** `NAME = "arn:…"`: a Secrets Manager secret or an SSM parameter, given to the container as NAME. */
export function secretsTable() {
  const name = z.string().regex(ENV_NAME, {
    error: "is not a valid environment variable name: use letters, digits and _, not starting with a digit",
  });
  // One pattern, so that editors (through the JSON Schema) refuse a value that is not such an ARN, too.
  const arn = matching(
    new RegExp(`(?:${SECRETS_MANAGER_ARN.source})|(?:${SSM_PARAMETER_ARN.source})`),
    'the full ARN of a Secrets Manager secret ("arn:aws:secretsmanager:<region>:<account>:secret:<name>") or an SSM parameter ("arn:aws:ssm:<region>:<account>:parameter/<name>")',
  );
  return z.record(name, arn, { error: mustBe("a table of NAME = ARN") });
}

/** The keys both kinds of container take; `who` names the container in the descriptions. */
export function containerFields(who: string) {
  return withExamples(
    {
      environment: environmentTable()
        .default({})
        .describe(`${who} environment variables: NAME = value. Values are sent as strings.`),
      secrets: secretsTable()
        .optional()
        .describe(
          `${who} secrets beside those found under secrets_path: NAME = the ARN of a Secrets Manager secret or an SSM parameter. The pre-flight checks each exists (metadata only); the value is never read.`,
        ),
      command: stringList().optional().describe("Overrides the image's CMD."),
      entry_point: stringList().optional().describe("Overrides the image's ENTRYPOINT."),
      working_directory: matching(/^\S.*$/, "a directory path")
        .optional()
        .describe("The directory the command runs in."),
      user: visibleString('a user name or uid, optionally with a group: "1000:1000"')
        .pipe(matching(/^[^\s:]+(:[^\s:]+)?$/, 'a user name or uid, optionally with a group: "1000:1000"'))
        .optional()
        .describe('The user the container runs as: "name", "uid", "uid:gid" or "name:group".'),
      readonly_root_filesystem: bool().optional().describe("Mount the container's root file system read-only."),
      stop_timeout: intIn(1, 120)
        .optional()
        .describe(
          "Seconds between SIGTERM and SIGKILL when the container stops (Fargate allows up to 120; ECS's default: 30).",
        ),
      ulimits: ulimitsSchema()
        .optional()
        .describe("Resource limits: name = { soft = …, hard = … }, e.g. nofile = { soft = 65536, hard = 65536 }."),
      init_process_enabled: bool()
        .optional()
        .describe("Run an init process as PID 1, which forwards signals and reaps zombie processes."),
      docker_labels: z
        .record(
          visibleString("a label name").pipe(z.string().min(1, { error: "must not be empty" })),
          z.string({ error: mustBe("a string") }),
          { error: mustBe("a table of label = value") },
        )
        .optional()
        .describe("Docker labels: name = value."),
      health_check: healthCheckSchema.optional().describe(`${who} health check.`),
      depends_on: dependsOnSchema()
        .optional()
        .describe(
          'Containers that must reach a state before this one starts: ["envoy"] (started) or { envoy = "HEALTHY", migrate = "SUCCESS" }.',
        ),
      mount_points: z
        .array(mountPoint, { error: mustBe("an array of { volume, path, read_only } tables") })
        .optional()
        .describe('Volumes to mount: [{ volume = "data", path = "/data" }]. The volume is defined in [volumes].'),
    },
    {
      environment: { LOG_LEVEL: "info", WORKERS: 4 },
      secrets: { DATABASE_URL: "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf" },
      command: ["node", "server.js"],
      entry_point: ["/usr/bin/tini", "--"],
      working_directory: "/srv/app",
      user: "1000:1000",
      readonly_root_filesystem: true,
      stop_timeout: 60,
      ulimits: { nofile: { soft: 65536, hard: 65536 } },
      init_process_enabled: true,
      docker_labels: { "com.example.team": "storefront" },
      health_check: { command: ["CMD-SHELL", "curl -f http://localhost/_health || exit 1"] },
      depends_on: { envoy: "HEALTHY" },
      mount_points: [{ volume: "uploads", path: "/srv/uploads" }],
    },
  );
}

export const sidecarSchema = z
  .strictObject(
    withExamples(
      {
        image: matching(/^\S+$/, "an image URI")
          .optional()
          .describe("The image to run. The action's `images` input overrides it by container name."),
        port: portSchema().optional().describe("The port the container listens on: 8080, or { number = 8080, … }."),
        essential: bool().default(true).describe("Whether the task stops when this container stops."),
        cpu: intIn(0, 16384).optional().describe("CPU units reserved for this container (1024 = 1 vCPU)."),
        memory: intIn(6, 122880).optional().describe("Hard memory limit for this container, in MiB."),
        ...containerFields("This container's"),
      },
      { image: "public.ecr.aws/nginx/nginx:1.27-alpine", port: 80, essential: false, cpu: 128, memory: 256 },
    ),
    { error: mustBe("a table") },
  )
  .describe("A sidecar container, next to the main one in the same task.");

export const sidecarName = containerName;
