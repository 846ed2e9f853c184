// Pure: the `images` input → one image URI per container of the config.
import type { Config } from "../config/index.js";
import { suggestKey } from "../config/suggest.js";
import { InputError, type Locate, locateProblems, type Problem } from "../errors.js";

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
    const problem = checkUri(item.uri) ?? checkContainer(item, names);
    if (problem) problems.push({ key: "images", message: problem });
    else if (assigned.has(container)) {
      problems.push({ key: "images", message: `input \`images\`: two images for container \`${container}\`` });
    } else assigned.set(container, item.uri);
  }

  const images: ImageMap = new Map();
  for (const name of names) {
    const fromConfig = assigned.has(name) ? undefined : config.containers[name]?.image;
    const bad = fromConfig === undefined ? undefined : checkUri(fromConfig, `[containers.${name}] image`);
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

function checkUri(uri: string, where = INPUT): string | undefined {
  if (!uri) return `${where}: an entry has no image URI`;
  if (/\s/.test(uri)) return `${where}: \`${uri}\` contains white space`;
  if (uri.endsWith(":") || uri.endsWith("@")) {
    // From the input, the usual cause is `app:${{ inputs.version }}` with an empty version.
    const hint = where === INPUT ? " — is the version input empty?" : "";
    return `${where}: \`${uri}\` has an empty tag${hint}`;
  }
  // Registry and repository are lower case (Docker's rule, and ECR's); a tag may be mixed case.
  if (!/^[a-z0-9][a-z0-9._\-/:]*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.test(uri)) {
    const hint = /[A-Z]/.test(uri.split(/[:@]/)[0] ?? "") ? "; repository names are lower case" : "";
    return `${where}: \`${uri}\` is not an image URI (expected registry/repository:tag or @sha256:digest${hint})`;
  }
  return undefined;
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
