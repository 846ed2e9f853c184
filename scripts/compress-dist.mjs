// After `ncc build` (without -m): one terser pass compresses and renames. It removes the code webpack marked dead
// (unused exports, unused functions of concatenated ES modules, the SDK's unused shapes), which ncc's own minify
// (`compress: false`) would leave. Names are kept: error classes and zod's constructors are told apart by name.
// Usage: node scripts/compress-dist.mjs [dir=dist]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const dir = process.argv[2] ?? "dist";
let before = 0;
let after = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith(".js"))) {
  const file = join(dir, name);
  const code = readFileSync(file, "utf8");
  const out = await minify(code, {
    module: true, // dist/ is ESM ("type": "module"), which also lets top-level dead code go
    compress: { passes: 2 },
    mangle: { keep_classnames: true, keep_fnames: true },
    keep_classnames: true,
    keep_fnames: true,
    // Non-ASCII characters (→, …) escaped: a source of ASCII only is a one-byte string to V8, quicker to decode and
    // to compile at start-up than the two-byte string one such character makes of the whole file.
    format: { ascii_only: true },
  });
  if (out.code === undefined) throw new Error(`terser gave no output for ${file}`);
  writeFileSync(file, out.code);
  before += code.length;
  after += out.code.length;
}
console.log(`compress-dist: ${before} -> ${after} bytes`);
