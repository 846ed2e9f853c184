// End to end: a config file (or a file it extends) that leaves the workspace, is not a regular file, is too large or is
// not UTF-8 stops the bundled action at once, with a clear first error and not one AWS call (the proxy records all).
import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import { deployAction, errorLines, workspaceWith, UNCALLED_WORLD as world } from "../support/e2e.js";

// Any config will do: nothing of it may be read or sent. The guide's file, with moto's account.
const guide = guideConfig(world);
const outside = mkdtempSync(join(tmpdir(), "outside-ws-"));
writeFileSync(join(outside, "app.toml"), guide);

type Case = [string, () => { workspace: string; config: string }, RegExp];

const cases: Case[] = [
  [
    "a `..` path out of the workspace",
    () => ({ ...workspaceWith(guide), config: "../outside/app.toml" }),
    /leaves the workspace/,
  ],
  [
    "an absolute path elsewhere",
    () => ({ ...workspaceWith(guide), config: join(outside, "app.toml") }),
    /is an absolute path/,
  ],
  [
    "a symlink pointing out",
    () => {
      const ws = workspaceWith(guide);
      symlinkSync(join(outside, "app.toml"), join(ws.workspace, "deploy/link.toml"));
      return { ...ws, config: "deploy/link.toml" };
    },
    /deploy\/link\.toml is a symbolic link to .*, outside the workspace/,
  ],
  [
    "a FIFO, which would block a read for ever",
    () => {
      const ws = workspaceWith(guide);
      execFileSync("mkfifo", [join(ws.workspace, "deploy/fifo.toml")]);
      return { ...ws, config: "deploy/fifo.toml" };
    },
    /deploy\/fifo\.toml is a named pipe \(FIFO\), not a regular file/,
  ],
  ["a file over 1 MiB", () => workspaceWith(`${guide}#${"x".repeat(1024 * 1024)}\n`), /larger than 1 MiB/],
  [
    "a file that is not UTF-8",
    () =>
      workspaceWith(
        Buffer.concat([
          Buffer.from(`${guide}[environment]\nCITY = "M`),
          Buffer.from([0xfc]),
          Buffer.from('nchen"\n'),
        ]) as unknown as string,
      ),
    /deploy\/app\.toml is not UTF-8: byte 0xFC at offset \d+ \(line 10\)/,
  ],
  [
    "a base reached through `extends` that is a symlink out",
    () => {
      const ws = workspaceWith(`extends = "universe.toml"\n${guide}`);
      symlinkSync(join(outside, "app.toml"), join(ws.workspace, "deploy/universe.toml"));
      return ws;
    },
    /deploy\/universe\.toml is a symbolic link .* outside the workspace.*\(extends chain: deploy\/app\.toml → deploy\/universe\.toml\)/,
  ],
  [
    "a base that leaves the workspace",
    () => workspaceWith(`extends = "../../outside.toml"\n${guide}`),
    /`extends` = "\.\.\/\.\.\/outside\.toml" leaves the workspace/,
  ],
];

const IMAGES = { images: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:r1" };

/** Past the runner helper's 60 s, which kills a run that hangs: a hang is then reported with what it printed. */
const HANG_REPORTED_MS = 90_000;

describe.concurrent("config files the action refuses to read", () => {
  // What "at once" takes on this machine now: the bundle's start-up and the refusal of a bad input, which reads no
  // file, run beside the cases under the same load. A loaded machine slows both alike; a read that blocks or runs
  // on does not slow the control.
  let control: ReturnType<typeof deployAction>;
  beforeAll(() => {
    control = deployAction(workspaceWith(guide), { ...IMAGES, "wait-timeout": "soon" });
  });

  it.each(cases)(
    "%s: exits non-zero at once, says why, calls no AWS",
    async (_name, make, message) => {
      const run = await deployAction(make(), IMAGES);

      expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
      expect(errorLines(run.stdout)[0]).toMatch(message);
      expect(run.outputs.result).toBe("failed");
      expect(run.calls).toEqual([]);
      // "At once": the bundle's start-up and a refusal, nowhere near the 60 s the runner helper allows a hang.
      const startUp = await control;
      expect(startUp.code, startUp.stdout).toBe(1);
      expect(errorLines(startUp.stdout)[0]).toMatch(/wait-timeout/);
      expect(run.ms).toBeLessThan(3 * startUp.ms + 2000);
      console.info(`${_name}: ${run.ms} ms (a bad input's refusal beside it: ${startUp.ms} ms)`);
    },
    HANG_REPORTED_MS,
  );
});
