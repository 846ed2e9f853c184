// Pure: an image reference parsed by the OCI distribution rules (github.com/distribution/reference): an optional
// registry host and port, a repository of lower-case path components, a tag of at most 128 characters, a digest.
// Anything else is refused with what is wrong, because ECS would register it and only fail when a task pulls it.

import { escapeInvisible, hasInvisible } from "../../config/index.js";

export interface ImageReference {
  /** `host[:port]` as written; `docker.io` when the reference names none (Docker Hub). */
  registry: string;
  /** Whether the registry was written, or implied (Docker Hub). */
  registryWritten: boolean;
  repository: string;
  tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  digest?: string;
}

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9A-Fa-f:.]+\\])(?::(\\d+))?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha512: 128 };
const MAX_NAME = 255;

/** The parsed reference, or why `text` is not one (a sentence about the reference, without naming its source). */
export function parseImageReference(text: string): ImageReference | string {
  const shown = `\`${escapeInvisible(text)}\``;
  if (!text) return "an entry has no image URI";
  if (hasInvisible(text)) return `${shown} contains an invisible or control character`;
  if (/\s/.test(text)) return `${shown} contains white space`;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(text)?.[0];
  if (scheme)
    return `${shown} starts with ${scheme}: an image reference has no URL scheme; write ${text.slice(scheme.length)}`;
  const [name = "", digest, ...more] = text.split("@");
  if (more.length > 0) return `${shown} has more than one @`;
  if (digest === "") return `${shown} has an empty digest`;
  const digestProblem = digest === undefined ? undefined : checkDigest(digest);
  if (digestProblem) return `${shown}: ${digestProblem}`;
  // A `:` after the last `/` starts the tag; one before it is a registry's port.
  const slash = name.lastIndexOf("/");
  const [last = "", ...tags] = name.slice(slash + 1).split(":");
  if (tags.length > 1) return `${shown} has more than one tag (\`:${tags.join(":")}\`): an image has one tag at most`;
  const tag = tags[0];
  if (tag === "") return `${shown} has an empty tag`;
  const path = name.slice(0, slash + 1) + last;
  const tagProblem = tag === undefined ? undefined : checkTag(tag);
  if (tagProblem) return `${shown}: ${tagProblem}`;
  const parsed = parseName(path);
  if (typeof parsed === "string") return `${shown}: ${parsed}`;
  return { ...parsed, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

function checkDigest(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return `the digest \`${digest}\` is not algorithm:hex (e.g. sha256: and 64 hex digits)`;
  const [algorithm = "", hex = ""] = digest.split(":");
  const length = DIGEST_LENGTHS[algorithm];
  if (length !== undefined && (hex.length !== length || /[A-F]/.test(hex))) {
    return `the digest \`${digest}\` is not ${algorithm}: and ${length} lower-case hex digits`;
  }
  return undefined;
}

function checkTag(tag: string): string | undefined {
  if (tag.length > 128) return `the tag is ${tag.length} characters long; a tag has at most 128`;
  if (!TAG.test(tag)) return `the tag \`${tag}\` may hold only letters, digits, _ . and -, and not start with . or -`;
  return undefined;
}

/** `registry/path/name`: the registry is the first component when it has a `.` or `:`, or is `localhost`. */
function parseName(name: string): Omit<ImageReference, "tag" | "digest"> | string {
  if (name.length > MAX_NAME)
    return `the name is ${name.length} characters long; an image name has at most ${MAX_NAME}`;
  const components = name.split("/");
  const first = components[0] ?? "";
  const hasRegistry = components.length > 1 && (/[.:]/.test(first) || first === "localhost");
  const path = hasRegistry ? components.slice(1) : components;
  if (hasRegistry) {
    const host = HOST.exec(first);
    if (!host) return `the registry \`${first}\` is not a host name (or host:port)`;
    if (host[1] !== undefined && Number(host[1]) > 65535) return `the registry port ${host[1]} is above 65535`;
  }
  for (const component of path) {
    if (component === "") return "the repository has an empty path component (`//`, or a `/` at an end)";
    if (!PATH_COMPONENT.test(component)) {
      const why = /[A-Z]/.test(component)
        ? "repository names are lower case"
        : "use lower-case letters and digits, separated by . _ __ or -";
      return `\`${component}\` is not a repository path component: ${why}`;
    }
  }
  return { registry: hasRegistry ? first : "docker.io", registryWritten: hasRegistry, repository: path.join("/") };
}

/** The reference written back, registry included (as written). */
export function formatReference(ref: ImageReference): string {
  const name = ref.registryWritten ? `${ref.registry}/${ref.repository}` : ref.repository;
  return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ""}${ref.digest !== undefined ? `@${ref.digest}` : ""}`;
}
