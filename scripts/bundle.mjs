// `npm run bundle`: ONE ncc bundle, dist/index.js, serves both the action and the command line, so the command line
// adds a few hundred bytes to dist/ instead of a second copy of the AWS SDK. dist/cli.js is the command line's
// launcher: it marks the run as the command line's, then loads the bundle (src/index.ts reads the mark).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
async function bundle() {
  const next = join(ROOT, ".dist-next");
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next);
  const ncc = createRequire(import.meta.url)("@vercel/ncc");
  const { code, assets } = await ncc(join(ROOT, "src", "index.ts"), {
    // The resolver takes a package's ES build (package.json "module") where it has one: webpack leaves out the SDK's
    // commands, shapes and credential providers the action never uses only from the ES builds, which keeps dist/
    // within its budget (docs/benchmarks.md). The source imports the package roots, as tests and types see them.
    mainFields: ["module", "main"],
    // No `minify`: ncc's (terser renaming 4 MB) took 3½ of the bundle's 5 minutes, and compress-dist minifies
    // anyway, to a smaller file.
    license: "licenses.txt",
    sourceMapRegister: false,
    quiet: true,
  });
  writeFileSync(join(next, "index.js"), code);
  for (const [name, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(next, name)), { recursive: true });
    writeFileSync(join(next, name), asset.source, { mode: asset.permissions });
  }
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

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
