// `deploy-action history`'s figures, for `npm run bench`: the bundled command line against moto through the recording
// proxy (50 ms added to each answer), on a family of 40 revisions, each tagged with its commit and pinned by digest
// as the action registers them. moto answers no ListServiceDeployments, so this is the family's-revisions path: one
// DescribeTaskDefinition per listed revision (five at a time) and one DescribeImages per repository. The calls it
// makes and the round trips a user waits for, at the default --limit (10) and at 40.
// Alone: node -e 'import("./scripts/lib/bench-history.mjs").then(async (m) => console.log((await m.historyBench()).markdown.join("\n")))'
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ECRClient, ListImagesCommand } from "@aws-sdk/client-ecr";
import { ECSClient, RegisterTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { motoEnv, startMoto } from "./moto.mjs";
import { sequentialRoundTrips, startProxy } from "./proxy.mjs";
import { runCli } from "./run-cli.mjs";
import { guideConfig, seedWorld } from "./seed.mjs";

const ROUND_TRIP_MS = 50;
const REVISIONS = 40;

/** `REVISIONS` more revisions of the world's family, alternating its two images pinned by digest. */
async function registerRevisions(endpoint, world) {
  const options = {
    region: world.region,
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
  const [ecs, ecr] = [new ECSClient(options), new ECRClient(options)];
  try {
    const listed = await ecr.send(new ListImagesCommand({ repositoryName: world.service }));
    const host = `${world.account}.dkr.ecr.${world.region}.amazonaws.com`;
    const pinned = (listed.imageIds ?? []).map((id) => `${host}/${world.service}@${id.imageDigest}`);
    for (let i = 0; i < REVISIONS; i++) {
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: world.service,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "512",
          containerDefinitions: [{ name: world.service, image: pinned[i % pinned.length] }],
          tags: [
            { key: "deploy-action:commit", value: String(i % 10).repeat(40) },
            { key: "deploy-action:repository", value: "octo/app" },
          ],
        }),
      );
    }
  } finally {
    ecs.destroy();
    ecr.destroy();
  }
}

/** `moto`: a running moto server to share (one is started and stopped otherwise). */
export async function historyBench({ moto: shared } = {}) {
  const moto = shared ?? (await startMoto());
  const proxy = await startProxy({ target: moto.endpoint, motoCompat: true, delayMs: ROUND_TRIP_MS });
  const cwd = mkdtempSync(join(tmpdir(), "deploy-action-bench-history-"));
  try {
    const world = await seedWorld({ endpoint: moto.endpoint, name: "history" });
    await registerRevisions(moto.endpoint, world);
    writeFileSync(join(cwd, "config.toml"), guideConfig(world));
    const figures = {};
    for (const limit of [10, REVISIONS]) {
      proxy.calls.length = 0;
      const run = await runCli({
        cwd,
        args: ["history", "config.toml", "--limit", String(limit)],
        env: motoEnv(proxy.endpoint),
      });
      if (run.code !== 0) throw new Error(`history failed:\n${run.stdout}\n${run.stderr}`);
      const byOperation = {};
      for (const call of proxy.calls) byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
      figures[`limit${limit}`] = {
        ms: run.ms,
        calls: proxy.calls.length,
        sequential: sequentialRoundTrips(proxy.calls),
        byOperation,
        rows: run.stdout.split("\n").filter((l) => l.startsWith(`  ${world.service}:`)).length,
      };
    }
    const row = (limit) => {
      const f = figures[`limit${limit}`];
      const ops = Object.entries(f.byOperation)
        .map(([op, n]) => `${op} ×${n}`)
        .join(", ");
      return `| \`history --limit ${limit}\` (${f.rows} rows) | ${f.ms} ms | ${f.calls} (${ops}) | ${f.sequential} | ≤ ${limit + 6} calls |`;
    };
    const markdown = [
      "## History",
      "",
      `\`deploy-action history\` by the bundled command line on a family of ${REVISIONS + 1} revisions (pinned images, commit tags),`,
      `against moto with ${ROUND_TRIP_MS} ms added to each answer: moto has no ListServiceDeployments, so the family's revisions path.`,
      "",
      "| run | wall time (process start to exit) | AWS calls | sequential round trips | bar |",
      "|---|---|---|---|---|",
      row(10),
      row(REVISIONS),
    ];
    return { figures, markdown };
  } finally {
    await proxy.stop();
    if (!shared) await moto.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
}
