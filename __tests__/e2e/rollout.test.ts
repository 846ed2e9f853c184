// The bundled action, run as the runner runs it, through a proxy that answers the rollout's read calls
// from a script over real time (moto never moves a deployment forward). Registration and UpdateService
// go to moto for real. These are scripted rollouts, not AWS: the verdict logic is what they prove.
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { matchDrain, scenarioTaskId, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import { guideConfig } from "../../scripts/lib/seed.mjs";
import {
  clientConfig,
  deployAction,
  describeService,
  ecsClient,
  endpoint,
  errorLines,
  guideWorkspace,
  image,
  registerRevision,
  seed,
  serviceTaskDefinition,
  settled,
  type World,
  workspaceWith,
} from "../support/e2e.js";

/** ECS's timings, ten times faster: a script second every tenth of a real one (poll-interval stays 1 s). */
const SCALE = 0.1;

async function deployThrough(name: string, world: World, inputs: Record<string, string> = {}) {
  await matchDrain(endpoint(), world, name, SCALE);
  const script = scriptedRollout(name, world, { scale: SCALE });
  const defaults = { images: image(world), "poll-interval": "1", "wait-timeout": "1" };
  const run = await deployAction(guideWorkspace(world), { ...defaults, ...inputs }, script.hook);
  return { run, started: script.started, terminalMs: script.scenario.terminalAt * 1000 * script.scale };
}

/** The crashing container's last words, where the task definition's awslogs settings put them. */
async function seedCrashLogs(world: World) {
  const logs = new CloudWatchLogsClient(clientConfig(world));
  for (let n = 0; n < 4; n++) {
    const logStreamName = `${world.service}/${world.service}/${scenarioTaskId(0, n)}`;
    const logGroupName = `/aws/ecs/fargate/${world.service}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName,
        logEvents: [
          { timestamp: Date.now(), message: "Listening on 0.0.0.0:80" },
          { timestamp: Date.now() + 1, message: "Error: connect ECONNREFUSED 10.0.9.9:5432 (DATABASE_URL)" },
        ],
      }),
    );
  }
  logs.destroy();
}

describe.concurrent("scripted rollouts through the bundled action", () => {
  it("a healthy rollout succeeds only once ECS says COMPLETED and the targets are healthy", async () => {
    const world = await seed("healthy");
    const { run, terminalMs } = await deployThrough("healthy-short-drain", world);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.stdout).toContain("::group::Wait for rollout");
    expect(run.summary).toContain("✅ Deployed");
    expect(run.summary).toContain("Rollout timeline");
    // The script reaches COMPLETED only after the old revision drained: an early success would be a false one.
    expect(run.ms).toBeGreaterThanOrEqual(terminalMs);
    // Each task's states as it entered them, once each, PENDING too, though no read may have caught it PENDING:
    // dated by ECS (pullStartedAt 15 s, startedAt 44 s of the script, at a tenth of its pace).
    for (const id of [scenarioTaskId(0, 0), scenarioTaskId(0, 1)]) {
      const states = run.stdout
        .split("\n")
        .filter((l) => l.includes(`task ${id.slice(0, 8)}…`))
        .map((l) => /^\[(\d+):(\d\d)\] task \S+ (?:\w+ → )?(\w+)$/.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ state: m[3], s: Number(m[1]) * 60 + Number(m[2]) }));
      expect(
        states.map((x) => x.state),
        run.stdout,
      ).toEqual(["PROVISIONING", "PENDING", "RUNNING"]);
      expect(states[1]?.s).toBeLessThan(states[2]?.s ?? 0);
    }
  });

  it("keep-revisions deregisters old revisions after a healthy rollout, never the deployed one or the one before", async () => {
    const world = await seed("keep");
    const ecs = ecsClient(world);
    // Revisions 2 to 5 of the family, registered by earlier deploys; the service still runs revision 1.
    for (let i = 0; i < 4; i++) await registerRevision(world, `old:${i}`);
    const { run } = await deployThrough("healthy-short-drain", world, { "keep-revisions": "2" });
    const active = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: world.service, status: "ACTIVE", sort: "ASC" }),
    );
    ecs.destroy();

    expect(run.outputs.result).toBe("succeeded");
    expect(run.stdout).toContain("::group::Clean up old revisions");
    // Kept: the newest two (6, ours, and 5), and 1, which the service ran before: our rollback target.
    expect(active.taskDefinitionArns?.map((arn) => arn.split(":").pop())).toEqual(["1", "5", "6"]);
  });

  it("with wait, a change of desired_count alone is watched until the new tasks are healthy", async () => {
    const world = await seed("scale");
    await deployAction(guideWorkspace(world), { images: image(world), wait: "false" });
    // The service settled on revision 2 (moto never gets there by itself), then the scripted start of the new tasks.
    const script = scriptedRollout("healthy-short-drain", world, { scale: SCALE });
    const settledUntilUpdate: Parameters<typeof deployAction>[2] = async (call) =>
      call.operation === "UpdateService" || script.started.length > 0
        ? script.hook(call as Parameters<typeof script.hook>[0])
        : settled?.(call);
    const config = workspaceWith(`${guideConfig(world)}desired_count = 3\n`);
    const run = await deployAction(config, { images: image(world), "poll-interval": "1" }, settledUntilUpdate);

    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("scaled");
    expect(run.calls.map((c) => c.operation)).not.toContain("RegisterTaskDefinition");
    expect(run.stdout).toContain("::group::Scale service");
    expect(run.stdout).toContain("::group::Wait for rollout");
    // Not before the scripted rollout is done, the old revision drained.
    expect(run.ms).toBeGreaterThanOrEqual(script.scenario.terminalAt * 1000 * SCALE);
  });

  it("a bad image with a circuit breaker fails with the pull error and the rollback first", async () => {
    const world = await seed("badimage");
    const { run, started } = await deployThrough("bad-image-with-breaker", world);

    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe("failed");
    const [first] = errorLines(run.stdout);
    expect(first?.split("\n")[0]).toMatch(/CannotPullContainerError/);
    expect(first).toMatch(/circuit breaker/);
    expect(first).toContain(`/${world.service}:r254: not found`);
    // Each cause printed once (issue 21.6): the first stopped task says it, the others are counted; then the
    // verdict, its heading and the annotation (it was 9 times in 73 lines).
    const pulls = run.stdout.split("\n").filter((l) => l.includes("CannotPullContainerError"));
    expect(pulls.filter((l) => / STOPPED: CannotPullContainerError/.test(l))).toHaveLength(1);
    expect(pulls, run.stdout).toHaveLength(4);
    expect(run.stdout).toMatch(/more tasks? stopped the same way/);
    // ECS rolled back already: the action must not start a second rollback.
    expect(started).toHaveLength(1);
  });

  it("a crash loop without a breaker fails at the third stopped task, shows the logs, and rolls back", async () => {
    const world = await seed("crash");
    await seedCrashLogs(world);
    const { run, started } = await deployThrough("crash-loop-without-breaker", world);

    expect(run.code).toBe(1);
    const [first] = errorLines(run.stdout);
    expect(first?.split("\n")[0]).toMatch(new RegExp(`container ${world.service} exited with code 1`));
    // The annotation is one line, with the rollback's result; the container's last log lines are in the log.
    expect(first).not.toContain("\n");
    expect(first).toMatch(/; rolled back to .*:1: the service is healthy on it again$/);
    expect(run.stdout).toContain("ECONNREFUSED 10.0.9.9:5432");
    expect(run.summary).toContain("ECONNREFUSED");
    // Our rollback: a second UpdateService, back to the revision the service ran before.
    expect(started).toHaveLength(2);
    expect(started[1]?.taskDefinition).toBe(world.initialTaskDefinitionArn);
    expect(await serviceTaskDefinition(world)).toBe(world.initialTaskDefinitionArn);
    expect(run.summary).toMatch(/rolled back to .*:1/);
    // Why it failed is printed before the rollback starts, not only after it; the rollback has a timeline too.
    const why = run.stdout.indexOf(`Rollout failed: container ${world.service} exited with code 1`);
    expect(why).toBeGreaterThan(-1);
    expect(run.stdout.indexOf("::group::Roll back")).toBeGreaterThan(why);
    expect(run.summary).toContain("<summary>Rollback timeline</summary>");
    // Failing fast: the third stop shows at 9.5 s (95 script seconds), well before the one-minute timeout.
    expect(run.ms).toBeLessThan(30_000);
  });

  it("a rollback restores what the deploy changed: propagate_tags and the breaker go back with the revision", async () => {
    const world = await seed("restore");
    await matchDrain(endpoint(), world, "crash-loop-without-breaker", SCALE);
    const before = await describeService(world);
    const config = [
      guideConfig(world),
      'propagate_tags = "SERVICE"',
      "[deployment]",
      'circuit_breaker = { enable = true, rollback = false, threshold = { type = "COUNT", value = 5 } }',
      "",
    ].join("\n");
    const script = scriptedRollout("crash-loop-without-breaker", world, { scale: SCALE });
    const inputs = { images: image(world), "poll-interval": "1", "wait-timeout": "1" };
    const run = await deployAction(workspaceWith(config), inputs, script.hook);

    expect(run.code, run.stdout).toBe(1);
    expect(script.started).toHaveLength(2);
    const after = await describeService(world);
    expect(after?.taskDefinition).toBe(world.initialTaskDefinitionArn);
    // Both settings are as they were before the deploy, read back from the service.
    expect(after?.propagateTags ?? "NONE").toBe(before?.propagateTags ?? "NONE");
    expect(after?.deploymentConfiguration?.deploymentCircuitBreaker ?? { enable: false, rollback: false }).toEqual(
      before?.deploymentConfiguration?.deploymentCircuitBreaker ?? { enable: false, rollback: false },
    );
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(
      /; rolled back to .*:1: the service is healthy on it again; restored propagate tags \(SERVICE → NONE\), circuit breaker \(on, without rollback, trips at 5 failed tasks → off\)$/,
    );
    expect(run.summary).toContain("restored propagate tags (SERVICE → NONE)");
  });

  it("a stale first DescribeServices (ours absent, the old deployment PRIMARY) is no rollback", async () => {
    const world = await seed("stale");
    const { run, started } = await deployThrough("stale-first-describe", world);

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.stdout).toContain("deployment not in the service yet");
    expect(started).toHaveLength(1);
  });

  it("a cancel mid-wait says where the rollout stands, exits at once and starts no rollback", async () => {
    const world = await seed("cancel");
    // At ECS's own pace: the tasks are provisioned for many seconds. The cancel comes once the wait has read them
    // (its first line of progress), however long the machine took to get there.
    const script = scriptedRollout("healthy", world);
    const inputs = { images: image(world), "poll-interval": "1" };
    const waiting = /^\[\d+:\d\d\] 0\/2 running/m;
    const run = await deployAction(guideWorkspace(world), inputs, script.hook, {}, waiting);

    expect(run.code, run.stdout).toBe(1);
    expect(run.signalledMs).toBeDefined();
    expect(run.outputs.result).toBe("cancelled");
    expect(run.stdout).toContain("Received SIGINT");
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(/^cancelled after \d+ ?s while .*0\/2 running.*; the deployment goes on in ECS/);
    expect(script.started).toHaveLength(1);
    // Ended soon after the signal, well before the scripted rollout's 60 s: a cancel does not wait out the rollout
    // or a poll. Measured from the signal, not from the start: the steps before it take what the machine's load
    // makes of them.
    expect(run.ms - (run.signalledMs ?? 0)).toBeLessThan(8000);
    console.info(
      `cancel mid-wait: SIGINT at ${run.signalledMs} ms, the action ended ${run.ms - (run.signalledMs ?? 0)} ms later`,
    );
  });

  it("failing health checks name the group, request, port, codes and matcher, though no poll saw a target unhealthy", async () => {
    const world = await seed("health");
    const { run } = await deployThrough("failing-health-checks", world, { "on-failure": "leave" });

    expect(run.code).toBe(1);
    const [first] = errorLines(run.stdout);
    expect(first).toMatch(
      new RegExp(
        `^health checks failed in ${world.service}-tg: GET /_health on port 80 answered 404 \\(healthy is 200\\)`,
      ),
    );
    expect(run.summary).not.toMatch(/Rollback/);
    // Short names in the log: no ARN in any line the wait printed.
    const wait = run.stdout.slice(run.stdout.indexOf("::group::Wait for rollout"));
    expect(wait.split("\n").filter((l) => l.includes("arn:aws:elasticloadbalancing"))).toEqual([]);
  });

  it("wait-until live succeeds once the old targets drain, not when ECS calls it complete", async () => {
    const world = await seed("live");
    const script = scriptedRollout("healthy", world, { scale: SCALE });
    const inputs = { images: image(world), "poll-interval": "1", "wait-until": "live" };
    const run = await deployAction(guideWorkspace(world), inputs, script.hook);

    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.stdout).toMatch(/is live: 2\/2 running · 2\/2 healthy in .*; ECS goes on draining the old revision/);
    // The drain lasts 300 script seconds (30 s here); live comes at 58 (5.8 s), long before ECS's COMPLETED.
    expect(run.ms).toBeLessThan(script.scenario.terminalAt * 1000 * SCALE);
  });
});
