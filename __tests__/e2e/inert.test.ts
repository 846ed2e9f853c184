// A crashing container whose log holds workflow commands: the bundled action's output, read exactly as the runner
// reads it (support/runner.ts), holds no command the action did not write, and its `result` output is still
// `failed`. The log lines themselves are shown, redacted, in the log and inside code blocks in the job summary.
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { scenarioTaskId, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import { clientConfig, deployAction, guideWorkspace, image, seed, type World } from "../support/e2e.js";
import { runnerCommands } from "../support/runner.js";

const HOSTILE = [
  "::error title=x::FORGED error annotation",
  "::warning::FORGED warning",
  "    ::notice::FORGED indented notice",
  "::stop-commands::token",
  "::set-output name=result::succeeded",
  "##[set-output name=result;]succeeded",
  "progress 99%\r::error::FORGED after a carriage return",
  "::token::",
  "DB_PASSWORD hunter2-spaced",
  "Set-Cookie: session=cookie-secret-1; Path=/; HttpOnly",
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEA1c7pemsecretline",
  "-----END RSA PRIVATE KEY-----",
  "## ✅ Deployed <img src=x onerror=alert(1)>",
];
const SECRETS = ["hunter2-spaced", "cookie-secret-1", "MIIEowIBAAKCAQEA1c7pemsecretline"];

async function seedHostileLogs(world: World) {
  const logs = new CloudWatchLogsClient(clientConfig(world));
  const logGroupName = `/aws/ecs/fargate/${world.service}`;
  for (let n = 0; n < 4; n++) {
    const logStreamName = `${world.service}/${world.service}/${scenarioTaskId(0, n)}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
    const now = Date.now();
    const logEvents = HOSTILE.map((message, i) => ({ timestamp: now + i, message }));
    await logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }));
  }
  logs.destroy();
}

describe("a container log full of workflow commands", () => {
  it("gives the runner no command the action did not write, and result stays failed", async () => {
    const world = await seed("inert");
    await seedHostileLogs(world);
    const script = scriptedRollout("crash-loop-without-breaker", world, { scale: 0.1 });
    const inputs = { images: image(world), "poll-interval": "1", "wait-timeout": "1", "on-failure": "leave" };
    const run = await deployAction(guideWorkspace(world), inputs, script.hook);

    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe("failed");
    // The log lines were read and printed: the test is not vacuous.
    expect(run.stdout).toContain("::set-output name=result::succeeded");
    expect(run.stdout).toContain("FORGED after a carriage return");

    const { commands, stoppedAtEnd } = runnerCommands(run.stdout);
    expect(stoppedAtEnd).toBe(false);
    const names = new Set(commands.map((c) => c.name));
    expect(
      [...names].every((n) =>
        ["group", "endgroup", "error", "notice", "warning", "stop-commands", "resume-commands"].includes(n),
      ),
    ).toBe(true);
    expect(commands.filter((c) => /FORGED|succeeded/.test(c.data) || c.properties.title === "x")).toEqual([]);
    expect(commands.filter((c) => c.name === "set-output")).toEqual([]);
    // Each stop is the action's own: a fresh 32-hex token, resumed by the line after the untrusted ones.
    const stops = commands.filter((c) => c.name === "stop-commands");
    expect(stops.length).toBeGreaterThan(0);
    for (const stop of stops) expect(stop.data).toMatch(/^[0-9a-f]{32}$/);
    expect(commands.filter((c) => c.name === "resume-commands")).toHaveLength(stops.length);
    // The one error annotation is the action's, on one line.
    const errors = commands.filter((c) => c.name === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.data).toMatch(new RegExp(`^container ${world.service} exited with code 1 — `));
    expect(errors[0]?.data).not.toContain("%0A");

    // Redacted before they were printed, in the log and in the summary.
    for (const secret of SECRETS) {
      expect(run.stdout).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
    }
    // In the summary the log lines sit inside a code block: no forged heading renders.
    let inside = false;
    const outside: string[] = [];
    for (const line of run.summary.split("\n")) {
      if (/^```/.test(line)) inside = !inside;
      else if (!inside) outside.push(line);
    }
    expect(run.summary).toContain("FORGED warning");
    expect(outside.join("\n")).not.toMatch(/FORGED|<img|Deployed <img/);
  });
});
