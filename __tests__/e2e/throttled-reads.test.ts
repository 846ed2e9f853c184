// Facts only from answers, end to end (issue 19.1): the bundled action against moto through the proxy, the rollout
// scripted as ECS times it (healthy-short-drain, ECS completes at 91.5 script seconds, 10 of them a real second).
// One of the rollout's reads is throttled from UpdateService until after ECS completes: the verdict is `succeeded`
// within a poll of the first read answered again, and UpdateService was called once (no rollback).
import { describe, expect, it } from "vitest";
import { matchDrain, scriptedRollout } from "../../scripts/lib/scenarios.mjs";
import {
  deployAction,
  endpoint,
  errorLines,
  guideWorkspace,
  image,
  seed,
  serviceTaskDefinition,
  THROTTLED,
} from "../support/e2e.js";

const SCALE = 0.1;
const NAME = "healthy-short-drain";
const throttling = THROTTLED;
const elbThrottling = {
  status: 400,
  headers: { "content-type": "text/xml" },
  body: "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>",
};

describe.concurrent("a read throttled across the moment ECS completes", () => {
  it.each(["DescribeTasks", "DescribeTargetHealth", "DescribeServices"])(
    "%s: succeeded, one UpdateService",
    async (operation) => {
      const world = await seed(`thr-${operation.slice(8, 14).toLowerCase()}`);
      await matchDrain(endpoint(), world, NAME, SCALE);
      const script = scriptedRollout(NAME, world, { scale: SCALE });
      // Until 10 script seconds after ECS completes.
      const refuseUntil = (script.scenario.terminalAt + 10) * SCALE * 1000;
      let refused = 0;
      let firstAnswer = Number.NaN;
      const hook: Parameters<typeof deployAction>[2] = async (call) => {
        const since = Date.now() - (script.started[0]?.at ?? Date.now());
        if (call.operation === operation && script.started.length > 0) {
          if (since < refuseUntil) {
            refused += 1;
            return operation === "DescribeTargetHealth" ? elbThrottling : throttling;
          }
          // The proxy times calls on performance.now().
          if (Number.isNaN(firstAnswer)) firstAnswer = performance.now();
        }
        return script.hook(call);
      };
      const inputs = { images: image(world), "poll-interval": "1", "wait-timeout": "1" };
      const run = await deployAction(guideWorkspace(world), inputs, hook);

      expect(errorLines(run.stdout)).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.outputs.result).toBe("succeeded");
      expect(refused).toBeGreaterThan(0);
      expect(run.calls.filter((c) => c.operation === "UpdateService")).toHaveLength(1);
      expect(await serviceTaskDefinition(world)).toBe(run.outputs["task-definition-arn"]);
      // Within a poll of the first good read: no more than one look (its DescribeServices) after it.
      const looksAfter = run.calls.filter((c) => c.operation === "DescribeServices" && c.start > firstAnswer);
      expect(Number.isFinite(firstAnswer)).toBe(true);
      expect(looksAfter.length).toBeLessThanOrEqual(1);
    },
  );
});
