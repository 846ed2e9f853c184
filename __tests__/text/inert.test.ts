// Names from outside (a file, a key, a path) in the job summary: one line, and nothing in them ends the code span or
// splits the table cell they sit in.
import { describe, expect, it } from "vitest";
import { codeSpan, oneLine } from "../../src/text/inert.js";

describe("codeSpan", () => {
  it("keeps a hostile file name inside its span and its cell", () => {
    expect(codeSpan("a`b|c\n::error::x.toml")).toBe("`aʼb\\|c\\n::error::x.toml`");
  });

  it("escapes terminal control characters", () => {
    expect(codeSpan("\u001b[2Jx")).toBe("`\\u001b[2Jx`");
    expect(oneLine("a\u0085b\u2028c")).toBe("a\\u0085b\\u2028c");
  });
});
