// TOML syntax mistakes, and the words each one gets: what is missing and where it began, not what the parser met.
import { describe, expect, it } from "vitest";
import { parseToml } from "../../src/config/toml.js";
import { ConfigError } from "../../src/errors.js";

function syntaxError(source: string): string {
  try {
    parseToml(source, "deploy/web.toml");
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const [problem] = error.problems;
    return `${problem?.location?.line}:${problem?.location?.column} ${problem?.message}`;
  }
  throw new Error("expected a syntax error");
}

const MISTAKES: [string, string, string][] = [
  [
    "an unclosed string",
    'service = "web\nport = 80\n',
    '1:11 the string opened at line 1, column 11 is not closed: add the closing " before the end of the line (text on several lines goes between """)',
  ],
  [
    "an unclosed literal string",
    "service = 'web\n",
    "1:11 the string opened at line 1, column 11 is not closed: add the closing ' before the end of the line (text on several lines goes between ''')",
  ],
  [
    "an unclosed multi-line string",
    'command = """echo\n',
    '1:11 the string opened here with """ is never closed: add the closing """',
  ],
  [
    "a table header without its ]",
    '[deployment\nstrategy = "ROLLING"\n',
    "1:12 the table header `[deployment` is not closed: add `]`",
  ],
  [
    "an array without its ]",
    'account = "1"\nsubnets = ["subnet-a", "subnet-b"\nport = 80\n',
    "3:1 the array opened at line 2, column 11 is not closed: add `]` (or a comma between two items)",
  ],
  [
    "an inline table without its }",
    "canary = { percent = 5\n",
    "2:1 the inline table opened at line 1, column 10 is not closed: add `}` (or a comma between two items)",
  ],
  [
    "a key defined twice, with the line of its first definition",
    'service = "a"\nport = 80\nservice = "b"\n',
    "3:1 `service` is defined twice: first at line 1, again here. Keep one (or merge the two)",
  ],
  [
    "a key defined twice inside a table",
    '[deployment]\nstrategy = "ROLLING"\n\n[network]\nsubnets = []\n[deployment]\n',
    "6:2 the table [deployment] is defined twice: first at line 1, again here. Keep one (or merge the two)",
  ],
  [
    "a dotted key, then the same key as a value",
    "network.subnets = []\nnetwork = 2\n",
    "2:1 `network` is defined twice: first at line 1, again here. Keep one (or merge the two)",
  ],
  [
    "a key defined twice in an inline table",
    "canary = { percent = 5, percent = 6 }\n",
    "1:25 a key appears twice in this inline table: keep one",
  ],
  [
    "a colon instead of =",
    'service: "web"\n',
    "1:8 TOML separates a key from its value with =, not a colon: `service = …`",
  ],
  [
    "a key with a space",
    "desired count = 2\n",
    "1:9 `desired count` is not a key: a bare key holds letters, digits, - and _ only; write it with _ or in quotes",
  ],
  ["a key without =", 'service "web"\n', "1:9 the key `service` has no =: write `service = …`"],
  [
    "a key without a value",
    "service =\nport = 80\n",
    '1:10 `service` has no value: write one after = (a "string", a number, true or false, [an array])',
  ],
  ["a string without quotes", "service = web\n", '1:11 `web` is not a TOML value: a string goes in quotes, "web"'],
  [
    "a Windows path in a basic string",
    'path = "C:\\data"\n',
    "1:11 `\\d` is no escape in a TOML string: write \\\\ for a backslash, or put the text in single quotes ('C:\\path' is taken as written)",
  ],
  ["a leading zero", "port = 080\n", "1:8 a TOML number has no leading zero: write `80`, not `080`"],
];

describe("TOML syntax mistakes, in the user's words", () => {
  it.each(MISTAKES)("%s", (_what, source, expected) => {
    expect(syntaxError(source)).toBe(expected);
  });

  it("keeps the parser's words, at its place, for a mistake it has no words of its own for", () => {
    expect(syntaxError("a = 1979-05-27T07:32:00Zx\n")).toMatch(/^1:\d+ \S/);
    expect(syntaxError("a = 1979-05-27T07:32:00Zx\n")).not.toContain("Invalid TOML document");
  });
});
