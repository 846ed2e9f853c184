// Image references by the OCI distribution rules: every valid form parses to its parts, every invalid one is refused
// with what is wrong; registries are judged by intent (ECR, a look-alike, another registry, one not allowed).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { InputError } from "../../../src/errors.js";
import { imageNotices, resolveImages } from "../../../src/plan/images/input.js";
import { parseImageReference } from "../../../src/plan/images/reference.js";
import { ecrLookalike, notEcr, parseEcrUri } from "../../../src/plan/images/registry.js";
import { guideToml } from "../../support/config.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const ECR = "879613780019.dkr.ecr.us-east-1.amazonaws.com";

describe("valid references", () => {
  it.each([
    ["nginx", { registry: "docker.io", registryWritten: false, repository: "nginx" }],
    ["nginx:1.27", { registry: "docker.io", repository: "nginx", tag: "1.27" }],
    ["library/nginx:stable-alpine", { registry: "docker.io", repository: "library/nginx", tag: "stable-alpine" }],
    [`${ECR}/shop/web:r254`, { registry: ECR, registryWritten: true, repository: "shop/web", tag: "r254" }],
    [`${ECR}/web@${DIGEST}`, { registry: ECR, repository: "web", digest: DIGEST }],
    [`${ECR}/web:v2@${DIGEST}`, { repository: "web", tag: "v2", digest: DIGEST }],
    ["localhost:5000/app:dev", { registry: "localhost:5000", repository: "app", tag: "dev" }],
    ["registry.example.com:8443/team/app_x__y-z.q:V1_0", { registry: "registry.example.com:8443", tag: "V1_0" }],
    ["ghcr.io/ocf/app:sha-0a1b2c3", { registry: "ghcr.io", repository: "ocf/app" }],
    ["public.ecr.aws/nginx/nginx:stable", { registry: "public.ecr.aws", repository: "nginx/nginx" }],
    [`app:${"t".repeat(128)}`, { tag: "t".repeat(128) }],
    ["[::1]:5000/app:1", { registry: "[::1]:5000" }],
  ])("%s", (text, parts) => {
    expect(parseImageReference(text)).toMatchObject(parts);
  });
});

describe("invalid references, each with what is wrong", () => {
  it.each([
    ["", "an entry has no image URI"],
    [
      `https://${ECR}/web:v2`,
      `\`https://${ECR}/web:v2\` starts with https://: an image reference has no URL scheme; write ${ECR}/web:v2`,
    ],
    [`${ECR}/web:v2:v3`, `\`${ECR}/web:v2:v3\` has more than one tag (\`:v2:v3\`): an image has one tag at most`],
    [`app:${"t".repeat(130)}`, `\`app:${"t".repeat(130)}\`: the tag is 130 characters long; a tag has at most 128`],
    [
      "app:.hidden",
      "`app:.hidden`: the tag `.hidden` may hold only letters, digits, _ . and -, and not start with . or -",
    ],
    [
      "app:v1+build",
      "`app:v1+build`: the tag `v1+build` may hold only letters, digits, _ . and -, and not start with . or -",
    ],
    ["app:", "`app:` has an empty tag"],
    ["app@", "`app@` has an empty digest"],
    [
      "app@sha256:abc",
      "`app@sha256:abc`: the digest `sha256:abc` is not algorithm:hex (e.g. sha256: and 64 hex digits)",
    ],
    [
      `app@sha256:${"a".repeat(63)}`,
      `\`app@sha256:${"a".repeat(63)}\`: the digest \`sha256:${"a".repeat(63)}\` is not sha256: and 64 lower-case hex digits`,
    ],
    [`app@${DIGEST}@${DIGEST}`, `\`app@${DIGEST}@${DIGEST}\` has more than one @`],
    ["my app:1", "`my app:1` contains white space"],
    ["app\u202E:1", "`app\\u{202E}:1` contains an invisible or control character"],
    [`${ECR}/Web:1`, `\`${ECR}/Web:1\`: \`Web\` is not a repository path component: repository names are lower case`],
    [
      `${ECR}/web..x:1`,
      `\`${ECR}/web..x:1\`: \`web..x\` is not a repository path component: use lower-case letters and digits, separated by . _ __ or -`,
    ],
    [`${ECR}//web:1`, `\`${ECR}//web:1\`: the repository has an empty path component (\`//\`, or a \`/\` at an end)`],
    [`${ECR}/web/`, `\`${ECR}/web/\`: the repository has an empty path component (\`//\`, or a \`/\` at an end)`],
    [
      "bad_host.example.com/app:1",
      "`bad_host.example.com/app:1`: the registry `bad_host.example.com` is not a host name (or host:port)",
    ],
    [
      "example.com:http/app:1",
      "`example.com:http/app:1`: the registry `example.com:http` is not a host name (or host:port)",
    ],
    ["example.com:99999/app:1", "`example.com:99999/app:1`: the registry port 99999 is above 65535"],
    [
      `example.com/${"a".repeat(250)}:1`,
      `\`example.com/${"a".repeat(250)}:1\`: the name is 262 characters long; an image name has at most 255`,
    ],
  ])("%s", (text, message) => {
    expect(parseImageReference(text)).toBe(message);
  });
});

