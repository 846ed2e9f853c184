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

function bundle() {
  // A chunk of an earlier build (dist/<id>.index.js) must not linger beside the new ones.
  for (const name of readdirSync(DIST)) if (name.endsWith(".js")) rmSync(join(DIST, name));
  const ncc = createRequire(import.meta.url).resolve("@vercel/ncc/dist/ncc/cli.js");
  execFileSync(
    process.execPath,
    // No `-m`: ncc's minify (terser renaming 4 MB) took 3½ of the bundle's 5 minutes, and compress-dist minifies
    // anyway, to a smaller file.
    [ncc, "build", "src/index.ts", "-o", "dist", "--license", "licenses.txt", "--no-source-map-register"],
    { cwd: ROOT, stdio: "inherit" },
  );
  renameSync(join(DIST, "licenses.txt"), join(ROOT, "THIRD_PARTY_LICENSES.txt"));
  execFileSync(process.execPath, [join(ROOT, "scripts", "compress-dist.mjs"), DIST], { cwd: ROOT, stdio: "inherit" });
  const launcher = join(DIST, "cli.js");
  writeFileSync(launcher, LAUNCHER);
  // npm links bins executable on install; the mode in git makes `./dist/cli.js` work from a clone too.
  chmodSync(launcher, 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) bundle();
