// `[[pre_deploy]]`: one-off tasks (a database migration, a cache warm-up) that run with the new revision after it is
// registered and before the service moves to it. The deploy goes on only when each has exited 0.

import * as z from "zod";
import type { CheckIssue } from "./checks.js";
import { ecsName, environmentTable, mustBe, visibleString, withExamples } from "./fields.js";
import { formatKey, type KeyPath } from "./keys.js";

/** Tasks run one after the other, each up to its timeout: a handful is what a deploy can wait for. */
export const MAX_PRE_DEPLOY = 10;
/** RunTask's limit on `overrides`: 8192 characters in all, JSON punctuation included. */
export const MAX_OVERRIDES_CHARS = 8192;
const COMMAND_EXAMPLE = 'an array of strings, e.g. ["bin/rails", "db:migrate"]';

export const preDeploySchema = z
  .strictObject(
    withExamples(
      {
        name: visibleString("a name for the log")
          .pipe(z.string().min(1, { error: "must not be empty" }).max(64, { error: "must be at most 64 characters" }))
          .optional()
          .describe("The task's name in the log and the job summary. Default: its command."),
        command: z
          .array(visibleString("a string"), { error: mustBe(COMMAND_EXAMPLE) })
          .min(1, { error: `must name the program to run: ${COMMAND_EXAMPLE}` })
          .describe("The command the container runs instead of its own: the program and its arguments."),
        container: ecsName("a container name")
          .optional()
          .describe("The container that runs the command. Default: the main container (container_name)."),
        timeout: z
          .number({ error: mustBe("a number of minutes") })
          .min(0.05, { error: mustBe("a number of minutes from 0.05 to 1440") })
          .max(1440, { error: mustBe("a number of minutes from 0.05 to 1440") })
          .default(15)
          .describe("Minutes the task may run. Past them it is stopped (StopTask) and the deploy fails."),
        environment: environmentTable()
          .default({})
          .describe("Extra environment variables for this run only, beside the container's own: NAME = value."),
        // A job log may be public (a public repository's is): a migration's output can hold data and secrets that
        // redaction cannot recognise, so it is shown only as far as the config says.
        print_logs: z
          .enum(["all", "failure", "none"], { error: mustBe('"all", "failure" or "none"') })
          .default("failure")
          .describe(
            'Which of the task\'s log lines reach the job log and summary, redacted: "all" as they come, "failure" (default) the last lines when it fails, "none".',
          ),
      },
      {
        name: "migrate",
        command: ["bin/rails", "db:migrate"],
        container: "app",
        timeout: 10,
        environment: { RAILS_LOG_LEVEL: "info" },
        print_logs: "failure",
      },
    ),
    { error: mustBe("a table: write each task as [[pre_deploy]]") },
  )
  .describe(
    "A one-off task run with the new revision before the deploy: [[pre_deploy]] with command = [...]. The deploy goes on only when it exits 0.",
  );

export const preDeployList = z
  .array(preDeploySchema, { error: mustBe("an array of tables: write each task as [[pre_deploy]]") })
  .max(MAX_PRE_DEPLOY, { error: `may hold at most ${MAX_PRE_DEPLOY} tasks` })
  .optional()
  .describe(
    "One-off tasks run in order after the new revision is registered and before UpdateService, with the service's network: [[pre_deploy]] tables.",
  );

export type PreDeployConfig = z.output<typeof preDeploySchema>;

interface Tasks {
  service: string;
  container_name?: string | undefined;
  containers: Record<string, unknown>;
  pre_deploy?: z.input<typeof preDeploySchema>[] | undefined;
}

/**
 * Each task's container is one of this config's, and its overrides fit RunTask's limit: said while reading the
 * file, at the task's line, rather than by RunTask once the revision is registered.
 */
export const preDeployTasks = {
  reads: (path: KeyPath) =>
    ["pre_deploy", "service", "container_name"].includes(String(path[0])) ||
    (path[0] === "containers" && path.length <= 2),
  run(config: Tasks): CheckIssue[] {
    const main = config.container_name ?? config.service;
    const names = [main, ...Object.keys(config.containers)];
    return (config.pre_deploy ?? []).flatMap((task, i) => {
      const container = task.container ?? main;
      if (!names.includes(container)) {
        const path = ["pre_deploy", i, "container"];
        const known = names.map((n) => `\`${n}\``).join(", ");
        return [
          { path, message: `\`${formatKey(path)}\` names \`${container}\`, which is not a container here: ${known}` },
        ];
      }
      const size = overridesText(container, task.command, task.environment ?? {}).length;
      if (size <= MAX_OVERRIDES_CHARS) return [];
      const path = ["pre_deploy", i];
      const message = `\`${formatKey(path)}\`: its command and environment take ${size} characters in RunTask's overrides; ECS allows ${MAX_OVERRIDES_CHARS}`;
      return [{ path, message }];
    });
  },
};

/** The RunTask `overrides` of one task, as the request sends them: what its size limit counts. */
export function overridesText(
  container: string,
  command: readonly string[],
  environment: Readonly<Record<string, unknown>>,
): string {
  const env = Object.entries(environment).map(([name, value]) => ({ name, value: String(value) }));
  return JSON.stringify({
    containerOverrides: [{ name: container, command, ...(env.length > 0 ? { environment: env } : {}) }],
  });
}