describe("registries by intent", () => {
  it.each([
    [`${ECR}.evil.example`, "has `.evil.example` after amazonaws.com"],
    ["12345.dkr.ecr.us-east-1.amazonaws.com", "`12345` is not a 12-digit account"],
    ["879613780019.dkr.ecr.useast1.amazonaws.com", "is not an ECR host (check the region)"],
    ["879613780019.dkr-ecr.us-east-1.on.aws.example", "is not an ECR host"],
  ])("%s looks like ECR but is not: refused", (host, why) => {
    expect(ecrLookalike(host)).toContain(why);
    expect(parseEcrUri(`${host}/web:1`)).toBeUndefined();
  });

  it.each([ECR, "879613780019.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "879613780019.dkr-ecr.eu-west-1.on.aws"])(
    "%s is ECR",
    (host) => {
      expect(ecrLookalike(host)).toBeUndefined();
      expect(parseEcrUri(`${host}/web:1`)).toMatchObject({ registryId: "879613780019", repository: "web", tag: "1" });
    },
  );

  it.each([
    ["nginx:1", "Docker Hub (docker.io)"],
    ["public.ecr.aws/nginx/nginx:1", "ECR Public (public.ecr.aws)"],
    ["ghcr.io/ocf/app:1", "ghcr.io"],
  ])("%s passes with a warning that names %s", (uri, registry) => {
    expect(notEcr(uri).warning).toBe(
      `image \`${uri}\` is on ${registry}, not in private ECR: it was neither checked nor pinned by digest`,
    );
  });

  const config = (extra: string) => parseConfig(`${guideToml}${extra}`, "a.toml");
  const problems = (raw: string, extra = "") => {
    try {
      resolveImages(raw, config(extra));
    } catch (error) {
      if (error instanceof InputError) return error.problems.map((p) => p.message);
      throw error;
    }
    return [];
  };

  it("a look-alike in the input is refused before any AWS call", () => {
    expect(problems(`${ECR}.evil.example/web:1`)).toEqual([
      `input \`images\`: image \`${ECR}.evil.example/web:1\`: the registry \`${ECR}.evil.example\` looks like ECR, but has \`.evil.example\` after amazonaws.com: it is another host; an ECR registry is <12-digit account>.dkr.ecr.<region>.amazonaws.com`,
    ]);
  });

  it("allowed_registries refuses every other registry, in the input and in the config", () => {
    const allowed = `allowed_registries = ["${ECR}", "*.example.com"]\n`;
    expect(problems(`${ECR}/web:1`, allowed)).toEqual([]);
    expect(problems("registry.example.com/web:1", allowed)).toEqual([]);
    expect(problems("ghcr.io/ocf/web:1", allowed)).toEqual([
      `input \`images\`: image \`ghcr.io/ocf/web:1\` is from the registry \`ghcr.io\`, which \`allowed_registries\` does not list (\`${ECR}\`, \`*.example.com\`)`,
    ]);
    expect(problems(`${ECR}/web:1`, `${allowed}[containers.envoy]\nimage = "envoyproxy/envoy:v1"\n`)).toEqual([
      `[containers.envoy] image: image \`envoyproxy/envoy:v1\` is from the registry \`docker.io\`, which \`allowed_registries\` does not list (\`${ECR}\`, \`*.example.com\`)`,
    ]);
  });

  it("an image without a tag is said to be read as :latest", () => {
    const images = resolveImages(`${ECR}/web`, config(""));
    expect(imageNotices(images)).toEqual([`image \`${ECR}/web\` has no tag: it was read as \`${ECR}/web:latest\``]);
    expect(imageNotices(resolveImages(`${ECR}/web:1`, config("")))).toEqual([]);
  });
});
