// Pure: what the reusable workflow (.github/workflows/deploy.yml) runs, worked out from the resolved configs by
// `deploy-action resolve --github-output`: the waves (one matrix of services per `deploy_order`, lower first), each
// service's images, job timeout and AWS session length, and its concurrency group. The YAML only wires these in;
// every value is checked here once, so no caller-given text (a newline in `version`) reaches a log or GITHUB_OUTPUT.
import { InputError, type Problem } from "../../errors.js";
import { revisionRef } from "../../preflight/revision.js";
import { checkImageTemplate, checkVersion, fillImageTemplate } from "../images/template.js";
import { orderOf, waves as wavesOf } from "./waves.js";

/** A config as `resolve` prints it: its path, then the merged keys as the loader gives them. */
export interface ResolvedConfig {
  config: string;
  account: string;
  region: string;
  cluster: string;
  service: string;
  deploy_order?: number | undefined;
  pre_deploy?: { timeout?: number | undefined }[] | undefined;
  [key: string]: unknown;
}

/** The reusable workflow's inputs that shape the run, as it hands them to `resolve`. */
export interface WorkflowSettings {
  /** The version to deploy; empty with `taskDefinition`. */
  version: string;
  /** An existing revision to deploy as it is (`web:2`), instead of `version`: one service's, so one config. */
  taskDefinition?: string | undefined;
  /** The image template: `{version}`, `{account}`, `{region}`, `{service}` filled in per service. */
  image: string;
  /** wait-timeout, as the workflow passes it (a string: `nan` and `inf` must be refused, not computed with). */
  waitTimeout: string;
  environment: string;
}

/** One service of a wave: the matrix entry its job runs with. */
export interface WaveEntry {
  /** A short, unique, file-name-safe id (`w1-0`): the name of the service's record artifact. */
  id: string;
  config: string;
  service: string;
  cluster: string;
  account: string;
  region: string;
  images: string;
  "job-minutes": number;
  "session-seconds": number;
  /** One deploy of a service in an environment at a time (GitHub's concurrency group). */
  concurrency: string;
}

export interface WorkflowPlan {
  waves: WaveEntry[][];
  /** The existing revision deployed instead of an image (`task-definition`), as given. */
  taskDefinition?: string | undefined;
}

/** The wave jobs the reusable workflow declares (wave-1 … wave-5): GitHub has no loop over jobs. */
export const MAX_WAVES = 5;
/** GitHub-hosted runners end a job after 6 hours. */
export const MAX_JOB_MINUTES = 360;
/** An IAM role session lasts at most 12 hours (the role's MaxSessionDuration must allow what is asked). */
const MAX_SESSION_SECONDS = 43_200;
/** A rollback after a failed wait takes up to 10 more minutes; the job's own steps (checkouts) a few. */
const ROLLBACK_MINUTES = 10;
const SETUP_MINUTES = 10;
/** The config's default for a pre-deploy task's timeout (config/pre-deploy-keys.ts), should a resolved config lack one. */
const DEFAULT_PRE_DEPLOY_MINUTES = 15;

export function workflowPlan(configs: readonly ResolvedConfig[], settings: WorkflowSettings): WorkflowPlan {
  const problems: Problem[] = [];
  const check = <T>(key: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      problems.push({ key, message: `--${key}: ${(error as Error).message}` });
      return undefined;
    }
  };
  const existing = settings.taskDefinition?.trim() ? settings.taskDefinition : undefined;
  if (existing !== undefined) check("task-definition", () => revisionAlone(existing, settings.version, configs));
  // An existing revision has its own images: no version to fill in, no image to render.
  const version = existing ? "" : check("version", () => checkVersion(settings.version));
  const template = existing ? "" : check("image", () => templateOf(settings.image));
  const wait = check("wait-timeout", () => minutesOf(settings.waitTimeout));
  const environment = check("environment", () => nameOf(settings.environment));
  const ordered = wavesOf(configs);
  if (ordered.length > MAX_WAVES) {
    const orders = ordered.map((wave) => orderOf(wave[0] ?? {}));
    problems.push({
      key: "deploy_order",
      message: `the configs use ${orders.length} different deploy_order values (${orders.join(", ")}); the reusable workflow runs at most ${MAX_WAVES} waves: give services that may deploy side by side the same deploy_order`,
    });
  }
  if (problems.length > 0 || version === undefined || template === undefined || wait === undefined) {
    throw new InputError("The reusable workflow's inputs are invalid", problems);
  }
  const waves = ordered.map((wave, w) =>
    wave.map((c, i) => entryOf(c, `w${w + 1}-${i}`, { version, template, wait, environment: environment ?? "" })),
  );
  const tooLong = waves.flat().filter((e) => e["job-minutes"] > MAX_JOB_MINUTES);
  if (tooLong.length > 0) {
    throw new InputError("The deploy would outlast a GitHub job", [
      ...tooLong.map((e) => ({
        key: "wait-timeout",
        message: `${e.config}: wait-timeout ${wait} plus its pre-deploy tasks' timeouts needs a ${e["job-minutes"]}-minute job; GitHub ends a job after ${MAX_JOB_MINUTES}: lower wait-timeout or a pre_deploy timeout`,
      })),
    ]);
  }
  return { waves, ...(existing !== undefined ? { taskDefinition: existing.trim() } : {}) };
}

