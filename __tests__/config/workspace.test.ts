// The workspace reader: config files and every file they extend stay in the workspace, are regular files, at most
// 1 MiB of UTF-8; each refusal is one problem that says why, and nothing blocks or fills the memory.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { firstInvalidUtf8 } from "../../src/config/utf8.js";
import { loadConfig, loadConfigFile, MAX_CONFIG_BYTES } from "../../src/workspace.js";
import { guideToml, problemsOf } from "../support/config.js";

function workspace(files: Record<string, string | Buffer> = {}): string {
  const root = mkdtempSync(join(tmpdir(), "ws-reader-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe("what is read", () => {
  test("a config in a folder, extending a shared file by a relative path", () => {
    const root = workspace({
      "shared/universe.toml": guideToml.replace(/^service.*$/m, "").replace(/^port.*$/m, ""),
      "apps/web/prod.toml": 'extends = "../../shared/universe.toml"\nservice = "web"\nport = 80\n',
    });
    const loaded = loadConfigFile(root, "apps/web/prod.toml");
    expect(loaded.config.service).toBe("web");
    expect(loaded.sources.map((s) => s.file)).toEqual(["apps/web/prod.toml", "shared/universe.toml"]);
  });

  test("an absolute path inside the workspace is read as the relative path it is", () => {
    const root = workspace({ "deploy/app.toml": guideToml });
    expect(loadConfig(root, join(root, "deploy/app.toml")).service).toBe("NAME-test");
  });

  test("a symlink that stays inside the workspace is followed", () => {
    const root = workspace({ "deploy/real.toml": guideToml });
    symlinkSync(join(root, "deploy/real.toml"), join(root, "deploy/app.toml"));
    expect(loadConfig(root, "deploy/app.toml").service).toBe("NAME-test");
  });
});

describe("what is refused, with the reason", () => {
  const outside = mkdtempSync(join(tmpdir(), "outside-"));
  writeFileSync(join(outside, "secret.toml"), guideToml);

  test.each([
    ["../outside.toml", /leaves the workspace/],
    ["deploy/../../outside.toml", /leaves the workspace/],
    [join(outside, "secret.toml"), /is an absolute path/],
  ])("the path %s", (path, message) => {
    const problems = problemsOf(() => loadConfig(workspace(), path));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.key).toBe("config");
    expect(problems[0]?.message).toMatch(message);
  });

  test("a symlink pointing out of the workspace", () => {
    const root = workspace();
    symlinkSync(join(outside, "secret.toml"), join(root, "app.toml"));
    expect(problemsOf(() => loadConfig(root, "app.toml"))[0]?.message).toMatch(
      /app\.toml is a symbolic link to .*secret\.toml, outside the workspace/,
    );
  });

  test("a base that is a symlink out of the workspace, annotated on the `extends` naming it", () => {
    const root = workspace({ "app.toml": `extends = "base.toml"\n${guideToml}` });
    symlinkSync(join(outside, "secret.toml"), join(root, "base.toml"));
    const [problem] = problemsOf(() => loadConfig(root, "app.toml"));
    expect(problem?.message).toMatch(/base\.toml is a symbolic link .* outside the workspace.*app\.toml → base\.toml/);
    expect(problem?.location).toEqual({ file: "app.toml", line: 1, column: 1 });
  });

  test("a symlink to /dev/zero is refused without reading it", () => {
    const root = workspace();
    symlinkSync("/dev/zero", join(root, "app.toml"));
    expect(problemsOf(() => loadConfig(root, "app.toml"))[0]?.message).toMatch(/outside the workspace/);
  });

  test("a FIFO is refused at once instead of waiting for a writer", () => {
    const root = workspace();
    execFileSync("mkfifo", [join(root, "app.toml")]);
    expect(problemsOf(() => loadConfig(root, "app.toml"))[0]?.message).toBe(
      "config file app.toml is a named pipe (FIFO), not a regular file",
    );
  });

  test("a file over 1 MiB", () => {
    const root = workspace({ "app.toml": `${guideToml}#${"x".repeat(MAX_CONFIG_BYTES)}\n` });
    expect(problemsOf(() => loadConfig(root, "app.toml"))[0]?.message).toMatch(/larger than 1 MiB/);
  });

  test("a file of exactly 1 MiB is read", () => {
    const padding = MAX_CONFIG_BYTES - Buffer.byteLength(guideToml) - 2;
    const root = workspace({ "app.toml": `${guideToml}#${"x".repeat(padding)}\n` });
    expect(loadConfig(root, "app.toml").service).toBe("NAME-test");
  });

  test("a file that is not UTF-8 says so, with the byte offset and line", () => {
    const latin1 = Buffer.concat([
      Buffer.from(`${guideToml}[environment]\nCITY = "M`),
      Buffer.from([0xfc]),
      Buffer.from('nchen"\n'),
    ]);
    const [problem] = problemsOf(() => loadConfig(workspace({ "deploy/app.toml": latin1 }), "deploy/app.toml"));
    const offset = Buffer.byteLength(`${guideToml}[environment]\nCITY = "M`);
    expect(problem?.message).toBe(
      `config file deploy/app.toml is not UTF-8: byte 0xFC at offset ${offset} (line 9) is not valid UTF-8; save the file as UTF-8`,
    );
    expect(problem?.location).toEqual({ file: "deploy/app.toml", line: 9, column: 1 });
  });

  test("a missing file and a directory", () => {
    const root = workspace({ "deploy/app.toml": guideToml });
    expect(problemsOf(() => loadConfig(root, "deploy/prod.toml"))[0]?.message).toMatch(/deploy\/prod\.toml not found/);
    expect(problemsOf(() => loadConfig(root, "deploy"))[0]?.message).toMatch(/is a directory/);
  });
});

describe("firstInvalidUtf8", () => {
  test.each([
    [[0x61, 0x62], undefined],
    [[0xe2, 0x82, 0xac], undefined],
    [[0xf0, 0x9f, 0x98, 0x80], undefined],
    [[0x61, 0xff], 1],
    [[0xc0, 0xaf], 0], // overlong "/"
    [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
    [[0x61, 0xe2, 0x82], 1], // cut short
  ])("%j → %s", (bytes, offset) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(offset);
  });
});
