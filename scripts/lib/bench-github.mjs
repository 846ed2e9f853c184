// The figures of the GitHub lookup for `npm run bench` (issues 17.6 and 19.2), on the bundled action as the runner
// runs it, against moto through the proxy (50 ms a round trip) and a stub GitHub API on loopback:
// - start-up (process start → first AWS request) and dist/ size, this dist/ and the one before @actions/github came in,
//   measured by the start-up section's own function (bench-startup.mjs);
// - a hostile GitHub (hangs; answers 200 s late; sends 64 MiB): how long the step goes on after the deploy's end
//   (UpdateService answered, wait: false), and how soon a cancel (SIGINT) while it hangs ends the step.
// Alone: node -e 'import("./scripts/lib/bench-github.mjs").then(async (m) => console.log((await m.githubBench()).markdown.join("\n")))'
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startupBench } from "./bench-startup.mjs";
import { motoEnv, startMoto } from "./moto.mjs";
import { startProxy } from "./proxy.mjs";
import { ROOT, runAction } from "./run-action.mjs";
import { guideConfig, seedWorld } from "./seed.mjs";

const RUNS = 5;
const ROUND_TRIP_MS = 50;
const SHA = (n) => String(n).repeat(40).slice(0, 40);

/** The commit before @actions/github entered package.json: the start-up bench's `before`. */
function refBeforeGitHub() {
  const log = execFileSync("git", ["log", "--format=%H", "-S", '"@actions/github"', "--", "package.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const added = log.trim().split("\n").filter(Boolean).at(-1);
  return added
    ? { ref: `${added}^`, label: `${added.slice(0, 7)}^ (no @actions/github)` }
    : { ref: "HEAD", label: "HEAD" };
}

/** A GitHub API that hangs, answers late, or sends `bodyBytes` bytes of JSON string as fast as it goes. */
async function stubGitHub(mode) {
  const server = createServer((_req, res) => {
    if (mode.hang) return;
    if (mode.delayMs) return void setTimeout(() => res.end("{}"), mode.delayMs).unref();
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(1024 * 1024, "a");
    let left = mode.bodyBytes;
    const more = () => {
      while (left > 0 && !res.destroyed) {
        left -= chunk.length;
        if (!res.write(chunk)) return void res.once("drain", more);
      }
      if (!res.destroyed) res.end();
    };
    more();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

function githubEnv(apiUrl, sha) {
  return {
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: "octo/app",
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: "https://github.com",
    "INPUT_GITHUB-TOKEN": "ghs_bench",
  };
}

const HOSTILE = [
  { name: "hangs", mode: { hang: true } },
  { name: "answers 200 s late", mode: { delayMs: 200_000 } },
  { name: "sends 64 MiB", mode: { bodyBytes: 64 * 1024 * 1024 } },
  { name: "hangs, and the run is cancelled", mode: { hang: true }, cancel: true },
];

async function hostile(moto, index, spec) {
  const world = await seedWorld({ endpoint: moto.endpoint, name: `gh-${index}`, tags: ["r1", "r2"] });
  const proxy = await startProxy({ target: moto.endpoint, motoCompat: true, delayMs: ROUND_TRIP_MS });
  const github = await stubGitHub(spec.mode);
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-bench-gh-"));
  writeFileSync(join(workspace, "config.toml"), guideConfig(world));
  const image = (tag) => `${world.account}.dkr.ecr.${world.region}.amazonaws.com/gh-${index}:${tag}`;
  try {
    // A first deploy leaves a revision that names its commit; the second compares against it.
    const first = await runAction({
      workspace,
      inputs: { config: "config.toml", images: image("r1"), wait: "false", "github-token": "" },
      env: { ...motoEnv(proxy.endpoint), ...githubEnv(github.url, SHA(1)), "INPUT_GITHUB-TOKEN": "" },
    });
    if (first.code !== 0) throw new Error(`bench deploy failed:\n${first.stdout}\n${first.stderr}`);
    proxy.calls.length = 0;
    let signalledAt;
    let printed = "";
    const spawnedAt = performance.now();
    const run = await runAction({
      workspace,
      inputs: { config: "config.toml", images: image("r2"), wait: "false" },
      env: { ...motoEnv(proxy.endpoint), ...githubEnv(github.url, SHA(2)) },
      timeoutMs: 300_000,
      ...(spec.cancel ? { signalOn: /Not waiting for the rollout/ } : {}),
      onStdout: (chunk) => {
        printed += chunk;
        if (spec.cancel && signalledAt === undefined && /Not waiting for the rollout/.test(printed)) {
          signalledAt = performance.now();
        }
      },
    });
    const exitedAt = spawnedAt + run.ms;
    const update = proxy.calls.find((c) => c.operation === "UpdateService");
    return {
      name: spec.name,
      result: run.outputs.result ?? "",
      shipped: (run.stdout.split("\n").find((l) => /GitHub|ships|shipped/.test(l)) ?? "").trim(),
      afterDeployEndMs: Math.round(exitedAt - (update?.end ?? exitedAt)),
      ...(spec.cancel ? { cancelToExitMs: Math.round(exitedAt - (signalledAt ?? exitedAt)) } : {}),
    };
  } finally {
    await github.stop();
    await proxy.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

export async function githubBench() {
  const moto = await startMoto();
  try {
    const { ref, label } = refBeforeGitHub();
    const startup = await startupBench({ baseRef: ref, label, runs: RUNS, moto });
    const cases = [];
    for (const [index, spec] of HOSTILE.entries()) cases.push(await hostile(moto, index, spec));
    return { figures: { startup: startup.figures, cases }, markdown: markdown(startup.markdown, cases) };
  } finally {
    await moto.stop();
  }
}

function markdown(startup, cases) {
  return [
    "## The GitHub lookup: @actions/github in a chunk of its own, bounded",
    "",
    "This build (@actions/github in a lazy chunk) against the one before @actions/github came in:",
    "",
    ...startup,
    "",
    "A hostile GitHub API on loopback, `wait: false`: how long the step goes on after the deploy's end (UpdateService",
    "answered), with the real limits (8 s a call, 30 s in all, 8 MiB an answer); a cancel is the runner's SIGINT once",
    "the deploy has ended and the lookup hangs.",
    "",
    "| GitHub API | result | step end after the deploy's end (bar ≤ 30 s) | SIGINT → exit (bar ≤ 1 s) |",
    "|---|---|---|---|",
    ...cases.map(
      (c) =>
        `| ${c.name} | ${c.result} | ${c.afterDeployEndMs} ms | ${c.cancelToExitMs === undefined ? "" : `${c.cancelToExitMs} ms`} |`,
    ),
  ];
}
