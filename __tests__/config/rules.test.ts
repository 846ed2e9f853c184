// What RegisterTaskDefinition (or the first task) would refuse, refused while reading the config, at the key to fix.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { guideProblems, guideToml, problemsOf } from "../support/config.js";

const messages = (extra: string) => guideProblems(extra).map((p) => [p.key, p.message]);

describe("values AWS would refuse", () => {
  it.each([
    [
      "desired_count = 5001",
      "`desired_count` must be an integer from 0 to 5000 (ECS's tasks-per-service quota), got the number 5001",
    ],
    [
      "desired_count = 2.5",
      "`desired_count` must be an integer from 0 to 5000 (ECS's tasks-per-service quota), got the number 2.5",
    ],
    ["stop_timeout = 121", "`stop_timeout` must be an integer from 1 to 120, got the number 121"],
    ["ephemeral_storage = 20", "`ephemeral_storage` must be an integer from 21 to 200, got the number 20"],
    ['propagate_tags = "ALL"', '`propagate_tags` must be "SERVICE", "TASK_DEFINITION" or "NONE", got the string "ALL"'],
    ["ulimits = { nofile = { soft = 10, hard = 5 } }", "`ulimits.nofile` has a soft limit above its hard limit"],
  ])("%s", (line, message) => {
    expect(messages(`${line}\n`)).toContainEqual([expect.any(String), message]);
  });

  it("more than 10 containers in a task", () => {
    const sidecars = Array.from({ length: 10 }, (_, i) => `[containers.s${i}]\nimage = "s:${i}"\n`).join("");
    expect(messages(sidecars)).toEqual([
      [
        "containers",
        "the task has 11 containers (the main one and 10 sidecars); ECS allows at most 10 in a task definition",
      ],
    ]);
  });

  it("a role in another account, unless the config says so", () => {
    const other = guideToml.replace(
      /^execution_role_arn = .*$/m,
      'execution_role_arn = "arn:aws:iam::111111111111:role/x"',
    );
    expect(() => parseConfig(`${other}cross_account_roles = true\n`, "a.toml")).not.toThrow();
    const problems = problemsOf(() => parseConfig(other, "a.toml"));
    expect(problems.map((p) => p.message)).toContain(
      "`execution_role_arn` is a role in account 111111111111, but the config deploys to 879613780019 (`account`): use a role of that account, or set `cross_account_roles = true` if this is meant",
    );
  });

  it("invisible characters in tags and labels are refused, and shown escaped, never raw", () => {
    const problems = guideProblems('[tags]\n"team\u202E" = "x"\nowner = "a\u200Bb"\n');
    const text = problems.map((p) => `${p.key} ${p.message}`).join("\n");
    expect(text).not.toMatch(/[\u202E\u200B]/);
    expect(text).toContain('tags."team\\u{202E}"');
    expect(text).toContain("U+200B");
  });
});

describe("containers that cannot start together", () => {
  it.each([
    [
      '[containers.envoy]\nimage = "e:1"\n[containers.app]\nimage = "a:1"\ndepends_on = { envoy = "HEALTHY" }\n',
      "`containers.app.depends_on` waits for `envoy` to be HEALTHY, but it has no health_check",
    ],
    [
      '[containers.migrate]\nimage = "m:1"\n[containers.app]\nimage = "a:1"\ndepends_on = { migrate = "SUCCESS" }\n',
      "`containers.app.depends_on` waits for `migrate` to succeed: an essential container must keep running, so it never completes; set `essential = false` on it",
    ],
    [
      'mount_points = [{ volume = "data", path = "/data" }]\n',
      "`mount_points[0].volume` names `data`, which is not a volume here; [volumes] defines none",
    ],
    [
      '[volumes.data]\nfile_system_id = "fs-0123456789abcdef0"\naccess_point_id = "fsap-0123456789abcdef0"\n',
      "`volumes.data.access_point_id` needs `transit_encryption = true` in [volumes.data]: EFS refuses it over an unencrypted mount",
    ],
    [
      '[volumes.data]\nfile_system_id = "fs-0123456789abcdef0"\naccess_point_id = "fsap-0123456789abcdef0"\ntransit_encryption = true\nroot_directory = "/x"\n',
      '`volumes.data.root_directory` must be left out (or "/") with an access point: the access point sets the directory',
    ],
    [
      'cpu = 1024\nmemory = 2048\n[runtime_platform]\ncpu_architecture = "ARM64"\noperating_system_family = "WINDOWS_SERVER_2022_CORE"\n',
      "`runtime_platform.operating_system_family` WINDOWS_SERVER_2022_CORE runs on X86_64 only on Fargate, not ARM64",
    ],
    [
      'cpu_architecture = "ARM64"\n[runtime_platform]\ncpu_architecture = "ARM64"\n',
      "`cpu_architecture` is set twice, at the top and in [runtime_platform]: keep the one in [runtime_platform]",
    ],
    [
      '[environment]\nDB = "x"\n[secrets]\nDB = "arn:aws:ssm:us-east-1:879613780019:parameter/db"\n',
      "`secrets.DB` has the name of a variable in `environment`: remove one of them",
    ],
  ])("%#", (extra, message) => {
    expect(messages(extra).map(([, m]) => m)).toContain(message);
  });
});
