// The run as run() (main.ts) collects it: the config read, the plan that passed the pre-flight, what each step
// returned, and how the run ended. The job summary (summary.ts) and the `record` output (app-summary.ts) are
// rendered from these alone: no step writes into a shared report. The shapes are the narrowest the renderers read,
// so a test builds them from fixtures.
import type { Config } from "../config/index.js";
import type { DeployError } from "../errors.js";
import type { ImageResolution } from "../plan/images/registry.js";
import type { Provenance } from "../plan/run/provenance.js";
import type { Decision } from "../plan/service/decision.js";
import type { Deployable } from "../preflight/judge.js";
import type { Result } from "../result.js";
import type { WatchResult } from "../rollout/index.js";
import type { PreDeployReport } from "./pre-deploy-section.js";

/** When a step ran (epoch ms): a bar of the rollout chart. */
export interface StepTime {
  name: string;
  from: number;
  to: number;
}

/** One deployment followed to its verdict: the revision it deploys, and how its watch ended. */
export interface Watched {
  taskDefinitionArn: string;
  result: Pick<WatchResult, "timeline" | "story" | "startedAt" | "outcome">;
}

/** What the rollback did. */
export interface RolledBack {
  /** the action's own words, one line: `rolled back to app:41: the service is healthy on it again` */
  text: string;
  /** why it did not succeed, in AWS's words (untrusted text): for the details, never the annotation */
  detail?: string | undefined;
  /** the run was cancelled during it */
  cancelled: boolean;
  /** the rollback's own deployment, when one was followed (rolling) */
  watched?: Watched | undefined;
}

/** The wait's outcome: the watch of our deployment, the rollback when one ran, and the error a failed wait ends with. */
export interface Waited {
  watched: Watched;
  rollback?: RolledBack | undefined;
  /** a failed wait's error: the root cause first, the rollback's result after it; its `result` says how it ended */
  failure?: DeployError | undefined;
}

/** The deploy that passed the pre-flight (what the service runs, what ships) and what this run decided to change. */
export interface Planned {
  deployable: Pick<Deployable, "current" | "taskDefinition" | "existing"> & {
    images: Pick<Deployable["images"], "resolved">;
    secrets: Pick<Deployable["secrets"][number], "name">[];
    target: Pick<Deployable["target"], "taskDefinition">;
  };
  decision: Decision;
}

/** What the steps returned, in the order run() met them; each field is there once its step got that far. */
export interface Outcomes {
  /** the `config` input: how a run whose config was never read is named */
  configPath: string;
  /** the config as read, and the images the `images` input gives its containers */
  read?: { config: Pick<Config, "service" | "cluster" | "region">; images: ReadonlyMap<string, string> } | undefined;
  plan?: Planned | undefined;
  /** the revision this run deploys: registered now, the service's own, the one named, or the answered pause's */
  taskDefinitionArn?: string | undefined;
  /** the pre-deploy tasks: how each ended, or why none ran */
  preDeploy?: PreDeployReport | undefined;
  /** our deployment: started by UpdateService, or the one the answered pause hook belongs to */
  deploymentId?: string | undefined;
  wait?: Waited | undefined;
  /** the steps before the wait, timed */
  steps: StepTime[];
  /** the commit, actor and run this deploy comes from, and what it ships: on GitHub Actions only */
  provenance?: Provenance | undefined;
}

/** How the run ended, decided once in run(): the result, the first line and the details of a failure, the time. */
export interface Ending {
  result: Result;
  message?: string | undefined;
  details: string[];
  durationMs: number;
}

/** The images of the deploy, with their digests once the pre-flight resolved them (the config's, or the revision's). */
export function imagesOf({
  plan,
  read,
}: Pick<Outcomes, "plan" | "read">): Pick<ImageResolution, "container" | "uri" | "digest">[] {
  if (plan) return plan.deployable.images.resolved;
  return [...(read?.images ?? [])].map(([container, uri]) => ({ container, uri }));
}

/**
 * The names of the secrets the deploy gives its containers (never a value): those found under secrets_path, or an
 * existing revision's own (input `task-definition`), which it carries in its container definitions.
 */
export function secretNames(deployable: Planned["deployable"]): string[] {
  if (!deployable.existing) return deployable.secrets.map((s) => s.name);
  const containers = deployable.taskDefinition.containerDefinitions ?? [];
  return [...new Set(containers.flatMap((c) => (c.secrets ?? []).flatMap((s) => (s.name ? [s.name] : []))))];
}
