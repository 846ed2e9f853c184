import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { InputError } from "../../../src/errors.js";
import { resolveImages, splitImages } from "../../../src/plan/images/input.js";

const GUIDE = `
account = "879613780019"
region = "us-east-1"
cluster = "app-dev"
service = "app"
port = 80
execution_role_arn = "arn:aws:iam::879613780019:role/app-task-execution-role"
task_role_arn = "arn:aws:iam::879613780019:role/app-task-role"
`;
const WITH_SIDECARS = `${GUIDE}
[containers.envoy]
image = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29"
[containers.worker]
port = 9000
`;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problems.map((p) => p.message);
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("resolveImages", () => {
  it("refuses an ECR repository name ECR would refuse (2 to 256 characters), before any call", () => {
    const config = parseConfig(WITH_SIDECARS, "a.toml");
    const short = "879613780019.dkr.ecr.us-east-1.amazonaws.com/a:r254";
    const long = `879613780019.dkr.ecr.us-east-1.amazonaws.com/${"r".repeat(257)}:1`;
    expect(problemsOf(() => resolveImages(`${short}\nworker=${long}`, config))).toEqual([
      `input \`images\`: image \`${short}\`: ECR repository names are 2 to 256 characters, and \`a\` has 1: check the repository name in the URI`,
      // Longer than 256 is longer than an image name may be: refused as such.
      `input \`images\`: \`${long}\`: the name is 302 characters long; an image name has at most 255`,
    ]);
    // Elsewhere than ECR, a one-character name is someone's (Docker Hub has `r`): left to that registry.
    expect([...resolveImages("ghcr.io/o/a:1", parseConfig(GUIDE, "a.toml"))]).toEqual([["app", "ghcr.io/o/a:1"]]);
  });

  it("gives a bare URI to the main container", () => {
    const images = resolveImages(
      "879613780019.dkr.ecr.us-east-1.amazonaws.com/app:r254\n",
      parseConfig(GUIDE, "a.toml"),
    );
    expect([...images]).toEqual([["app", "879613780019.dkr.ecr.us-east-1.amazonaws.com/app:r254"]]);
  });

  it("assigns name=uri to sidecars and falls back to the config's image", () => {
    const config = parseConfig(WITH_SIDECARS, "a.toml");
    const images = resolveImages(`app:r254, worker=registry.example.com/worker@sha256:${"a".repeat(64)}`, config);
    expect([...images]).toEqual([
      ["app", "app:r254"],
      ["envoy", "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29"],
      ["worker", `registry.example.com/worker@sha256:${"a".repeat(64)}`],
    ]);
  });

  it("reports every problem with the input at once", () => {
    const config = parseConfig(WITH_SIDECARS, "a.toml");
    expect(problemsOf(() => resolveImages("app:1\napp=app:2\nwroker=w:1\nbad image", config))).toEqual([
      "input `images`: two images for container `app`",
      "input `images`: no container `wroker` in the config — did you mean `worker`? (containers: app, envoy, worker)",
      "input `images`: `bad image` contains white space",
    ]);
  });

  it("explains an empty tag, the mark of an empty version input", () => {
    expect(
      problemsOf(() =>
        resolveImages("879613780019.dkr.ecr.us-east-1.amazonaws.com/app:", parseConfig(GUIDE, "a.toml")),
      ),
    ).toEqual([
      "input `images`: `879613780019.dkr.ecr.us-east-1.amazonaws.com/app:` has an empty tag — is the version input empty?",
    ]);
  });

  it("checks a sidecar's image from the config like one from the input, and names its config key", () => {
    const config = parseConfig(`${GUIDE}\n[containers.envoy]\nimage = "envoy:"\n`, "a.toml");
    let problems: { key?: string; message: string }[] = [];
    try {
      resolveImages("app:1", config);
    } catch (error) {
      if (error instanceof InputError) problems = error.problems;
    }
    expect(problems).toEqual([
      {
        key: "containers.envoy.image",
        message: "[containers.envoy] image: `envoy:` has an empty tag",
      },
    ]);
    // An image from the input replaces the config's, so the config's is not checked then.
    expect(resolveImages("app:1,envoy=envoy:1.30", config).get("envoy")).toBe("envoy:1.30");
  });

  it("refuses upper case in the repository, with the reason, but takes a mixed-case tag", () => {
    const config = parseConfig(GUIDE, "a.toml");
    expect(problemsOf(() => resolveImages("879613780019.dkr.ecr.us-east-1.amazonaws.com/App:r1", config))).toEqual([
      "input `images`: `879613780019.dkr.ecr.us-east-1.amazonaws.com/App:r1`: `App` is not a repository path component: repository names are lower case",
    ]);
    expect(resolveImages("879613780019.dkr.ecr.us-east-1.amazonaws.com/app:Release-1", config).get("app")).toBe(
      "879613780019.dkr.ecr.us-east-1.amazonaws.com/app:Release-1",
    );
  });

  it("asks for the images that are missing", () => {
    const config = parseConfig(WITH_SIDECARS, "a.toml");
    expect(problemsOf(() => resolveImages("app:1", config))).toEqual([
      "input `images`: no image for container `worker`: add `worker=URI` to `images` or `image` to [containers.worker] in the config",
    ]);
    expect(problemsOf(() => resolveImages("envoy=e:1", config))[0]).toMatch(/no image for the main container `app`/);
  });
});

describe("splitImages", () => {
  it("splits on newlines and commas and ignores blanks", () => {
    expect(splitImages(" a:1 ,\n\nsidecar=b:2\n")).toEqual([
      { container: undefined, uri: "a:1" },
      { container: "sidecar", uri: "b:2" },
    ]);
  });
});
