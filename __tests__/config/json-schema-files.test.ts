// The committed JSON Schema is what editors check files with (Even Better TOML / taplo, `#:schema`): a JSON Schema
// validator must accept every example, reject every known-bad file, and agree with the action on both.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "smol-toml";
import { describe, expect, test } from "vitest";
import { loadConfig } from "../../src/workspace.js";
import { fixturePath } from "../support/config.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const schema = JSON.parse(readFileSync(`${root}config.schema.json`, "utf8"));
// strictTuples off: the health check command is a tuple with a rest (["CMD-SHELL", "…", …]), open-ended on purpose.
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, strictTuples: false });
const validate = ajv.compile(schema);

/** Every TOML file under a folder, as paths relative to it. */
function tomlFiles(dir: string, prefix = ""): string[] {
  return readdirSync(`${dir}/${prefix}`, { withFileTypes: true }).flatMap((entry) => {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return tomlFiles(dir, `${path}/`);
    return path.endsWith(".toml") ? [path] : [];
  });
}

const examples = tomlFiles(`${root}examples`);
const configs = examples.filter((path) => path === "config.toml" || path.includes("/jobs/"));

describe("every example", () => {
  test("the examples are there: a universe file, dev and prod, a sidecar with EFS, the guide's file", () => {
    expect(examples.sort()).toEqual([
      "applications/cms/jobs/cms-prod.toml",
      "applications/web/jobs/web-dev.toml",
      "applications/web/jobs/web-prod.toml",
      "config.toml",
      "shared/universe.toml",
    ]);
  });

  test.each(examples)("%s is valid for the JSON Schema", (path) => {
    const valid = validate(parse(readFileSync(`${root}examples/${path}`, "utf8")));
    expect(validate.errors ?? [], path).toEqual([]);
    expect(valid).toBe(true);
  });

  test.each(configs)("%s loads with the files it extends", (path) => {
    expect(loadConfig(`${root}examples`, path).service).toMatch(/^(web|cms)-(dev|prod)$|^NAME-test$/);
  });

  test("each app file starts with the #:schema line editors read", () => {
    for (const path of examples.filter((p) => p !== "config.toml")) {
      expect(readFileSync(`${root}examples/${path}`, "utf8").split("\n")[0], path).toMatch(
        /^#:schema (\.\.\/)+config\.schema\.json$/,
      );
    }
  });
});

describe("known-bad files", () => {
  const bad = tomlFiles(fixturePath("bad"));

  test("there is a set of them", () => {
    expect(bad.length).toBeGreaterThanOrEqual(15);
  });

  test.each(bad)("%s is rejected by the JSON Schema", (path) => {
    expect(validate(parse(readFileSync(fixturePath(`bad/${path}`), "utf8")))).toBe(false);
  });

  test.each(bad)("%s is rejected by the action too", (path) => {
    expect(() => loadConfig(fixturePath("bad"), path)).toThrow();
  });
});
