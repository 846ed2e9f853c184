// Pure: docs/config.md, generated from the config's JSON Schema (itself generated from the zod schema), so the
// reference says exactly what the code checks: every key, its type, default, allowed values, an example, and where
// it goes. Not part of the action's bundle: only the docs test imports it (`npm run schema` rewrites the file).

import { serviceShape } from "./service.js";

type Json = Record<string, unknown>;

/** Top-level keys the action itself reads: checks, names, where to deploy. They are not sent as such. */
const ACTION_KEYS = new Set([
  "account",
  "region",
  "cluster",
  "service",
  "deploy_order",
  "allowed_registries",
  "cross_account_roles",
  "extends",
]);
const SERVICE_KEYS = new Set(Object.keys(serviceShape));

interface Section {
  title: string;
  intro: string;
  /** The top-level key the section's keys belong to, for where they go. */
  top: string | undefined;
  node: Json;
}

/** `required`: the top-level keys the merged config must have (one file's schema requires none: see schema.ts). */
export function configReference(schema: Json, required: readonly string[] = []): string {
  const top = { ...schema, required: [...((schema.required ?? []) as string[]), ...required] };
  const sections: Section[] = [{ title: "Top level", intro: TOP_INTRO, top: undefined, node: top }];
  collectSections(schema, [], undefined, sections);
  return [HEADER, ...sections.map(renderSection), EDITOR].join("\n");
}

function properties(node: Json): Record<string, Json> {
  return (node.properties ?? {}) as Record<string, Json>;
}

/** The table form of a node: itself, the object of an anyOf (`port`), or a record's value (`containers.<name>`). */
function tableOf(node: Json): { table: Json; record: boolean } | undefined {
  if (node.properties) return { table: node, record: false };
  const object = ((node.anyOf ?? []) as Json[]).find((option) => option.properties);
  if (object) return { table: object, record: false };
  const value = node.additionalProperties as Json | undefined;
  if (value && typeof value === "object" && value.properties) return { table: value, record: true };
  if (node.type === "array" && (node.items as Json | undefined)?.properties)
    return { table: node.items as Json, record: false };
  return undefined;
}

function collectSections(node: Json, path: string[], top: string | undefined, out: Section[]): void {
  for (const [key, child] of Object.entries(properties(node))) {
    const form = tableOf(child);
    if (!form) continue;
    const here = [...path, form.record ? `${key}.<name>` : key];
    const title = child.type === "array" ? `${here.join(".")}[]` : `[${here.join(".")}]`;
    const intro = String(child.description ?? form.table.description ?? "");
    out.push({ title, intro, top: top ?? key, node: form.table });
    collectSections(form.table, here, top ?? key, out);
  }
}

