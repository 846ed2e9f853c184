// CI's `uses: ./` job: a local moto endpoint that holds what the guide's Terraform creates, for the action to deploy
// to, and a read-back of what the action did. Like the tests, the action talks to moto through the recording proxy,
// which corrects moto's one misreport it depends on (scripts/lib/proxy.mjs).
//
//   node .github/scripts/moto-world.mjs start   starts moto and the proxy in the background (they live until the
//                                               job ends), seeds the service, writes config.toml into the
//                                               workspace; outputs `config` and `image`, sets AWS_* for the job
//   node .github/scripts/moto-world.mjs check   checks the outputs DRY_RUN, RESULT and TASK_DEFINITION against
//                                               what moto holds
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  TagResourceCommand,
} from "@aws-sdk/client-ecs";
import { motoEnv, startMoto } from "../../scripts/lib/moto.mjs";
import { startProxy } from "../../scripts/lib/proxy.mjs";
import { guideConfig, seedWorld } from "../../scripts/lib/seed.mjs";

const READY = join(process.env.RUNNER_TEMP ?? "/tmp", "moto-world.json");
const LOG = join(process.env.RUNNER_TEMP ?? "/tmp", "moto-world.log");
const WORKSPACE = process.env.GITHUB_WORKSPACE ?? process.cwd();

function fail(message) {
  process.stdout.write(`::error::${message}\n`);
  process.exit(1);
}

/** Runs `serve` in the background and waits until it has seeded moto. */
async function start() {
  // Its own log file: a background process that held the step's output open would keep the step from ending.
  const log = openSync(LOG, "a");
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "serve"], {
    detached: true,
    stdio: ["ignore", log, log],
  });
  child.unref();
  const deadline = Date.now() + 120_000;
  while (!existsSync(READY)) {
    if (child.exitCode !== null) fail(`moto-world serve exited with code ${child.exitCode}: see ${LOG}`);
    if (Date.now() > deadline) fail("moto was not seeded within two minutes");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const world = JSON.parse(readFileSync(READY, "utf8"));
  appendFileSync(process.env.GITHUB_ENV ?? "/dev/null", envLines(motoEnv(world.proxy)));
  appendFileSync(process.env.GITHUB_OUTPUT ?? "/dev/null", `config=${world.config}\nimage=${world.image}\n`);
  process.stdout.write(`moto at ${world.moto}, the action's endpoint ${world.proxy}; service ${world.service}\n`);
}

function envLines(env) {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}\n`)
    .join("");
}

async function serve() {
  const moto = await startMoto();
  const proxy = await startProxy({ target: moto.endpoint, motoCompat: true });
  const world = await seedWorld({ endpoint: moto.endpoint, name: "ci-guide" });
  await tagWithParentCommit(moto.endpoint, world);
  const dir = join(WORKSPACE, ".moto-world");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.toml"), guideConfig(world));
  const image = `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:r254`;
  const ready = { moto: moto.endpoint, proxy: proxy.endpoint, service: world.service, image };
  writeFileSync(READY, JSON.stringify({ ...ready, config: relative(WORKSPACE, join(dir, "config.toml")) }));
  // Until the runner ends the job's processes.
  await new Promise(() => {});
}

/**
 * The revision the service runs names this commit's parent, as if the last deploy had shipped it: the action then
 * lists what ships since, through the real GitHub API with the job's token.
 */
async function tagWithParentCommit(endpoint, world) {
  const parent = process.env.PARENT_SHA ?? "";
  // A push that creates a branch has no parent to name (GitHub sends forty zeros).
  if (!/^[0-9a-f]{40}$/.test(parent) || /^0+$/.test(parent) || !process.env.GITHUB_REPOSITORY) return;
  const ecs = ecsFor(endpoint, world.region);
  const tags = [
    { key: "deploy-action:commit", value: parent },
    { key: "deploy-action:repository", value: process.env.GITHUB_REPOSITORY },
  ];
  await ecs.send(new TagResourceCommand({ resourceArn: world.initialTaskDefinitionArn, tags }));
  ecs.destroy();
}

function ecsFor(endpoint, region) {
  return new ECSClient({ region, endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
}

async function check() {
  const world = JSON.parse(readFileSync(READY, "utf8"));
  const { DRY_RUN, RESULT, TASK_DEFINITION, GITHUB_SHA } = process.env;
  if (DRY_RUN !== "dry-run") fail(`the dry run ended ${DRY_RUN}, not dry-run`);
  if (RESULT !== "started") fail(`the deploy ended ${RESULT}, not started`);
  const ecs = ecsFor(world.moto, "us-east-1");
  try {
    const found = await ecs.send(new DescribeServicesCommand({ cluster: world.service, services: [world.service] }));
    const running = found.services?.[0]?.taskDefinition;
    if (running !== TASK_DEFINITION) fail(`the service runs ${running}, not the deployed ${TASK_DEFINITION}`);
    const described = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: TASK_DEFINITION, include: ["TAGS"] }),
    );
    const commit = described.tags?.find((t) => t.key === "deploy-action:commit")?.value;
    if (commit !== GITHUB_SHA) fail(`${TASK_DEFINITION} names commit ${commit}, not ${GITHUB_SHA}`);
    process.stdout.write(`The service runs ${running}, which names commit ${commit}\n`);
  } finally {
    ecs.destroy();
  }
}

const commands = { start, serve, check };
const command = commands[process.argv[2] ?? ""];
if (!command) fail(`usage: moto-world.mjs ${Object.keys(commands).join("|")}`);
await command();
