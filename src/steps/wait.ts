// Step: wait for our deployment's verdict; on failure say why at once, then roll back (unless told to leave it)
// and fail the step with the root cause first.
import { DeployError } from "../errors.js";
import type { Result } from "../report/summary.js";
import { renderTimeline } from "../report/timeline.js";
import type { WatchResult } from "../rollout/index.js";
import { rollBack, shouldRollBack } from "./rollback.js";
import { type WaitArgs, watch } from "./watch.js";

export type { WaitArgs } from "./watch.js";

export async function waitStep(args: WaitArgs): Promise<void> {
  const { host, revision, checked, report, inputs } = args;
  const previous = checked.target.taskDefinition;
  const ours = { deploymentId: args.deploymentId, taskDefinitionArn: revision.arn, previous };
  const result = await host.group("Wait for rollout", () => watch(args, { ...ours, timeoutMs: inputs.waitTimeoutMs }));
  report.timeline = renderTimeline(result.timeline);
  report.result = resultOf(result);
  host.setOutput("result", result.outcome);
  if (result.outcome === "succeeded") {
    host.info(result.message);
    return;
  }
  // Say why now: a rollback can take minutes, and the reason must not wait for it.
  for (const line of [`Rollout ${result.outcome}: ${result.message}`, ...result.details]) host.info(line);
  if (!args.signal.aborted && shouldRollBack(inputs, result, previous, revision.arn)) {
    const rollback = await host.group("Roll back", () => rollBack(args, previous ?? ""));
    report.rollback = rollback.text;
    if (rollback.timeline) report.rollbackTimeline = rollback.timeline;
  }
  throw new DeployError(result.message, report.rollback ? [...result.details, report.rollback] : result.details);
}

function resultOf(result: WatchResult): Result {
  if (result.outcome === "succeeded") return "succeeded";
  if (result.outcome === "timed-out") return "timed-out";
  if (result.outcome === "cancelled") return "cancelled";
  return "failed";
}
