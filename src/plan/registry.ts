// Pure: which images live in a private ECR registry (they must exist before we register a task definition that pulls
// them), and pinning by digest: a tag can be pushed again, so only a digest guarantees every task of this revision
// runs the same image.
import type { Problem } from "../errors.js";

/** A private ECR image URI, split into what DescribeImages needs. */
export interface EcrImage {
  /** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]`, kept as written to rebuild the pinned URI. */
  host: string;
  registryId: string;
  region: string;
  repository: string;
  /** `latest` when the URI has neither tag nor digest, as Docker reads it. */
  tag?: string;
  /** `sha256:<hex>`, as ECR writes `imageDigest`. */
  digest?: string;
}

export interface ImageResolution {
  container: string;
  uri: string;
  digest?: string;
  /** The URI to put in the task definition: `registry/repo@sha256:…` when pinned, else `uri`. */
  pinned: string;
}

export interface ResolvedImages {
  resolved: ImageResolution[];
  problems: Problem[];
  notices: string[];
}

// The registry host: IPv4 (`<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`) or dual-stack
// (`<account>.dkr-ecr[-fips].<region>.on.aws`).
const ECR_URI =
  /^((\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?|dkr-ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.on\.aws))\/([a-z0-9][a-z0-9._/-]*?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** Pure: the parts of a private ECR image URI; undefined for any other registry (public.ecr.aws, Docker Hub, ghcr…). */
export function parseEcrUri(uri: string): EcrImage | undefined {
  const match = ECR_URI.exec(uri);
  if (!match) return undefined;
  const [, host = "", registryId = "", ipv4Region, dualStackRegion, repository = "", tag, digest] = match;
  const image: EcrImage = { host, registryId, region: ipv4Region ?? dualStackRegion ?? "", repository };
  if (digest) image.digest = digest;
  if (tag) image.tag = tag;
  else if (!digest) image.tag = "latest";
  return image;
}

/**
 * Every container's image with what the lookups found: one problem or notice per distinct URI (sidecars often share
 * an image), and each private ECR image pinned by digest unless `pin` is false.
 */
export function resolveLookups(
  images: ReadonlyMap<string, string>,
  lookups: ReadonlyMap<string, Lookup>,
  pin: boolean,
): ResolvedImages {
  const result: ResolvedImages = { resolved: [], problems: [], notices: [] };
  for (const lookup of lookups.values()) {
    if (lookup.problem) result.problems.push({ key: "images", message: lookup.problem });
    if (lookup.notice) result.notices.push(lookup.notice);
  }
  for (const [container, uri] of images) result.resolved.push(resolution(container, uri, lookups.get(uri), pin));
  return result;
}

/** An image elsewhere than private ECR: it passes, and the user is told what was not done for it. */
export function notEcr(uri: string): Lookup {
  return {
    notice: `image \`${uri}\` is not in a private ECR registry: its existence was not checked and it is not pinned`,
  };
}

function resolution(container: string, uri: string, lookup: Lookup | undefined, pin: boolean): ImageResolution {
  const digest = lookup?.digest;
  if (!digest || !lookup.image) return { container, uri, pinned: uri };
  // A URI that already names a digest is pinned as the user wrote it (it may carry a tag for readers).
  const pinned = pin && !lookup.image.digest ? `${lookup.image.host}/${lookup.image.repository}@${digest}` : uri;
  return { container, uri, digest, pinned };
}

/** What DescribeImages said of one URI: the image's digest, or why it could not be checked. */
export interface Lookup {
  image?: EcrImage;
  digest?: string;
  problem?: string;
  notice?: string;
}

/** Why an image could not be found, in words: `name` is the AWS error's name, `text` its message. */
export function lookupProblem(uri: string, image: EcrImage, name: string | undefined, text: string, denied: boolean) {
  const where = `(registry ${image.registryId}, ${image.region})`;
  if (name === "ImageNotFoundException") {
    const check = image.digest ? "the digest" : "the tag";
    return `image \`${uri}\` not found in ECR repository \`${image.repository}\` ${where}: was it pushed? Check ${check}`;
  }
  if (name === "RepositoryNotFoundException") {
    return `image \`${uri}\`: ECR repository \`${image.repository}\` does not exist ${where}: check the repository name in the URI`;
  }
  // AWS usually names the action in its message; when it does not, awsCall can only say "grant the permission".
  const named = denied ? text.replace("grant the permission", "grant ecr:DescribeImages") : text;
  return `image \`${uri}\`: ${named}`;
}
