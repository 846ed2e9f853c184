import { describe, expect, it } from "vitest";
import type { Problem } from "../../src/errors.js";
import {
  boundProblems,
  boundSummary,
  foldRepeats,
  kindOf,
  MAX_ERROR_ANNOTATIONS,
  MAX_LISTED_PROBLEMS,
  MAX_SUMMARY_BYTES,
  problemLines,
  utf8Bytes,
} from "../../src/report/bounds.js";

const unknownKey = (n: number): Problem => ({
  message: `unknown key \`k${n}\`; the keys here are \`account\`, \`region\``,
  key: `k${n}`,
  location: { file: "deploy/app.toml", line: n + 8, column: 1 },
});

describe("boundProblems", () => {
  it("annotates as many as GitHub keeps with the step's failure line, lists the next, counts the rest by kind", () => {
    const problems = Array.from({ length: 90_000 }, (_, n) => unknownKey(n));
    const bounded = boundProblems(problems);

    // The step's own failure line is the 10th error annotation.
    expect(bounded.annotated).toHaveLength(MAX_ERROR_ANNOTATIONS - 1);
    expect(bounded.annotated[0]).toEqual(problems[0]);
    expect(bounded.listed).toHaveLength(MAX_LISTED_PROBLEMS - bounded.annotated.length);
    expect(bounded.listed[0]?.key).toBe("k9");
    expect(bounded.more).toEqual(["… and 89 900 more of the same kind (unknown key `…`; the keys here are `…`, `…`)"]);
    expect(bounded.total).toBe(90_000);
    expect(problemLines(bounded)).toHaveLength(bounded.listed.length + 1);
  });

  it("annotates every problem when there are few", () => {
    const bounded = boundProblems([unknownKey(1), unknownKey(2)]);
    expect(bounded.annotated).toHaveLength(2);
    expect(bounded.listed).toEqual([]);
    expect(bounded.more).toEqual([]);
  });

  it("counts each kind on a line of its own, in the order they first come", () => {
    const bad = (n: number): Problem => ({ message: `\`environment.K${n}\` must be a string, got the number ${n}` });
    const problems = [
      ...Array.from({ length: 150 }, (_, n) => unknownKey(n)),
      ...Array.from({ length: 30 }, (_, n) => bad(n)),
    ];
    expect(boundProblems(problems).more).toEqual([
      "… and 50 more of the same kind (unknown key `…`; the keys here are `…`, `…`)",
      "… and 30 more of the same kind (`…` must be a string, got the number N)",
    ]);
  });

  it("cuts a problem that quotes a huge value", () => {
    const [problem] = boundProblems([{ message: `bad value ${"x".repeat(50_000)}` }]).annotated;
    expect(problem?.message.length).toBeLessThan(1100);
    expect(problem?.message).toMatch(/… \(50 010 characters in all\)$/);
  });
});

describe("foldRepeats", () => {
  it("says one mistake repeated 500 times once, with its count, where it was first said", () => {
    const twice: Problem = { key: "images", message: "input `images`: two images for container `app`" };
    const other: Problem = { key: "images", message: "input `images`: no container `worker` in the config" };
    const folded = foldRepeats([twice, ...Array.from({ length: 499 }, () => twice), other]);
    expect(folded).toEqual([
      { key: "images", message: "input `images`: two images for container `app` (500 times)" },
      other,
    ]);
  });
});

describe("kindOf", () => {
  it("takes out the keys, values and numbers a message quotes", () => {
    expect(kindOf('`port` must be an integer from 1 to 65535, got the string "80"')).toBe(
      '`…` must be an integer from N to N, got the string "…"',
    );
  });
});

describe("boundSummary", () => {
  it("leaves a summary that fits as it is", () => {
    expect(boundSummary("## ✅ Deployed\n")).toBe("## ✅ Deployed\n");
  });

  it("cuts at a line, closes the code block and the folds left open, and says so", () => {
    const markdown = [
      "## ❌ Deploy failed",
      "<details open><summary>Why</summary>",
      "",
      "```text",
      ...Array.from({ length: 100 }, (_, n) => `line ${n} ${"é".repeat(40)}`),
      "```",
      "</details>",
    ].join("\n");
    const cut = boundSummary(markdown, 2000);

    expect(utf8Bytes(cut)).toBeLessThanOrEqual(2000);
    expect(cut).toContain("line 0 ");
    expect(cut).not.toContain("line 99 ");
    const tail = cut.trimEnd().split("\n").slice(-4);
    expect(tail).toEqual([
      "```",
      "</details>",
      "",
      "_The job summary was cut here to stay under GitHub's 1 MiB limit: the step's log has the rest._",
    ]);
  });

  it("measures UTF-8 bytes, not characters: 700 000 four-byte characters are too many", () => {
    const markdown = `## x\n\n\`\`\`text\n${"😀".repeat(700_000)}\n\`\`\`\n`;
    const cut = boundSummary(markdown);
    expect(utf8Bytes(markdown)).toBeGreaterThan(MAX_SUMMARY_BYTES);
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    // The huge line shows its start, cut on a character, and the block is closed.
    expect(cut).toMatch(/```text\n(😀)+…\n```\n/);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
