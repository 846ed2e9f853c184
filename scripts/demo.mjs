// `npm run demo`: deploys the user guide's config.toml, unchanged but for the names, against a local
// moto server that this script starts and seeds itself; the action runs exactly as the GitHub runner runs it.
// `npm run demo -- --keep`: then leaves that world running, prints the `export` lines and the `deploy-action`
// command to try against it from another terminal, and stops it all on Ctrl-C.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { motoEnv, startMoto } from "./lib/moto.mjs";
import { startProxy } from "./lib/proxy.mjs";
import { runAction } from "./lib/run-action.mjs";
import { guideConfig, seedWorld } from "./lib/seed.mjs";

const say = (text) => process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
const keep = process.argv.slice(2).includes("--keep");

const moto = await startMoto();
// moto keeps a new deployment's task definition at the first revision; this proxy corrects that one field.
const proxy = await startProxy({ target: moto.endpoint, motoCompat: true });
// Fake credentials and the local endpoint, for this script and the action it runs.
Object.assign(process.env, motoEnv(moto.endpoint));
const workspace = mkdtempSync(join(tmpdir(), "deploy-action-demo-"));
// RUNNER_TEMP, kept after the demo: the rendered task definition the log names is there to read.
const kept = mkdtempSync(join(tmpdir(), "deploy-action-demo-files-"));
let exitCode = 1;
try {
  say(
    `moto server on ${moto.endpoint}; seeding a cluster, a Fargate service behind a target group, roles and SSM secrets`,
  );
  const world = await seedWorld({ endpoint: moto.endpoint, name: "guide-test" });
  const config = guideConfig(world);
  writeFileSync(join(workspace, "config.toml"), config);
  process.stdout.write(config);

  const image = `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`;
  say(`node dist/index.js  (INPUT_CONFIG=config.toml INPUT_IMAGES=${image} INPUT_WAIT=false)`);
  const run = await runAction({
    workspace,
    inputs: { config: "config.toml", images: image, wait: "false" },
    env: motoEnv(proxy.endpoint),
    runnerTemp: kept,
    onStdout: (chunk) => process.stdout.write(chunk),
  });
  process.stderr.write(run.stderr);

  say(`exit code ${run.code}; outputs`);
  for (const [name, value] of Object.entries(run.outputs)) process.stdout.write(`${name} = ${value}\n`);
  const rendered = run.outputs["task-definition-file"];
  if (rendered && existsSync(rendered)) process.stdout.write(`(kept after the demo: ${rendered})\n`);
  say("job summary (GITHUB_STEP_SUMMARY)");
  process.stdout.write(run.summary);

  const ecs = new ECSClient({ region: world.region, endpoint: moto.endpoint });
  const service = (await ecs.send(new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] })))
    .services?.[0];
  ecs.destroy();
  say(`read back from AWS: the service now runs ${service?.taskDefinition}`);
  process.stdout.write(
    "(moto never moves a rollout forward, so the demo does not wait; `npm test` covers the wait with scripted rollouts)\n",
  );
  exitCode = run.code ?? 1;
  if (keep) await keepRunning({ world, workspace, image, endpoint: proxy.endpoint });
} finally {
  await proxy.stop();
  await moto.stop();
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(exitCode);

/** Prints how to use the running world from another terminal, and waits for Ctrl-C (or SIGTERM) to stop it. */
async function keepRunning({ world, workspace, image, endpoint }) {
  say("moto stays up: in another terminal, from this repository (after `npm run bundle` if you changed src/)");
  for (const [name, value] of Object.entries(motoEnv(endpoint))) process.stdout.write(`export ${name}=${value}\n`);
  const config = join(workspace, "config.toml");
  // The image moto's ECR holds (the seed pushed r254); the service runs it already, hence a forced deployment.
  process.stdout.write(`node dist/cli.js ${config} ${image} --dry-run\n`);
  process.stdout.write(`node dist/cli.js ${config} ${image} --force-new-deployment --no-wait\n`);
  process.stdout.write(`node dist/cli.js resolve ${config}\n`);
  process.stdout.write(
    `(the service is ${world.service} in cluster ${world.cluster}, ${world.region}; with --no-wait, as moto never ` +
      "finishes a rollout)\n",
  );
  say(`To stop moto and remove ${workspace}: Ctrl-C here, or kill ${process.pid}`);
  await new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}
