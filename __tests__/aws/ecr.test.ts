import {
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  ECRClient,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { checkEcrImages } from "../../src/aws/ecr.js";
import { parseEcrUri } from "../../src/plan/images/registry.js";

const HOST = "879613780019.dkr.ecr.us-east-1.amazonaws.com";
const DIGEST = `sha256:${"a".repeat(64)}`;
const OTHER_DIGEST = `sha256:${"b".repeat(64)}`;

describe("parseEcrUri", () => {
  it("splits a tagged private ECR URI", () => {
    expect(parseEcrUri(`${HOST}/app:r254`)).toEqual({
      host: HOST,
      registryId: "879613780019",
      region: "us-east-1",
      repository: "app",
      tag: "r254",
    });
  });

  it("reads nested repositories, digests and China regions", () => {
    expect(parseEcrUri(`123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/app@${DIGEST}`)).toEqual({
      host: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
      registryId: "123456789012",
      region: "cn-north-1",
      repository: "team/app",
      digest: DIGEST,
    });
  });

  it("reads dual-stack registry hosts", () => {
    expect(parseEcrUri(`879613780019.dkr-ecr.eu-west-1.on.aws/app:r254`)).toEqual({
      host: "879613780019.dkr-ecr.eu-west-1.on.aws",
      registryId: "879613780019",
      region: "eu-west-1",
      repository: "app",
      tag: "r254",
    });
    expect(parseEcrUri(`879613780019.dkr-ecr-fips.us-gov-west-1.on.aws/app:r1`)?.region).toBe("us-gov-west-1");
  });

  it("reads a tag without a digest as `latest`, and keeps both when both are written", () => {
    expect(parseEcrUri(`${HOST}/app`)?.tag).toBe("latest");
    expect(parseEcrUri(`${HOST}/app:r1@${DIGEST}`)).toMatchObject({ tag: "r1", digest: DIGEST });
  });

  it.each([
    "public.ecr.aws/nginx/nginx:1",
    "nginx:1",
    "docker.io/library/nginx:1",
    "ghcr.io/org/app:1",
    "localhost:5000/app:1",
    "87961378001.dkr.ecr.us-east-1.amazonaws.com/app:1",
    "879613780019.dkr.ecr.us-east-1.example.com/app:1",
  ])("is undefined outside private ECR: %s", (uri) => {
    expect(parseEcrUri(uri)).toBeUndefined();
  });
});

describe("checkEcrImages", () => {
  const east = new ECRClient({ region: "us-east-1" });
  const west = new ECRClient({ region: "eu-west-1" });
  const eastMock = mockClient(east);
  const westMock = mockClient(west);
  const ecrFor = (region: string) => (region === "eu-west-1" ? west : east);

  beforeEach(() => {
    eastMock.reset();
    westMock.reset();
  });

  const inputs = (mock: typeof eastMock): DescribeImagesCommandInput[] =>
    mock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input);

  it("checks each image and pins it by digest", async () => {
    eastMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    const images = new Map([["app", `${HOST}/app:r254`]]);

    const result = await checkEcrImages(ecrFor, images);

    expect(inputs(eastMock)).toEqual([
      { registryId: "879613780019", repositoryName: "app", imageIds: [{ imageTag: "r254" }] },
    ]);
    expect(result).toEqual({
      resolved: [{ container: "app", uri: `${HOST}/app:r254`, digest: DIGEST, pinned: `${HOST}/app@${DIGEST}` }],
      problems: [],
      warnings: [],
    });
  });

  it("asks the image's own region, and runs the calls concurrently", async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (digest: string) => async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { imageDetails: [{ imageDigest: digest }] };
    };
    eastMock.on(DescribeImagesCommand).callsFake(slow(DIGEST));
    westMock.on(DescribeImagesCommand).callsFake(slow(OTHER_DIGEST));
    const westUri = "879613780019.dkr.ecr.eu-west-1.amazonaws.com/proxy:2";

    const result = await checkEcrImages(
      ecrFor,
      new Map([
        ["app", `${HOST}/app:r254`],
        ["proxy", westUri],
      ]),
    );

    expect(most).toBe(2);
    expect(inputs(westMock)).toEqual([
      { registryId: "879613780019", repositoryName: "proxy", imageIds: [{ imageTag: "2" }] },
    ]);
    expect(result.resolved.map((r) => r.pinned)).toEqual([
      `${HOST}/app@${DIGEST}`,
      `879613780019.dkr.ecr.eu-west-1.amazonaws.com/proxy@${OTHER_DIGEST}`,
    ]);
  });

  it("still checks, but does not pin, when pin is false", async () => {
    eastMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });

    const result = await checkEcrImages(ecrFor, new Map([["app", `${HOST}/app`]]), { pin: false });

    expect(inputs(eastMock)).toEqual([
      { registryId: "879613780019", repositoryName: "app", imageIds: [{ imageTag: "latest" }] },
    ]);
    expect(result.resolved).toEqual([{ container: "app", uri: `${HOST}/app`, digest: DIGEST, pinned: `${HOST}/app` }]);
  });

  it("looks a digest up by digest and keeps the URI as written", async () => {
    eastMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    const uri = `${HOST}/app:r1@${DIGEST}`;

    const result = await checkEcrImages(ecrFor, new Map([["app", uri]]));

    expect(inputs(eastMock)).toEqual([
      { registryId: "879613780019", repositoryName: "app", imageIds: [{ imageDigest: DIGEST }] },
    ]);
    expect(result.resolved).toEqual([{ container: "app", uri, digest: DIGEST, pinned: uri }]);
  });

  it("describes a shared image once", async () => {
    eastMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
    const uri = `${HOST}/app:r254`;

    const result = await checkEcrImages(
      ecrFor,
      new Map([
        ["app", uri],
        ["worker", uri],
      ]),
    );

    expect(inputs(eastMock)).toHaveLength(1);
    expect(result.resolved.map((r) => [r.container, r.pinned])).toEqual([
      ["app", `${HOST}/app@${DIGEST}`],
      ["worker", `${HOST}/app@${DIGEST}`],
    ]);
  });

  it("leaves images outside private ECR alone, with a notice", async () => {
    const result = await checkEcrImages(ecrFor, new Map([["proxy", "nginx:1"]]));

    expect(inputs(eastMock)).toEqual([]);
    expect(result).toEqual({
      resolved: [{ container: "proxy", uri: "nginx:1", pinned: "nginx:1" }],
      problems: [],
      warnings: [
        "image `nginx:1` is on Docker Hub (docker.io), not in private ECR: it was neither checked nor pinned by digest",
      ],
    });
  });

  it("reports every missing image and repository at once", async () => {
    eastMock
      .on(DescribeImagesCommand, { repositoryName: "app" })
      .rejects(new ImageNotFoundException({ message: "The image with imageId … does not exist", $metadata: {} }))
      .on(DescribeImagesCommand, { repositoryName: "gone" })
      .rejects(new RepositoryNotFoundException({ message: "The repository … does not exist", $metadata: {} }));

    const result = await checkEcrImages(
      ecrFor,
      new Map([
        ["app", `${HOST}/app:r254`],
        ["worker", `${HOST}/gone:1`],
      ]),
    );

    expect(result.problems).toEqual([
      {
        key: "images",
        message: `image \`${HOST}/app:r254\` not found in ECR repository \`app\` (registry 879613780019, us-east-1): was it pushed? Check the tag`,
      },
      {
        key: "images",
        message: `image \`${HOST}/gone:1\`: ECR repository \`gone\` does not exist (registry 879613780019, us-east-1): check the repository name in the URI`,
      },
    ]);
    expect(result.resolved.map((r) => r.pinned)).toEqual([`${HOST}/app:r254`, `${HOST}/gone:1`]);
  });

  it("says an image of another account than `account` is there, when ECR says its repository is missing or denies it", async () => {
    const other = "111122223333.dkr.ecr.us-east-1.amazonaws.com";
    eastMock
      .on(DescribeImagesCommand, { repositoryName: "app" })
      .rejects(new RepositoryNotFoundException({ message: "The repository … does not exist", $metadata: {} }))
      .on(DescribeImagesCommand, { repositoryName: "shared" })
      .rejects(Object.assign(new Error("Access denied"), { name: "AccessDeniedException" }));

    const { problems } = await checkEcrImages(
      ecrFor,
      new Map([
        ["app", `${other}/app:r254`],
        ["worker", `${other}/shared:1`],
        ["proxy", `${HOST}/app:r254`],
      ]),
      { pin: true, account: "879613780019" },
    );

    expect(problems.map((p) => p.message)).toEqual([
      `image \`${other}/app:r254\` is in the ECR registry of account 111122223333, not in \`account\` 879613780019, and ECR says repository \`app\` does not exist there (us-east-1): check the account in the URI; an image of another account needs a repository policy that lets 879613780019 pull it (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:DescribeImages)`,
      `image \`${other}/shared:1\` is in the ECR registry of account 111122223333, not in \`account\` 879613780019, and ECR denied DescribeImages on it (us-east-1): check the account in the URI; an image of another account needs a repository policy that lets 879613780019 pull it (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:DescribeImages)`,
      `image \`${HOST}/app:r254\`: ECR repository \`app\` does not exist (registry 879613780019, us-east-1): check the repository name in the URI`,
    ]);
  });

  it("names the permission when DescribeImages is denied", async () => {
    const denied = Object.assign(
      new Error(
        "User: arn:aws:sts::879613780019:assumed-role/gha/deploy is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:us-east-1:879613780019:repository/app",
      ),
      { name: "AccessDeniedException" },
    );
    eastMock.on(DescribeImagesCommand).rejects(denied);

    const { problems } = await checkEcrImages(ecrFor, new Map([["app", `${HOST}/app:r254`]]));

    expect(problems).toHaveLength(1);
    expect(problems[0]?.key).toBe("images");
    expect(problems[0]?.message).toMatch(
      new RegExp(`^image \`${HOST}/app:r254\`: DescribeImages failed: AccessDeniedException: User: .*`),
    );
    expect(problems[0]?.message).toContain("— grant ecr:DescribeImages to the role this workflow assumes");
  });

  it("names the permission even when AWS's message does not", async () => {
    eastMock
      .on(DescribeImagesCommand)
      .rejects(Object.assign(new Error("Access denied"), { name: "AccessDeniedException" }));

    const { problems } = await checkEcrImages(ecrFor, new Map([["app", `${HOST}/app:r254`]]));

    expect(problems.map((p) => p.message)).toEqual([
      `image \`${HOST}/app:r254\`: DescribeImages failed: AccessDeniedException: Access denied — grant ecr:DescribeImages to the role this workflow assumes (README: IAM permissions)`,
    ]);
  });
});
