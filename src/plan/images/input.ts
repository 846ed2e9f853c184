// Pure: the `images` input → one image URI per container of the config.
import type { Config } from "../../config/index.js";
import { suggestKey } from "../../config/index.js";
import { InputError, type Locate, locateProblems, type Problem } from "../../errors.js";
import { parseImageReference } from "./reference.js";
import { ecrLookalike, ecrNameProblem } from "./registry.js";

/** Container name → image URI, main container first. */
export type ImageMap = Map<string, string>;

interface ImageItem {
  container: string | undefined;
  uri: string;
}

/**
 * Accepts URIs separated by newlines or commas. `name=uri` assigns an image to a named container;
 * a bare URI goes to the main container. A sidecar without one uses the `image` in its config table.
 */
export function resolveImages(raw: string, config: Config, locate: Locate = () => undefined): ImageMap {
  const problems: Problem[] = [];
  const items = splitImages(raw);
  const names = [config.container_name, ...Object.keys(config.containers)];
  const assigned = new Map<string, string>();

  for (const item of items) {
    const container = item.container ?? config.container_name;
    const problem = checkUri(item.uri, INPUT, config.allowed_registries) ?? checkContainer(item, names);
    if (problem) problems.push({ key: "images", message: problem });
    else if (assigned.has(container)) {
      problems.push({ key: "images", message: `input \`images\`: two images for container \`${container}\`` });
    } else assigned.set(container, item.uri);
  }

  const images: ImageMap = new Map();
  for (const name of names) {
    const fromConfig = assigned.has(name) ? undefined : config.containers[name]?.image;
    const bad =
      fromConfig === undefined
        ? undefined
        : checkUri(fromConfig, `[containers.${name}] image`, config.allowed_registries);
    if (bad) problems.push({ key: `containers.${name}.image`, message: bad });
    const uri = assigned.get(name) ?? fromConfig;
    if (uri) images.set(name, uri);
    else if (!problems.length) problems.push({ key: "images", message: missingImage(name, config) });
  }
  if (problems.length > 0) {
    throw new InputError("The `images` input does not fit the config", locateProblems(problems, locate));
  }
  return images;
}

export function splitImages(raw: string): ImageItem[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const named = /^([A-Za-z0-9_-]+)=(.*)$/.exec(entry);
      return named ? { container: named[1], uri: (named[2] ?? "").trim() } : { container: undefined, uri: entry };
    });
}

/** `where` names the source: the input, or the config table a sidecar's default image comes from. */
const INPUT = "input `images`";

function checkUri(uri: string, where = INPUT, allowed?: readonly string[]): string | undefined {
  const ref = parseImageReference(uri);
  if (typeof ref === "string") {
    // From the input, the usual cause of an empty tag is `app:${{ inputs.version }}` with an empty version.
    const hint = where === INPUT && /(:|@)$/.test(uri) ? " — is the version input empty?" : "";
    return `${where}: ${ref}${hint}`;
  }
  const lookalike = ecrLookalike(ref.registry);
  if (lookalike) return `${where}: image \`${uri}\`: ${lookalike}`;
  const name = ecrNameProblem(uri);
  if (name) return `${where}: ${name}`;
  if (allowed && !allowed.some((pattern) => registryMatches(pattern, ref.registry))) {
    const list = allowed.map((p) => `\`${p}\``).join(", ");
    return `${where}: image \`${uri}\` is from the registry \`${ref.registry}\`, which \`allowed_registries\` does not list (${list})`;
  }
  return undefined;
}

/** `ghcr.io` matches that host alone; `*.example.com` any host below example.com. */
function registryMatches(pattern: string, registry: string): boolean {
  return pattern.startsWith("*.") ? registry.endsWith(pattern.slice(1)) : pattern === registry;
}

/** What the user should know about the images read: one naming no tag runs whatever `latest` points at. */
export function imageNotices(images: ImageMap): string[] {
  return [...new Set(images.values())].flatMap((uri) => {
    const ref = parseImageReference(uri);
    if (typeof ref === "string" || ref.tag !== undefined || ref.digest !== undefined) return [];
    return [`image \`${uri}\` has no tag: it was read as \`${uri}:latest\``];
  });
}

function checkContainer(item: ImageItem, names: string[]): string | undefined {
  if (item.container === undefined || names.includes(item.container)) return undefined;
  const hint = suggestKey(item.container, names);
  const suggestion = hint ? ` — did you mean \`${hint}\`?` : "";
  return `input \`images\`: no container \`${item.container}\` in the config${suggestion} (containers: ${names.join(", ")})`;
}

function missingImage(name: string, config: Config): string {
  if (name === config.container_name) {
    return `input \`images\`: no image for the main container \`${name}\` (give a bare URI or \`${name}=URI\`)`;
  }
  return `input \`images\`: no image for container \`${name}\`: add \`${name}=URI\` to \`images\` or \`image\` to [containers.${name}] in the config`;
}
