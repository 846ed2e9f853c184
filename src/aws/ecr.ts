// ECR: does each private ECR image exist, and what is its digest? One DescribeImages per distinct URI, all at once,
// in the image's own region (an image may live in another region than the service).
import { DescribeImagesCommand, type ECRClient, type ImageIdentifier } from "@aws-sdk/client-ecr";
import {
  type EcrImage,
  type Lookup,
  lookupProblem,
  notEcr,
  parseEcrUri,
  type ResolvedImages,
  resolveLookups,
} from "../plan/images/registry.js";
import { AwsError, awsCall, isAccessDenied, isCredentialsError } from "./errors.js";

/**
 * Checks every private ECR image with DescribeImages, all at once, and pins it by digest unless `pin` is false.
 * `ecrFor` gives the client for a region.
 */
export async function checkEcrImages(
  ecrFor: (region: string) => ECRClient,
  images: ReadonlyMap<string, string>,
  options: { pin: boolean; account?: string } = { pin: true },
): Promise<ResolvedImages> {
  // lookUp rejects only on a credentials error (which every lookup would share), so one image's failure hides no
  // other's.
  const uris = [...new Set(images.values())];
  const lookups = new Map(
    await Promise.all(uris.map(async (uri) => [uri, await lookUp(ecrFor, uri, options.account)] as const)),
  );
  return resolveLookups(images, lookups, options.pin);
}

async function lookUp(ecrFor: (region: string) => ECRClient, uri: string, account?: string): Promise<Lookup> {
  const image = parseEcrUri(uri);
  if (!image) return notEcr(uri);
  const imageId: ImageIdentifier = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag ?? "latest" };
  try {
    const input = { registryId: image.registryId, repositoryName: image.repository, imageIds: [imageId] };
    const found = await awsCall("DescribeImages", () => ecrFor(image.region).send(new DescribeImagesCommand(input)));
    const digest = found.imageDetails?.[0]?.imageDigest;
    return digest ? { image, digest } : { image };
  } catch (error) {
    const cause = error instanceof AwsError ? error.cause : error;
    // Without credentials every call fails alike: that is one problem for the pre-flight to say, not one per image.
    if (isCredentialsError(cause)) throw error;
    const name = (cause as { name?: string } | undefined)?.name;
    const text = error instanceof Error ? error.message : String(error);
    return { image, problem: lookupProblem(uri, image, { name, text, denied: isAccessDenied(cause) }, account) };
  }
}

/**
 * The tags of pinned ECR images (`…/web@sha256:…`, as the action registers them), by URI: a history then says `r254`,
 * not a digest. One DescribeImages per repository (ECR takes up to 100 image ids a call). A lookup that fails (an
 * image deleted since, a missing permission) leaves that repository's images unnamed: the history is still shown.
 */
export async function tagsOfPinned(
  ecrFor: (region: string) => ECRClient,
  uris: readonly string[],
): Promise<Map<string, string[]>> {
  const repositories = new Map<string, { image: EcrImage; uris: Map<string, string> }>();
  for (const uri of new Set(uris)) {
    const image = parseEcrUri(uri);
    if (!image?.digest || image.tag) continue;
    const key = `${image.region} ${image.registryId} ${image.repository}`;
    const entry = repositories.get(key) ?? { image, uris: new Map() };
    entry.uris.set(uri, image.digest);
    repositories.set(key, entry);
  }
  const found = new Map<string, string[]>();
  await Promise.all(
    [...repositories.values()].map(async ({ image, uris: pinned }) => {
      const digests = [...new Set(pinned.values())].slice(0, 100);
      const input = {
        registryId: image.registryId,
        repositoryName: image.repository,
        imageIds: digests.map((imageDigest) => ({ imageDigest })),
      };
      const answer = await ecrFor(image.region)
        .send(new DescribeImagesCommand(input))
        .catch(() => undefined);
      const tags = new Map((answer?.imageDetails ?? []).map((d) => [d.imageDigest, d.imageTags ?? []]));
      for (const [uri, digest] of pinned) {
        const named = tags.get(digest);
        if (named && named.length > 0) found.set(uri, [...named].sort());
      }
    }),
  );
  return found;
}
