import { describe, expect, it } from "vitest";
import { cutText, MAX_SHOWN_CHARS, startOf, thousands } from "../../src/text/cut.js";

describe("cutText", () => {
  it("leaves a short value as it is", () => {
    expect(cutText("postgres://db/app")).toBe("postgres://db/app");
    expect(cutText("x".repeat(MAX_SHOWN_CHARS))).toBe("x".repeat(MAX_SHOWN_CHARS));
  });

  it("shows the start of a long value and says how long it was", () => {
    const shown = cutText("x".repeat(1_000_000));
    expect(shown).toBe(`${"x".repeat(MAX_SHOWN_CHARS)}… (1 000 000 characters in all)`);
  });

  it("never cuts a character in half", () => {
    // 😀 is two UTF-16 units: a cut between them would print a lone surrogate.
    const start = startOf(`${"a".repeat(9)}😀`, 10);
    expect(start).toBe("a".repeat(9));
    expect(cutText("😀".repeat(300), 11)).toMatch(/^(😀){5}… \(600 characters in all\)$/);
  });
});

describe("thousands", () => {
  it.each([
    [0, "0"],
    [999, "999"],
    [1000, "1 000"],
    [89_990, "89 990"],
    [1_048_576, "1 048 576"],
  ])("%d → %s", (n, text) => expect(thousands(n)).toBe(text));
});
