// Pure: which images live in a private ECR registry (they must exist before we register a task definition that pulls
// them), and pinning by digest: a tag can be pushed again, so only a digest guarantees every task of this revision
// runs the same image.
import type { Problem } from "../../errors.js";
import { parseImageReference } from "./reference.js";

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
  /** Images that were not checked or pinned (not in private ECR): said as warnings. */
  warnings: string[];
}

// The registry host: IPv4 (`<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`) or dual-stack
// (`<account>.dkr-ecr[-fips].<region>.on.aws`).
const ECR_HOST =
  /^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?|dkr-ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.on\.aws)$/;
// What only an ECR host has: a host with this that does not parse as one is a mistake, or a look-alike.
const LOOKS_LIKE_ECR = /(^|\.)dkr[.-]ecr([.-]|$)/;

/** Pure: the parts of a private ECR image URI; undefined for any other registry (public.ecr.aws, Docker Hub, ghcr…). */
export function parseEcrUri(uri: string): EcrImage | undefined {
  const ref = parseImageReference(uri);
  if (typeof ref === "string") return undefined;
  const match = ECR_HOST.exec(ref.registry);
  if (!match) return undefined;
  const [, registryId = "", ipv4Region, dualStackRegion] = match;
  const image: EcrImage = {
    host: ref.registry,
    registryId,
    region: ipv4Region ?? dualStackRegion ?? "",
    repository: ref.repository,
  };
  if (ref.digest) image.digest = ref.digest;
  if (ref.tag) image.tag = ref.tag;
  else if (!ref.digest) image.tag = "latest";
  return image;
}

/** ECR's repository names are 2 to 256 characters: a shorter or longer one is refused here, not by DescribeImages. */
export function ecrNameProblem(uri: string): string | undefined {
  const image = parseEcrUri(uri);
  const length = image?.repository.length ?? 2;
  if (length >= 2 && length <= 256) return undefined;
  return `image \`${uri}\`: ECR repository names are 2 to 256 characters, and \`${image?.repository}\` has ${length}: check the repository name in the URI`;
}

/** Why a registry host that looks like ECR is not one (a wrong account or region shape, a suffix), or undefined. */
export function ecrLookalike(registry: string): string | undefined {
  if (!LOOKS_LIKE_ECR.test(registry) || ECR_HOST.test(registry)) return undefined;
  const expected = "an ECR registry is <12-digit account>.dkr.ecr.<region>.amazonaws.com";
  const [account = ""] = registry.split(".");
  if (!/^\d{12}$/.test(account))
    return `the registry \`${registry}\` looks like ECR, but \`${account}\` is not a 12-digit account: ${expected}`;
  const suffix = /\.amazonaws\.com(?:\.cn)?(\..+)$/.exec(registry)?.[1];
  if (suffix)
    return `the registry \`${registry}\` looks like ECR, but has \`${suffix}\` after amazonaws.com: it is another host; ${expected}`;
  return `the registry \`${registry}\` looks like ECR, but is not an ECR host (check the region): ${expected}`;
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
  const result: ResolvedImages = { resolved: [], problems: [], warnings: [] };
  for (const lookup of lookups.values()) {
    if (lookup.problem) result.problems.push({ key: "images", message: lookup.problem });
    if (lookup.warning) result.warnings.push(lookup.warning);
  }
  for (const [container, uri] of images) result.resolved.push(resolution(container, uri, lookups.get(uri), pin));
  return result;
}

/** An image elsewhere than private ECR: it passes, and the user is told which registry and what was not done. */
export function notEcr(uri: string): Lookup {
  const ref = parseImageReference(uri);
  const registry = typeof ref === "string" ? "another registry" : registryName(ref.registry);
  return {
    warning: `image \`${uri}\` is on ${registry}, not in private ECR: it was neither checked nor pinned by digest`,
  };
}

function registryName(host: string): string {
  if (host === "docker.io") return "Docker Hub (docker.io)";
  if (host === "public.ecr.aws") return "ECR Public (public.ecr.aws)";
  return host;
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
  warning?: string;
}

/**
 * Why an image could not be found, in words: `name` is the AWS error's name, `text` its message, `account` the
 * config's. An image of another account than the deploy's that ECR says is missing, or will not show, is most often
 * a wrong account in the URI, or a repository that does not let this account pull: said first.
 */
export function lookupProblem(
  uri: string,
  image: EcrImage,
  error: { name: string | undefined; text: string; denied: boolean },
  account?: string,
) {
  const { name, text, denied } = error;
  const where = `(registry ${image.registryId}, ${image.region})`;
  const elsewhere = account !== undefined && image.registryId !== account;
  if (elsewhere && (name === "RepositoryNotFoundException" || denied)) {
    const answer = denied
      ? "denied DescribeImages on it"
      : `says repository \`${image.repository}\` does not exist there`;
    return `image \`${uri}\` is in the ECR registry of account ${image.registryId}, not in \`account\` ${account}, and ECR ${answer} (${image.region}): check the account in the URI; an image of another account needs a repository policy that lets ${account} pull it (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:DescribeImages)`;
  }
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
