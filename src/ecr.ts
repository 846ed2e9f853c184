// Images in a private ECR registry must exist before we register a task definition that pulls them, and are pinned
// by digest: a tag can be pushed again, so only a digest guarantees every task of this revision runs the same image.
import { DescribeImagesCommand, type ECRClient, type ImageIdentifier } from "@aws-sdk/client-ecr";
import { AwsError, awsCall, isAccessDenied, isCredentialsError } from "./aws-errors.js";
import type { Problem } from "./errors.js";
import type { ImageMap } from "./images.js";

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
 * Checks every private ECR image with DescribeImages, all at once, and pins it by digest unless `pin` is false.
 * `ecrFor` gives the client for a region: an image may live in another region than the service.
 */
export async function checkEcrImages(
  ecrFor: (region: string) => ECRClient,
  images: ImageMap,
  options: { pin: boolean } = { pin: true },
): Promise<ResolvedImages> {
  // One lookup per distinct URI: sidecars often share an image. lookUp rejects only on a credentials error (which
  // every lookup would share), so one image's failure hides no other's.
  const uris = [...new Set(images.values())];
  const settled = new Map(await Promise.all(uris.map(async (uri) => [uri, await lookUp(ecrFor, uri)] as const)));

  const result: ResolvedImages = { resolved: [], problems: [], notices: [] };
  for (const lookup of settled.values()) {
    if (lookup.problem) result.problems.push({ key: "images", message: lookup.problem });
    if (lookup.notice) result.notices.push(lookup.notice);
  }
  for (const [container, uri] of images) {
    result.resolved.push(resolution(container, uri, settled.get(uri), options.pin));
  }
  return result;
}

interface Lookup {
  image?: EcrImage;
  digest?: string;
  problem?: string;
  notice?: string;
}

async function lookUp(ecrFor: (region: string) => ECRClient, uri: string): Promise<Lookup> {
  const image = parseEcrUri(uri);
  if (!image) {
    return {
      notice: `image \`${uri}\` is not in a private ECR registry: its existence was not checked and it is not pinned`,
    };
  }
  const imageId: ImageIdentifier = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag ?? "latest" };
  try {
    const input = { registryId: image.registryId, repositoryName: image.repository, imageIds: [imageId] };
    const found = await awsCall("DescribeImages", () => ecrFor(image.region).send(new DescribeImagesCommand(input)));
    const digest = found.imageDetails?.[0]?.imageDigest;
    return digest ? { image, digest } : { image };
  } catch (error) {
    // Without credentials every call fails alike: that is one problem for the pre-flight to say, not one per image.
    if (isCredentialsError(error instanceof AwsError ? error.cause : error)) throw error;
    return { image, problem: lookupProblem(uri, image, error) };
  }
}

function lookupProblem(uri: string, image: EcrImage, error: unknown): string {
  const cause = error instanceof AwsError ? error.cause : error;
  const name = (cause as { name?: string } | undefined)?.name;
  const where = `(registry ${image.registryId}, ${image.region})`;
  if (name === "ImageNotFoundException") {
    const check = image.digest ? "the digest" : "the tag";
    return `image \`${uri}\` not found in ECR repository \`${image.repository}\` ${where}: was it pushed? Check ${check}`;
  }
  if (name === "RepositoryNotFoundException") {
    return `image \`${uri}\`: ECR repository \`${image.repository}\` does not exist ${where}: check the repository name in the URI`;
  }
  const text = error instanceof Error ? error.message : String(error);
  // AWS usually names the action in its message; when it does not, awsCall can only say "grant the permission".
  const named = isAccessDenied(cause) ? text.replace("grant the permission", "grant ecr:DescribeImages") : text;
  return `image \`${uri}\`: ${named}`;
}

function resolution(container: string, uri: string, lookup: Lookup | undefined, pin: boolean): ImageResolution {
  const digest = lookup?.digest;
  if (!digest || !lookup.image) return { container, uri, pinned: uri };
  // A URI that already names a digest is pinned as the user wrote it (it may carry a tag for readers).
  const pinned = pin && !lookup.image.digest ? `${lookup.image.host}/${lookup.image.repository}@${digest}` : uri;
  return { container, uri, digest, pinned };
}
