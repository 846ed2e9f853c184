// `npm run docs`: the parts of the docs that another file states, written from it so that they cannot drift: the
// README's inputs and outputs tables from action.yml, its production example from examples/workflows/, docs/cli.md's
// copy of `deploy-action --help` from the bundle, and docs/iam.md's policy from docs/iam-policy.json.
// `npm run docs -- --check` writes nothing and fails when a file differs (__tests__/docs.test.ts does the same).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * A markdown table padded as Biome formats one (each column as wide as its widest cell), so `npm run lint` and
 * this script agree on every byte.
 * @param {string[]} header
 * @param {string[][]} rows
 */
export function table(header, rows) {
  const width = (text) => [...text].length;
  const widths = header.map((h, i) => Math.max(width(h), 3, ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells) => `| ${cells.map((c, i) => c + " ".repeat((widths[i] ?? 0) - width(c))).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** @param {string} actionYml */
export function inputsTable(actionYml) {
  const inputs = parse(actionYml).inputs ?? {};
  const rows = Object.entries(inputs).map(([name, spec]) => [
    `\`${name}\``,
    spec.default === undefined ? "(required)" : `\`${spec.default}\``,
    oneLine(spec.description),
  ]);
  return table(["input", "default", "description"], rows);
}

/** @param {string} actionYml */
export function outputsTable(actionYml) {
  const outputs = parse(actionYml).outputs ?? {};
  const rows = Object.entries(outputs).map(([name, spec]) => [`\`${name}\``, oneLine(spec.description)]);
  return table(["output", "description"], rows);
}

function oneLine(text) {
  return String(text ?? "")
    .replace(/\s+/g, " ")
    .trim();
}

/** The reusable workflow's inputs as a list: `name` (required or its default): description. */
export function workflowInputs(workflowYml) {
  const inputs = parse(workflowYml).on?.workflow_call?.inputs ?? {};
  return Object.entries(inputs)
    .map(([name, spec]) => {
      const given = spec.required ? "required" : spec.default === "" ? "optional" : `default \`${spec.default}\``;
      return `- \`${name}\` (${given}): ${oneLine(spec.description)}`;
    })
    .join("\n");
}

/** `text` with what stands between `<!-- name:start -->` and `<!-- name:end -->` replaced by `content`. */
export function between(text, name, content, file) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} lacks the ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** `deploy-action --help`, as the bundle prints it (npm run bundle first). */
function bundleHelp() {
  return execFileSync(process.execPath, [join(ROOT, "dist", "cli.js"), "--help"], { encoding: "utf8" });
}

/**
 * Every generated file as it should read.
 * @param {(path: string) => string} read
 * @param {{ help?: string }} from `help`: the command line's usage text (default: the bundle's)
 * @returns {Record<string, string>}
 */
export function renderDocs(read = (path) => readFileSync(join(ROOT, path), "utf8"), from = {}) {
  const actionYml = read("action.yml");
  let readme = read("README.md");
  readme = between(readme, "inputs", inputsTable(actionYml), "README.md");
  readme = between(readme, "outputs", outputsTable(actionYml), "README.md");
  readme = between(readme, "workflow-inputs", workflowInputs(read(".github/workflows/deploy.yml")), "README.md");
  const example = read("examples/workflows/deploy-prod.yml").trimEnd();
  readme = between(readme, "example-prod", `\`\`\`yaml\n${example}\n\`\`\``, "README.md");
  const help = (from.help ?? bundleHelp()).trimEnd();
  const cli = between(read("docs/cli.md"), "cli-help", `\`\`\`text\n${help}\n\`\`\``, "docs/cli.md");
  const policy = read("docs/iam-policy.json").trimEnd();
  const iam = between(read("docs/iam.md"), "policy", `\`\`\`json\n${policy}\n\`\`\``, "docs/iam.md");
  return { "README.md": readme, "docs/cli.md": cli, "docs/iam.md": iam };
}

function main() {
  const check = process.argv.includes("--check");
  const stale = [];
  for (const [path, text] of Object.entries(renderDocs())) {
    const file = join(ROOT, path);
    if (readFileSync(file, "utf8") === text) continue;
    stale.push(path);
    if (!check) writeFileSync(file, text);
  }
  if (check && stale.length > 0) {
    process.stderr.write(`${stale.join(", ")}: not what action.yml and docs/iam-policy.json say; run npm run docs\n`);
    process.exit(1);
  }
  process.stdout.write(stale.length > 0 ? `wrote ${stale.join(", ")}\n` : "docs are up to date\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
