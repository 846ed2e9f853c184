import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { configJsonSchema } from "../../src/config/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const committedFile = `${root}config.schema.json`;

// The committed file is what editors load; it must say exactly what the code enforces. Compared as JSON, not text,
// because Biome formats the file (short arrays on one line) differently from JSON.stringify.
test("config.schema.json is the schema generated from src/config (WRITE_SCHEMA=1 rewrites it)", () => {
  const generated = configJsonSchema();
  if (process.env.WRITE_SCHEMA === "1") {
    writeFileSync(committedFile, `${JSON.stringify(generated, null, 2)}\n`);
    execFileSync(`${root}node_modules/.bin/biome`, ["format", "--write", committedFile], { cwd: root });
  }
  const committed: unknown = JSON.parse(readFileSync(committedFile, "utf8"));
  expect(
    committed,
    "config.schema.json is stale: run WRITE_SCHEMA=1 vitest run test/config/json-schema.test.ts",
  ).toEqual(generated);
});
