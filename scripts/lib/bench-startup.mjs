// Start-up and dist/ bytes of two bundles side by side, in one run: `before` is the dist/ committed at a git ref
// (main, by default), `after` is ./dist. Start-up is process start to the first AWS request (the recording proxy's
// first call), the median of interleaved runs, so both see the same machine load. The GitHub lookup's section
// (bench-github.mjs) measures its own before/after with this same function and table.
// Alone: node -e 'import("./scripts/lib/bench-startup.mjs").then(async (m) => console.log((await m.startupBench()).markdown.join("\n")))'
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { ROOT, runAction } from "./run-action.mjs";
import { guideConfig, seedWorld } from "./seed.mjs";

const ROUND_TRIP_MS = 50;

function bytesOf(dir) {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/** The dist/ committed at `ref`, unpacked into a temporary folder. */
function distAt(ref) {
  const dir = mkdtempSync(join(tmpdir(), "deploy-action-dist-"));
  const tar = execFileSync("git", ["archive", "--format=tar", ref, "dist"], { cwd: ROOT, maxBuffer: 64 << 20 });
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  return { dir, dist: join(dir, "dist") };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * `baseRef`: the commit whose dist/ is `before`; `label`: what it names in the table's title (the ref by default);
 * `moto`: a running moto server to share (one is started and stopped otherwise).
 */
export async function startupBench({ baseRef = "main", runs = 7, label = baseRef, moto: shared } = {}) {
  const before = distAt(baseRef);
  const bundles = { before: before.dist, after: join(ROOT, "dist") };
  const moto = shared ?? (await startMoto());
  const proxy = await startProxy({ target: moto.endpoint, motoCompat: true, delayMs: ROUND_TRIP_MS });
  Object.assign(process.env, motoEnv(moto.endpoint));
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-bench-startup-"));
  try {
    const tags = Array.from({ length: 2 * runs }, (_, i) => `s${i}`);
    const world = await seedWorld({ endpoint: moto.endpoint, name: "startup", tags });
    writeFileSync(join(workspace, "config.toml"), guideConfig(world));
    const firstRequest = { before: [], after: [] };
    for (let i = 0; i < 2 * runs; i++) {
      const which = i % 2 === 0 ? "before" : "after";
      proxy.calls.length = 0;
      const spawnedAt = performance.now();
      const run = await runAction({
        entry: join(bundles[which], "index.js"),
        workspace,
        inputs: {
          config: "config.toml",
          images: `${world.account}.dkr.ecr.${world.region}.amazonaws.com/startup:${tags[i]}`,
          wait: "false",
        },
        env: motoEnv(proxy.endpoint),
      });
      if (run.code !== 0) throw new Error(`start-up bench (${which}) failed:\n${run.stdout}\n${run.stderr}`);
      const first = proxy.calls.reduce((min, c) => Math.min(min, c.start), Number.POSITIVE_INFINITY);
      firstRequest[which].push(first - spawnedAt);
    }
    const figures = {
      baseRef,
      runs,
      startupMs: { before: Math.round(median(firstRequest.before)), after: Math.round(median(firstRequest.after)) },
      distBytes: { before: bytesOf(bundles.before), after: bytesOf(bundles.after) },
    };
    const change = (key) => {
      const { before: b, after: a } = figures[key];
      return `${a >= b ? "+" : ""}${((100 * (a - b)) / b).toFixed(1)} %`;
    };
    const markdown = [
      `### Start-up and size: dist/ at ${label} against this tree's (interleaved runs, median of ${runs} each)`,
      "",
      "| figure | before | after | change |",
      "|---|---|---|---|",
      `| process start → first AWS request | ${figures.startupMs.before} ms | ${figures.startupMs.after} ms | ${change("startupMs")} |`,
      `| dist/ bytes | ${figures.distBytes.before} | ${figures.distBytes.after} | ${change("distBytes")} |`,
    ];
    return { figures, markdown };
  } finally {
    await proxy.stop();
    if (!shared) await moto.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(before.dir, { recursive: true, force: true });
  }
}