/**
 * What a reviewer approves (the plan job's summary): the services in their waves, each with what it gets, the image
 * or the existing revision. Every cell is code, its backticks and pipes dropped, so no value can break the table.
 */
export function planTable(plan: WorkflowPlan): string {
  const cell = (text: string) => `\`${text.replace(/[`|\n\r]/g, "")}\``;
  const deploys = (e: WaveEntry) => (plan.taskDefinition ? `revision ${cell(plan.taskDefinition)}` : cell(e.images));
  const rows = plan.waves.flatMap((wave, i) =>
    wave.map((e) => `| ${i + 1} | ${cell(e.service)} | ${cell(e.cluster)} | ${cell(e.region)} | ${deploys(e)} |`),
  );
  const table = ["| wave | service | cluster | region | image |", "|---|---|---|---|---|", ...rows];
  return `### The deploy's plan\n\n${table.join("\n")}\n`;
}

/** How long the job and the AWS session must last: the pre-deploy tasks, the wait, a rollback, the set-up. */
export function budget(waitMinutes: number, preDeployMinutes: number): { jobMinutes: number; sessionSeconds: number } {
  const deploy = waitMinutes + preDeployMinutes + ROLLBACK_MINUTES;
  const sessionSeconds = Math.min(MAX_SESSION_SECONDS, Math.max(3600, Math.ceil((deploy + 5) * 60)));
  return { jobMinutes: Math.ceil(deploy + SETUP_MINUTES), sessionSeconds };
}

interface Checked {
  version: string;
  template: string;
  wait: number;
  environment: string;
}

function entryOf(c: ResolvedConfig, id: string, s: Checked): WaveEntry {
  const preDeploy = (c.pre_deploy ?? []).reduce((sum, task) => sum + (task.timeout ?? DEFAULT_PRE_DEPLOY_MINUTES), 0);
  const { jobMinutes, sessionSeconds } = budget(s.wait, preDeploy);
  const fill = { version: s.version, account: c.account, region: c.region, service: c.service };
  return {
    id,
    config: c.config,
    service: c.service,
    cluster: c.cluster,
    account: c.account,
    region: c.region,
    images: s.template === "" ? "" : fillImageTemplate(s.template, fill),
    "job-minutes": jobMinutes,
    "session-seconds": sessionSeconds,
    concurrency: `deploy ${c.account} ${c.region} ${c.cluster}/${c.service} ${s.environment}`,
  };
}

/** A revision is one family's: it goes with one config, and instead of a version, never beside one. */
function revisionAlone(raw: string, version: string, configs: readonly ResolvedConfig[]): void {
  revisionRef(raw);
  if (version.trim() !== "") {
    throw new Error("and --version are both given: give the version to render, or the revision to deploy as it is");
  }
  if (configs.length !== 1) {
    throw new Error(
      `names one service's revision, but the configs resolve to ${configs.length} services: give one config`,
    );
  }
}

function templateOf(raw: string): string {
  const value = raw.trim();
  // One image URI per container, on one line: a newline or a control character would reach the log and the outputs.
  if (value === "" || /[\s\p{Cc}]/u.test(value)) {
    throw new Error(`${quote(raw)} must be one image URI (with {version}), without spaces or line breaks`);
  }
  return checkImageTemplate(value);
}

function minutesOf(raw: string): number {
  const value = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(value) || value < 0.05 || value > 1440) {
    throw new Error(`expected a number of minutes from 0.05 to 1440, got ${quote(raw)}`);
  }
  return value;
}

function nameOf(raw: string): string {
  if (!/^[\w .-]{1,255}$/.test(raw)) throw new Error(`${quote(raw)} is not an environment name`);
  return raw;
}

/** A caller's text in a message, shown with its control characters escaped (JSON), never raw. */
function quote(raw: string): string {
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
}
