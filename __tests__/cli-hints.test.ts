// The command line's usage errors in the user's words: the nearest option for an unknown one, and the order to type
// when the image came before the config.
import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError } from "../src/cli.js";

const IMAGE = "879613780019.dkr.ecr.us-east-1.amazonaws.com/app:r254";

function usageError(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error("expected a usage error");
}

describe("the command line's usage errors", () => {
  it.each([
    ["--dryrun", "unknown option `--dryrun`: did you mean `--dry-run`?"],
    ["--wait-timout", "unknown option `--wait-timout`: did you mean `--wait-timeout`?"],
    ["--nowait", "unknown option `--nowait`: did you mean `--no-wait`?"],
    ["--keep_revisions", "unknown option `--keep_revisions`: did you mean `--keep-revisions`?"],
    ["--region", "unknown option `--region` (deploy-action --help lists them)"],
    ["-x", "unknown option `-x` (deploy-action --help lists them)"],
  ])("suggests the nearest option for %s", (flag, expected) => {
    expect(usageError(["config.toml", IMAGE, flag])).toBe(expected);
  });

  it("recognises an image given before the config, and says the order to type", () => {
    expect(usageError([IMAGE, "deploy/web.toml"])).toBe(
      `the config file comes first, then the image: \`deploy-action deploy/web.toml ${IMAGE}\` (\`${IMAGE}\` is not a TOML file)`,
    );
    expect(usageError([IMAGE, "deploy/web.toml", "proxy=nginx:1"])).toContain(
      `\`deploy-action deploy/web.toml ${IMAGE} proxy=nginx:1\``,
    );
  });

  it("leaves the right order, and a config not named .toml, to the usual checks", () => {
    expect(parseCommandLine(["deploy/web.toml", IMAGE])).toMatchObject({ kind: "deploy" });
    expect(parseCommandLine(["deploy/web.conf", IMAGE])).toMatchObject({ kind: "deploy" });
  });
});