function renderSection(section: Section): string {
  const rows = Object.entries(properties(section.node)).map(([key, node]) => {
    const required = ((section.node.required ?? []) as string[]).includes(key);
    return `| \`${key}\` | ${typeText(node)}${required ? " (required)" : ""} | ${defaultText(node)} | ${allowedText(node)} | ${goesTo(section.top ?? key)} | ${cell(String(node.description ?? ""))} | ${exampleText(key, node)} |`;
  });
  return [
    `## ${section.title}`,
    "",
    ...(section.intro ? [section.intro, ""] : []),
    "| key | type | default | allowed | goes to | meaning | example |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

function goesTo(top: string): string {
  if (SERVICE_KEYS.has(top)) return "service (UpdateService)";
  if (ACTION_KEYS.has(top)) return "the action";
  if (top === "pre_deploy") return "RunTask (pre-deploy)";
  return "task definition";
}

function typeText(node: Json): string {
  if (node.anyOf) return [...new Set((node.anyOf as Json[]).map(typeText))].join(" or ");
  if (node.enum) return "string";
  if (node.type === "array")
    return node.prefixItems ? "array of strings" : `array of ${plural(typeText((node.items ?? {}) as Json))}`;
  if (node.type === "object") {
    const value = node.additionalProperties;
    if (node.properties) return "table";
    return value && typeof value === "object" ? `table of name = ${typeText(value as Json)}` : "table";
  }
  if (Array.isArray(node.type)) return (node.type as string[]).join(" or ");
  return String(node.type ?? "any");
}

function plural(type: string): string {
  return type === "table" ? "tables" : `${type}s`;
}

function defaultText(node: Json): string {
  if (!("default" in node)) return "";
  return `\`${toml(node.default)}\``;
}

function allowedText(node: Json): string {
  const parts: string[] = [];
  const values = node.enum as unknown[] | undefined;
  if (values) parts.push(values.map((v) => `\`${toml(v)}\``).join(", "));
  const [min, max] = [node.minimum as number | undefined, node.maximum as number | undefined];
  if (min !== undefined && max !== undefined && max < Number.MAX_SAFE_INTEGER) parts.push(`${min} to ${max}`);
  else if (min !== undefined && min !== Number.MIN_SAFE_INTEGER) parts.push(`${min} or more`);
  if (node.minItems !== undefined || node.maxItems !== undefined) {
    parts.push(`${node.minItems ?? 0} to ${node.maxItems ?? "any number of"} items`);
  }
  if (node.anyOf) parts.push(...(node.anyOf as Json[]).map(allowedText).filter(Boolean));
  return parts.join("; ");
}

function exampleText(key: string, node: Json): string {
  const examples = node.examples as unknown[] | undefined;
  if (!examples || examples.length === 0)
    throw new Error(`config key \`${key}\` has no example: add one with withExamples`);
  return `\`${cell(`${key} = ${toml(examples[0])}`)}\``;
}

/** A value as TOML writes it inline. */
export function toml(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toml).join(", ")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)} = ${toml(v)}`,
    );
    return entries.length > 0 ? `{ ${entries.join(", ")} }` : "{}";
  }
  return String(value);
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

const HEADER = `<!-- Generated from the config schema (src/config/) by \`npm run schema\`; a test fails when it is stale. Do not edit. -->

# Config reference

One TOML file per service and environment (for example \`applications/web/jobs/web-prod.toml\`), named by the
action's \`config\` input, relative to the workspace. The guide's seven keys are a complete config; every other key
is optional, and what the file leaves out keeps its default or, for the service's own settings, its value in AWS.

- **Shared values.** \`extends = "../shared/universe.toml"\` (or a list, applied in order) builds on other files,
  each path relative to the file that names it: tables merge key by key, scalars and arrays are replaced by the
  nearer file, and a base may extend another. Every file stays in the workspace (no \`..\` out of it, no absolute
  path elsewhere, no symlink out), is a regular file of at most 1 MiB, and is UTF-8. The log's "Read config" step
  says which file gave which key; every problem is annotated on the file and line that wrote the key, which may be
  the shared file.
- **Every problem at once**, before any AWS call, each on its file, line and column (\`unknown key \\\`prot\\\` — did
  you mean \\\`port\\\`?\`). Unknown keys are refused; integers written as floats (\`2.0\`, \`1e10\`) are refused;
  control, bidi and other invisible characters in names and tags are refused and shown escaped.
- **Goes to** says where a key ends up: the task definition (RegisterTaskDefinition), the service (sent in
  UpdateService only when the file sets it, so a setting managed elsewhere survives a deploy), or the action itself
  (checks and names).
- **Required** keys are required in the merged config: any of them may come from a file it extends.
`;

const TOP_INTRO =
  "Keys at the top of the file. The main container's keys sit here too (its name is `container_name`, which defaults to `service`).";

const EDITOR = `## Editor set-up

[config.schema.json](../config.schema.json) is the JSON Schema of one config file, generated from the same schema
that validates it (every key optional there, since any key may come from a file it extends). With the Even Better
TOML extension (VS Code) or any editor using the taplo language server, start each file with a \`#:schema\` line
naming the schema of the release you use, and mistakes are underlined as you type, with each key's documentation on
hover. This URL works from any repository (your ops repository included); pin a full tag (\`v1.2.3\`) to match a
pinned workflow:

\`\`\`toml
#:schema https://raw.githubusercontent.com/ocf/deploy-action/v1/config.schema.json
extends = "../../../shared/universe.toml"
service = "web-prod"
\`\`\`

Inside this repository, [examples/](../examples/) uses the path relative to the TOML file
(\`#:schema ../../../../config.schema.json\`), so the examples check against the schema of the same commit.

Or map the files to the schema once, in a \`.taplo.toml\` at the repository root:

\`\`\`toml
[[rule]]
include = ["applications/**/jobs/*.toml", "shared/*.toml"]
[rule.schema]
path = "./config.schema.json"
\`\`\`

See [examples/](../examples/) for a shared universe file, dev and prod files that extend it, a service with a
sidecar and an EFS volume, and the guide's own \`config.toml\`.
`;
