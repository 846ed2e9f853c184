// Step: wait for our deployment's verdict (a deploy's, or an answered pause's); on failure say why at once, then
// roll back the strategy's way (unless told to leave it), and return the failure with the root cause first, on one
// line, for run() to end the run with.
import { DeployError } from "../errors.js";
import type { Inputs } from "../inputs.js";
import type { ImageResolution } from "../plan/images/registry.js";
import type { RolledBack, Waited } from "../report/outcomes.js";
import type { FailedResult } from "../result.js";
import type { WatchResult } from "../rollout/index.js";
import { oneLine } from "../text/inert.js";
import { shortenArns } from "../text/names.js";
import type { RunContext, WaitPolicy } from "./context.js";
import type { Followed } from "./follow.js";
import { shouldRollBack } from "./rollback/index.js";
import type { DeployStrategy } from "./strategy.js";

// main.ts chooses the strategy from this chunk: what the wait brings (the watcher, the rollbacks) loads with it.
export { chooseStrategy } from "./strategy.js";

export interface WaitInput {
  deployment: Followed;
  strategy: DeployStrategy;
  policy: WaitPolicy;
  /** the answer this run gave a pause hook, when it answered one */
  answer?: Inputs["answer"] | undefined;
  /** the images as given and as pinned: a pull failure is said with the image the user named */
  images?: readonly ImageResolution[] | undefined;
}

/**
 * Succeeded or paused (a pause hook awaits a person's answer: not over, and not failed; see docs/strategies.md), or
 * failed with a `failure` whose `result` says how it ended.
 */
export async function waitStep(ctx: RunContext, input: WaitInput): Promise<Waited> {
  const { host } = ctx;
  const { deployment, strategy, policy } = input;
  const result = await host.group("Wait for rollout", () => strategy.wait(ctx, { deployment, policy }));
  const watched = { taskDefinitionArn: deployment.taskDefinitionArn, result };
  if (result.outcome === "succeeded") {
    host.untrusted([shortenArns(result.message)]);
    return { watched };
  }
  if (result.outcome === "paused") {
    if (result.pause) host.setOutput("service-deployment", result.pause.serviceDeploymentArn);
    host.untrusted(result.details);
    host.notice(oneLine(shortenArns(result.message)));
    return { watched };
  }
  // Say why now, details and all: a rollback can take minutes, and the reason must not wait for it. The lines quote
  // AWS and the app (events, stop reasons, log lines): untrusted.
  const message = asGiven(result.message, input.images);
  host.untrusted([`Rollout ${result.outcome}: ${message}`, ...result.details].map(shortenArns));
  return { watched, ...(await failure(ctx, input, result)) };
}

/**
 * ECS names the image it failed to pull as the task definition has it, pinned by digest (`pin-images`); the user
 * knows the tag they passed. The pinned URI is said as given, with the digest beside it once.
 */
export function asGiven(text: string, images: readonly ImageResolution[] = []): string {
  return images.reduce((out, { uri, pinned }) => {
    if (!pinned || pinned === uri || !out.includes(pinned)) return out;
    const digest = pinned.slice(pinned.lastIndexOf("@") + 1);
    const [first, ...rest] = out.split(pinned);
    return `${first}${uri} (pinned to ${digest})${rest.join(uri)}`;
  }, text);
}

/** The failed wait's error, after the rollback when it is ours to do, and what the rollback did. */
async function failure(ctx: RunContext, input: WaitInput, result: WatchResult): Promise<Omit<Waited, "watched">> {
  const { host, signal } = ctx;
  const { deployment, policy } = input;
  const asked = input.answer === "rollback" ? "rolled back as answered (`answer: rollback`): " : "";
  const details = [...result.details];
  let headline = `${asked}${asGiven(result.message, input.images)}`;
  let ends = endOf(result);
  const previous = deployment.previous;
  let rollback: RolledBack | undefined;
  if (!signal.aborted && previous && shouldRollBack(policy, result, previous, deployment.taskDefinitionArn)) {
    rollback = await host.group("Roll back", () =>
      input.strategy.rollBack(ctx, { failed: deployment, previous, result, policy }),
    );
    if (rollback.detail) host.untrusted([shortenArns(`${rollback.text}: ${rollback.detail}`)]);
    details.push(rollback.detail ? `${rollback.text}: ${rollback.detail}` : rollback.text);
    headline = `${headline}; ${rollback.text}`;
    // A cancel during our rollback is a cancel, whatever the rollout's verdict was.
    if (rollback.cancelled) ends = "cancelled";
  }
  // The annotation and the step's failure carry this one line; the details are in the log and the summary.
  return { rollback, failure: new DeployError(oneLine(shortenArns(headline)), details, ends) };
}

function endOf(result: WatchResult): FailedResult {
  if (result.outcome === "timed-out" || result.outcome === "cancelled") return result.outcome;
  return "failed";
}
