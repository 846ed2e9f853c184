// The GitHub host prints untrusted lines so that the runner, reading the output by its own rules
// (support/runner.ts), finds no command in them: each on one line, and inside stop-commands with a fresh token
// when any could parse as a command.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { githubHost } from "../../src/host/github.js";
import { runnerCommands } from "../support/runner.js";

let out = "";
beforeEach(() => {
  out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const HOSTILE = [
  "::error title=x::forged annotation",
  "   ::warning::indented is no protection",
  "::stop-commands::token",
  "::set-output name=result::succeeded",
  "text ##[set-output name=result;]succeeded",
  "before\r::error::after a carriage return",
  "two\nlines ::notice::x",
  "::token::",
];

describe("githubHost().info", () => {
  it("prints the action's own lines inert too: a file name or key with `\\n::error::` forges nothing", () => {
    githubHost().info("port, cpu from shared/a\n::error::FORGED.toml");
    githubHost().info("Container web\r::warning::FORGED: nginx:1");
    const { commands, stoppedAtEnd } = runnerCommands(out);
    expect(commands.map((c) => c.name)).toEqual(["stop-commands", "resume-commands"]);
    expect(stoppedAtEnd).toBe(false);
    expect(out).toContain("Container web\\r::warning::FORGED: nginx:1\n");
  });

  it("prints a plain line as it is", () => {
    githubHost().info("Task family web, 256 CPU units");
    expect(out).toBe("Task family web, 256 CPU units\n");
  });
});

describe("githubHost().untrusted", () => {
  it("leaves the runner no command but its own stop and resume", () => {
    githubHost().untrusted(HOSTILE);
    const { commands, stoppedAtEnd } = runnerCommands(out);
    expect(commands.map((c) => c.name)).toEqual(["stop-commands", "resume-commands"]);
    expect(commands[0]?.data).toMatch(/^[0-9a-f]{32}$/);
    expect(stoppedAtEnd).toBe(false);
    // Each line printed as one line, its breaks shown as escapes.
    expect(out).toContain("before\\r::error::after a carriage return\n");
    expect(out).toContain("two\\nlines ::notice::x\n");
  });

  it("a fresh token each time: no line can guess it", () => {
    githubHost().untrusted(["::a::"]);
    githubHost().untrusted(["::a::"]);
    const tokens = runnerCommands(out)
      .commands.filter((c) => c.name === "stop-commands")
      .map((c) => c.data);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it("plain lines print plainly, with no stop-commands around them", () => {
    githubHost().untrusted(["(service web) has reached a steady state.", "10.0.1.10:8080 in web-tg healthy"]);
    expect(out).toBe("(service web) has reached a steady state.\n10.0.1.10:8080 in web-tg healthy\n");
  });
});

describe("the runner's rules, as support/runner.ts reads them", () => {
  it("V2 at line start after white space, V1 anywhere, lines split at \\r, stop and resume", () => {
    const text = [
      "  ::error::one",
      "x ::warning::not a command",
      "x ##[warning]legacy anywhere",
      "a\r::notice::after cr",
      "::stop-commands::t1",
      "::error::while stopped",
      "::t1::",
      "::unknown::not registered",
    ].join("\n");
    const { commands } = runnerCommands(text);
    expect(commands.map((c) => [c.name, c.data])).toEqual([
      ["error", "one"],
      ["warning", "legacy anywhere"],
      ["notice", "after cr"],
      ["stop-commands", "t1"],
      ["resume-commands", ""],
    ]);
  });
});
