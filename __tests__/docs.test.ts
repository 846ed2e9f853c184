// Docs that cannot drift: what the README and docs/iam.md copy from another file (action.yml's inputs and outputs,
// the shared workflow's inputs, the production example, `deploy-action --help`, the IAM policy) is what
// `npm run docs` writes from that file today.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { inputsTable, renderDocs, table } from "../scripts/docs.mjs";
import { USAGE } from "../src/cli.js";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
/** The widest description sets every row's length (Biome pads tables): about 120 characters, not 248. */
const MAX_ROW = 125;

describe("generated docs", () => {
  const rendered = renderDocs(read, { help: USAGE });

  it.each(Object.keys(rendered))("%s is what `npm run docs` writes", (path) => {
    expect(read(path), `${path} is stale: run npm run docs`).toBe(rendered[path]);
  });

  it("the README's tables name every input and output of action.yml, with its default", () => {
    const action = parse(read("action.yml"));
    const readme = read("README.md");
    for (const [name, spec] of Object.entries<{ default?: string }>(action.inputs)) {
      expect(readme).toMatch(
        new RegExp(
          `\\| \`${name}\` +\\| ${spec.default === undefined ? "\\(required\\)" : `\`${literal(spec.default)}\``}`,
        ),
      );
    }
    for (const name of Object.keys(action.outputs)) expect(readme).toContain(`| \`${name}\` `);
  });

  it("keeps the tables' rows short", () => {
    const section = (name: string) => {
      const readme = read("README.md");
      return readme.slice(readme.indexOf(`<!-- ${name}:start -->`), readme.indexOf(`<!-- ${name}:end -->`));
    };
    for (const name of ["inputs", "outputs"]) {
      const rows = section(name)
        .split("\n")
        .filter((l) => l.startsWith("|"));
      expect(rows.length).toBeGreaterThan(5);
      for (const row of rows) expect([...row].length, row).toBeLessThanOrEqual(MAX_ROW);
    }
  });

  it("shows the policy file in docs/iam.md, byte for byte", () => {
    expect(read("docs/iam.md")).toContain(`\`\`\`json\n${read("docs/iam-policy.json").trimEnd()}\n\`\`\``);
  });

  it("fails on a README without the markers rather than write somewhere else", () => {
    const files: Record<string, string> = { "README.md": "no markers here" };
    expect(() => renderDocs((p) => files[p] ?? read(p), { help: USAGE })).toThrow(
      /README.md lacks the <!-- inputs:start -->/,
    );
  });
});

describe("the changelog", () => {
  it("has a section for package.json's version: the release workflow takes its notes from there", () => {
    const { version } = JSON.parse(read("package.json")) as { version: string };
    expect(read("CHANGELOG.md")).toMatch(new RegExp(`^## \\[${literal(version)}\\]$`, "m"));
  });
});

describe("table", () => {
  it("pads each column to its widest cell, as Biome formats markdown tables", () => {
    expect(table(["a", "bb"], [["ccc", "→"]])).toBe("| a   | bb  |\n| --- | --- |\n| ccc | →   |");
    expect(inputsTable("inputs:\n  x:\n    description: one\n      two\n    required: true\n")).toContain(
      "| `x`   | (required) | one two     |",
    );
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
