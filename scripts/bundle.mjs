// `npm run bundle`: ONE ncc bundle, dist/index.js, serves both the action and the command line, so the command line
// adds a few hundred bytes to dist/ instead of a second copy of the AWS SDK. dist/cli.js is the command line's
// launcher: it marks the run as the command line's, then loads the bundle (src/index.ts reads the mark).
import { execFileSync } from "node:child_process";
import { chmodSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");

/** The mark src/index.ts looks for: a registered symbol, so no other code can set it by accident. */
export const CLI_MARK = "ocf.deploy-action.cli";

export const LAUNCHER = `#!/usr/bin/env node
// The deploy-action command line (package.json "bin"): the action's own bundle, told that it runs in a terminal.
globalThis[Symbol.for("${CLI_MARK}")] = true;
await import("./index.js");
`;

/**
 * Builds into .dist-next and swaps the files into dist/ only once the build is whole: a bundle interrupted (Ctrl-C,
 * a hook's time limit) leaves the previous dist/ in place, not an empty one.
 */
function bundle() {
  const next = join(ROOT, ".dist-next");
  rmSync(next, { recursive: true, force: true });
  const ncc = createRequire(import.meta.url).resolve("@vercel/ncc/dist/ncc/cli.js");
  execFileSync(
    process.execPath,
    // No `-m`: ncc's minify (terser renaming 4 MB) took 3½ of the bundle's 5 minutes, and compress-dist minifies
    // anyway, to a smaller file.
    [ncc, "build", "src/index.ts", "-o", next, "--license", "licenses.txt", "--no-source-map-register"],
    { cwd: ROOT, stdio: "inherit" },
  );
  execFileSync(process.execPath, [join(ROOT, "scripts", "compress-dist.mjs"), next], { cwd: ROOT, stdio: "inherit" });
  writeFileSync(join(next, "cli.js"), LAUNCHER);
  renameSync(join(next, "licenses.txt"), join(ROOT, "THIRD_PARTY_LICENSES.txt"));
  // A chunk of an earlier build (dist/<id>.index.js) must not linger beside the new ones.
  for (const name of readdirSync(DIST)) if (name.endsWith(".js")) rmSync(join(DIST, name));
  for (const name of readdirSync(next)) renameSync(join(next, name), join(DIST, name));
  rmSync(next, { recursive: true, force: true });
  // npm links bins executable on install; the mode in git makes `./dist/cli.js` work from a clone too.
  chmodSync(join(DIST, "cli.js"), 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) bundle();
