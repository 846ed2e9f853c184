// Step: wait for our deployment's verdict; on failure say why at once, then roll back (unless told to leave it)
// and fail the step with the root cause first, on one line.
import { DeployError } from "../errors.js";
import type { Result } from "../report/summary.js";
import type { WatchResult } from "../rollout/index.js";
import { oneLine } from "../text/inert.js";
import { shortenArns } from "../text/names.js";
import { type WaitArgs, watch, watchedReport } from "./follow.js";
import { rollBack, shouldRollBack } from "./rollback/rolling.js";

export type { WaitArgs } from "./follow.js";

export async function waitStep(args: WaitArgs): Promise<void> {
  const { host, revision, checked, report, inputs } = args;
  const previous = checked.target.taskDefinition;
  const ours = { deploymentId: args.deploymentId, taskDefinitionArn: revision.arn, previous };
  const result = await host.group("Wait for rollout", () => watch(args, { ...ours, timeoutMs: inputs.waitTimeoutMs }));
  report.rollout = watchedReport(result, revision.arn);
  report.result = resultOf(result);
  host.setOutput("result", result.outcome);
  if (result.outcome === "succeeded") {
    host.untrusted([shortenArns(result.message)]);
    return;
  }
  // A pause hook awaits a person's answer: the deploy is not over, and not failed (see docs/strategies.md).
  if (result.outcome === "paused") {
    if (result.pause) host.setOutput("service-deployment", result.pause.serviceDeploymentArn);
    host.untrusted(result.details);
    host.notice(oneLine(shortenArns(result.message)));
    return;
  }
  // Say why now, details and all: a rollback can take minutes, and the reason must not wait for it. The lines quote
  // AWS and the app (events, stop reasons, log lines): untrusted.
  host.untrusted([`Rollout ${result.outcome}: ${result.message}`, ...result.details].map(shortenArns));
  const details = [...result.details];
  let headline = result.message;
  if (!args.signal.aborted && shouldRollBack(inputs, result, previous, revision.arn)) {
    const rollback = await host.group("Roll back", () => rollBack(args, previous ?? "", result));
    report.rollback = rollback.text;
    if (rollback.watched) report.rollbackRollout = rollback.watched;
    if (rollback.detail) host.untrusted([shortenArns(`${rollback.text}: ${rollback.detail}`)]);
    details.push(rollback.detail ? `${rollback.text}: ${rollback.detail}` : rollback.text);
    headline = `${headline}; ${rollback.text}`;
    // A cancel during our rollback is a cancel, whatever the rollout's verdict was.
    if (rollback.cancelled) report.result = "cancelled";
  }
  // The annotation and the step's failure carry this one line; the details are in the log and the summary.
  throw new DeployError(oneLine(shortenArns(headline)), details);
}

function resultOf(result: WatchResult): Result {
  if (result.outcome === "succeeded") return "succeeded";
  if (result.outcome === "timed-out") return "timed-out";
  if (result.outcome === "cancelled") return "cancelled";
  if (result.outcome === "paused") return "paused";
  return "failed";
}
