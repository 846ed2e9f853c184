import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { configJsonSchema, requiredKeys } from "../../src/config/index.js";
import { configReference, toml } from "../../src/config/reference.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const committedFile = `${root}docs/config.md`;

/** As Biome formats Markdown (it pads tables), which `npm run lint` holds the committed file to. */
function formatted(markdown: string): string {
  const biome = `${root}node_modules/.bin/biome`;
  return execFileSync(biome, ["format", "--stdin-file-path=docs/config.md"], {
    input: markdown,
    cwd: root,
    encoding: "utf8",
  });
}

// The reference is generated from the schema like config.schema.json, and checked the same way: stale is a failure.
test("docs/config.md is the reference generated from the schema (WRITE_SCHEMA=1 rewrites it)", () => {
  const generated = formatted(configReference(configJsonSchema(), requiredKeys()));
  if (process.env.WRITE_SCHEMA === "1") writeFileSync(committedFile, generated);
  expect(readFileSync(committedFile, "utf8"), "docs/config.md is stale: run npm run schema").toBe(generated);
});

test("every key is in the reference with an example, and what it goes to", () => {
  const reference = configReference(configJsonSchema(), requiredKeys());
  for (const key of [
    "extends",
    "desired_count",
    "network",
    "subnets",
    "circuit_breaker",
    "mount_points",
    "file_system_id",
  ]) {
    expect(reference).toContain(`| \`${key}\` |`);
  }
  expect(requiredKeys()).toEqual(["account", "region", "cluster", "service", "execution_role_arn", "task_role_arn"]);
  // `port` is optional since a worker (no load balancer) listens on none (issue 18).
  expect(reference).toMatch(/\| `port` \| integer or table \|/);
  expect(reference).toMatch(/\| `deploy_order` \| integer \|/);
  expect(reference).toMatch(/\| `desired_count` \| integer \|[^\n]*\| service \(UpdateService\) \|/);
  expect(reference).toMatch(/\| `ephemeral_storage` \| integer \|[^\n]*\| task definition \|/);
  expect(reference).toMatch(/\| `allowed_registries` \|[^\n]*\| the action \|/);
  expect(() => configReference({ properties: { x: { type: "string" } } })).toThrow("config key `x` has no example");
});

test("examples are written as TOML", () => {
  expect(toml({ names: ["a"], rollback: true, "a.b": 1 })).toBe('{ names = ["a"], rollback = true, "a.b" = 1 }');
});

test("npm run schema rewrites both generated files", () => {
  const scripts = JSON.parse(readFileSync(`${root}package.json`, "utf8")).scripts;
  expect(scripts.schema).toContain("__tests__/config/json-schema.test.ts");
  expect(scripts.schema).toContain("__tests__/config/reference.test.ts");
});
