// Shared pieces of the end-to-end tests: a seeded moto world, a workspace with a config file,
// and a run of the bundled action against it.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { inject } from "vitest";
import { motoEnv } from "../../scripts/lib/moto.mjs";
import { startProxy } from "../../scripts/lib/proxy.mjs";
import { runAction } from "../../scripts/lib/run-action.mjs";
import { runCli } from "../../scripts/lib/run-cli.mjs";
import { guideConfig, seedWorld } from "../../scripts/lib/seed.mjs";
import { undocumented } from "./iam.js";

export type World = Awaited<ReturnType<typeof seedWorld>>;

let counter = 0;
/** Names unique per test file run: test files share one moto server. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid % 10000}-${counter}`;
}

export function endpoint(): string {
  return inject("motoEndpoint");
}

export async function seed(prefix: string, options: Partial<Parameters<typeof seedWorld>[0]> = {}): Promise<World> {
  return seedWorld({ endpoint: endpoint(), name: uniqueName(prefix), ...options });
}

/** A workspace holding `deploy/<name>.toml`; returns the workspace and the relative config path. */
export function workspaceWith(config: string, file = "deploy/app.toml"): { workspace: string; config: string } {
  const workspace = mkdtempSync(join(tmpdir(), "deploy-action-ws-"));
  mkdirSync(dirname(join(workspace, file)), { recursive: true });
  writeFileSync(join(workspace, file), config);
  return { workspace, config: file };
}

export function guideWorkspace(world: World) {
  return workspaceWith(guideConfig(world));
}

export function image(world: World, tag = "r254"): string {
  return `${world.account}.dkr.ecr.${world.region}.amazonaws.com/${world.service}:${tag}`;
}

type Answer = Parameters<typeof startProxy>[0]["answer"];

/**
 * One run against moto, through the proxy that corrects moto's one misreport the action depends on (a new
 * deployment's task definition: see fixMotoDeployments); `answer` scripts rollout reads. Every AWS call the run made
 * must be in the documented IAM policy (docs/iam-policy.json): a new one fails the test that first makes it.
 */
async function throughProxy<T>(answer: Answer, run: (endpoint: string) => Promise<T>) {
  const proxy = await startProxy({ target: endpoint(), motoCompat: true, ...(answer ? { answer } : {}) });
  try {
    const result = await run(proxy.endpoint);
    const missing = undocumented(proxy.calls);
    if (missing.length > 0) {
      throw new Error(`AWS actions missing from docs/iam-policy.json: ${missing.join(", ")} (see docs/iam.md)`);
    }
    return { ...result, calls: proxy.calls };
  } finally {
    await proxy.stop();
  }
}

/** Runs the bundled action against moto, as the runner runs it. */
/** A world for runs that must fail before any AWS call: the guide's keys, with moto's account. */
export const UNCALLED_WORLD = {
  account: "123456789012",
  region: "us-east-1",
  cluster: "never-called",
  service: "never-called",
  port: 80,
  executionRoleArn: "arn:aws:iam::123456789012:role/exec",
  taskRoleArn: "arn:aws:iam::123456789012:role/task",
};

export async function deployAction(
  workspace: { workspace: string; config: string },
  inputs: Record<string, string>,
  answer?: Answer,
  env: Record<string, string> = {},
  /** Send the runner's cancel signal (SIGINT) this long after the start, or once the output matches. */
  cancelAfter?: number | RegExp,
) {
  const cancel =
    cancelAfter === undefined
      ? {}
      : cancelAfter instanceof RegExp
        ? { signalOn: cancelAfter }
        : { signalAfterMs: cancelAfter };
  return throughProxy(answer, (proxy) =>
    runAction({
      workspace: workspace.workspace,
      inputs: { config: workspace.config, ...inputs },
      // The retries of the calls that change AWS (aws/retry.ts), 20 times shorter: a minute's budget is 3 s.
      env: { ...motoEnv(proxy), DEPLOY_ACTION_RETRY_SCALE: "0.05", ...env },
      ...cancel,
    }),
  );
}

/** Runs the bundled command line against moto, in `cwd`, as a user would in a terminal. */
export async function deployCli(cwd: string, args: string[], answer?: Answer, env: Record<string, string> = {}) {
  return throughProxy(answer, (proxy) => runCli({ cwd, args, env: { ...motoEnv(proxy), ...env } }));
}

/** Client settings for reading back what the action did. */
export function clientConfig(world: World) {
  return {
    region: world.region,
    endpoint: endpoint(),
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
}

export function ecsClient(world: World): ECSClient {
  return new ECSClient(clientConfig(world));
}

/** A revision of the service's family registered outside the action (an earlier pipeline's); returns its ARN. */
export async function registerRevision(world: World, image: string): Promise<string> {
  const ecs = ecsClient(world);
  try {
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: world.service,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: world.service, image, portMappings: [{ containerPort: 80 }] }],
      }),
    );
    return registered.taskDefinition?.taskDefinitionArn ?? "";
  } finally {
    ecs.destroy();
  }
}

/** Every registered revision of the family: proves whether a failing run registered anything. */
export async function revisions(world: World): Promise<string[]> {
  const ecs = ecsClient(world);
  try {
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: world.service }));
    return listed.taskDefinitionArns ?? [];
  } finally {
    ecs.destroy();
  }
}

export async function describeService(world: World) {
  const ecs = ecsClient(world);
  try {
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: world.cluster, services: [world.service] }),
    );
    return described.services?.[0];
  } finally {
    ecs.destroy();
  }
}

export async function serviceTaskDefinition(world: World): Promise<string | undefined> {
  return (await describeService(world))?.taskDefinition;
}

/** The `::error` lines a run printed, in order, with the workflow-command escapes undone. */
export function errorLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("::error"))
    .map((line) =>
      line
        .replace(/^::error[^:]*::/, "")
        .replaceAll("%0A", "\n")
        .replaceAll("%25", "%"),
    );
}

/**
 * moto never finishes a rollout, so a service it shows is never settled. This answer adds the one fact moto cannot
 * show, the rollout having completed: every deployment COMPLETED at its desired count. All else is moto's.
 */
export const settled: Parameters<typeof deployAction>[2] = async ({ operation, forward }) => {
  if (operation !== "DescribeServices") return undefined;
  const response = await forward();
  const body = JSON.parse(response.body);
  for (const service of body.services ?? []) {
    for (const d of service.deployments ?? []) {
      Object.assign(d, { rolloutState: "COMPLETED", runningCount: d.desiredCount, pendingCount: 0 });
    }
  }
  return { ...response, body: JSON.stringify(body) };
};

/** ECS's answer to a throttled call, as the proxy hands it to the action in place of the real one. */
export const THROTTLED = {
  status: 400,
  headers: { "content-type": "application/x-amz-json-1.1" },
  body: JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }),
};
