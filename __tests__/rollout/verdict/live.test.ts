// When our revision serves every request, and how the old one stands, on a rollout timed as ECS times it.
import { describe, expect, it } from "vitest";
import { deregistrationDelayMs, isLive, oldRevision } from "../../../src/rollout/verdict/live.js";
import type { Snapshot } from "../../../src/rollout/verdict/model.js";
import { emptyHistory } from "../../../src/rollout/verdict/model.js";
import { decide, remember } from "../../../src/rollout/verdict/verdict.js";
import { loadScenario, snapshotsOf } from "../../support/scenario.js";

const scenario = loadScenario("healthy-drain-300s");
const snapshots = snapshotsOf(scenario);
const at = (ms: number) => snapshots.find((s) => s.at === ms) as Snapshot;
const ctx = scenario.context;

describe("the old revision", () => {
  it("serves until ECS deregisters it (its targets healthy while ours turn healthy), then drains, then is gone", () => {
    expect(oldRevision(at(45_000), ctx)).toBe("serving");
    expect(oldRevision(at(52_400), ctx)).toBe("serving");
    expect(oldRevision(at(58_200), ctx)).toBe("draining");
    expect(oldRevision(at(358_200), ctx)).toBe("gone");
    expect(oldRevision(at(361_500), ctx)).toBe("gone");
  });

  it("the drain lasts the target group's deregistration delay", () => {
    expect(deregistrationDelayMs(at(58_200))).toBe(300_000);
  });
});

describe("isLive", () => {
  it("not while the old targets still serve, though ours are all healthy; yes once they drain", () => {
    expect(isLive(at(52_400), ctx)).toBe(false);
    expect(isLive(at(58_200), ctx)).toBe(true);
  });

  it("never for a staged strategy: blue/green traffic moves by lifecycle stages", () => {
    const snapshot = at(58_200);
    const staged = {
      ...snapshot,
      service: { ...snapshot.service, deploymentConfiguration: { strategy: "BLUE_GREEN" } },
    };
    expect(isLive(staged, ctx)).toBe(false);
  });

  it("history remembers when it went live and when the drain began (ECS's event time)", () => {
    let history = emptyHistory();
    for (const snapshot of snapshots.filter((s) => s.at <= 60_000)) history = remember(history, snapshot, ctx);
    expect(history).toMatchObject({ liveAt: 58_200, drainFrom: 58_200, desiredSeen: 2 });
  });
});

describe("wait-until", () => {
  it("completed waits for ECS's COMPLETED; live succeeds once the old targets drain", () => {
    const kinds = (waitUntil: "completed" | "live") =>
      snapshots.map((s) => decide(s, { ...ctx, waitUntil }).kind).indexOf("succeeded");
    expect(snapshots[kinds("completed")]?.at).toBe(361_500);
    expect(snapshots[kinds("live")]?.at).toBe(58_200);
  });
});
