// `deploy-action history CONFIG [--limit N]`: the service's recent deployments, newest first, each with its revision,
// images, the commit it was built from (the revision's tags) and how it ended. Read-only: it changes nothing in AWS.
// The reading (readHistory) is the rollback's too: `deploy-action rollback` goes back to the revision before.
import { parseArgs } from "node:util";
import type { ECSClient } from "@aws-sdk/client-ecs";
import { type Clients, makeClients } from "../aws/clients.js";
import { tagsOfPinned } from "../aws/ecr.js";
import { describeTarget, describeTaskDefinition, familyRevisions, listServiceDeployments } from "../aws/ecs.js";
import { revisionTaskDefinitions } from "../aws/ecs-deployments.js";
import { AwsError, awsCall, describeAwsError } from "../aws/errors.js";
import { optionProblem } from "../cli-hints.js";
import type { Config } from "../config/index.js";
import { formatProblem, ProblemsError } from "../errors.js";
import { terminalHost } from "../host/terminal.js";
import {
  DEFAULT_HISTORY_LIMIT,
  type Described,
  fromDeployments,
  fromRevisions,
  type History,
  MAX_HISTORY_LIMIT,
  newestDeployments,
  targetTaskDefinitions,
} from "../plan/run/history.js";
import type { DescribedTaskDefinition } from "../plan/task-definition/normalize.js";
import { renderHistory } from "../report/history.js";
import { isUnsupported } from "../rollout/index.js";
import { loadConfigFile } from "../workspace.js";

export const HISTORY_USAGE = [
  "Usage: deploy-action history CONFIG [--limit N]",
  "",
  "Lists the recent deployments of the service CONFIG describes, newest first: the revision (web:41), its images,",
  "the commit it was built from and the run that registered it (its deploy-action:commit and deploy-action:run tags),",
  "when, and how it ended. From ECS's list of service deployments; where ECS has none to give, from the family's",
  "ACTIVE revisions. Changes nothing in AWS.",
  "",
  "Options:",
  `  --limit N                 How many to list, 1 to ${MAX_HISTORY_LIMIT} (default ${DEFAULT_HISTORY_LIMIT})`,
  "  -h, --help                Show this help",
  "",
].join("\n");

const OPTIONS = { help: { type: "boolean", short: "h" }, limit: { type: "string" } } as const;

export interface CommandIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/** Runs `history`; resolves to its exit code (2: usage, 1: the config or an AWS call failed). */
export async function historyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const err = io.err ?? ((text: string) => void process.stderr.write(text));
  const out = io.out ?? ((text: string) => void process.stdout.write(text));
  let config: string | undefined;
  let limit: number;
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
    if (values.help) {
      out(HISTORY_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new Error("expected one config file");
    [config] = positionals;
    limit = limitOf(values.limit);
  } catch (error) {
    err(`error: ${optionProblem(error, Object.keys(OPTIONS))}\nUsage: deploy-action history CONFIG [--limit N]\n`);
    return 2;
  }
  const host = terminalHost({ env: io.env, out, err });
  try {
    const loaded = loadConfigFile(io.cwd, config ?? "", false).config;
    const history = await withClients(loaded, io.env, (clients) => readHistory(clients, loaded, limit));
    host.untrusted(renderHistory(history, loaded));
  } catch (error) {
    failWith(host, error);
  }
  return host.finish();
}

/** The config's problems each on its line, else the error's one line. */
export function failWith(host: ReturnType<typeof terminalHost>, error: unknown): void {
  if (error instanceof ProblemsError) {
    for (const problem of error.problems) host.error(formatProblem(problem), problem.location);
    host.fail(`${error.message}; nothing was changed in AWS`);
    return;
  }
  if (!(error instanceof Error)) throw error;
  host.fail(error.message);
}

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_HISTORY_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_HISTORY_LIMIT) {
    throw new Error(`--limit takes a whole number from 1 to ${MAX_HISTORY_LIMIT}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** The history's clients: ECS, and ECR for the tags of pinned images. */
export type HistoryClients = Pick<Clients, "ecs" | "ecrFor">;

/** The clients for the config's region (AWS_ENDPOINT_URL honoured), closed after `use`. */
export async function withClients<T>(config: Config, env: NodeJS.ProcessEnv, use: (c: HistoryClients) => Promise<T>) {
  const clients = makeClients({ region: config.region, endpoint: env.AWS_ENDPOINT_URL || undefined });
  try {
    return await use(clients);
  } finally {
    clients.destroy();
  }
}

/**
 * The service's history, at most `limit` entries: ECS's service deployments, else the family's revisions. `facts`
 * false: the entries without their images and commits (a rollback only chooses among them: no call per revision).
 */
export async function readHistory(
  { ecs, ecrFor }: HistoryClients,
  config: Pick<Config, "cluster" | "service" | "family">,
  limit: number,
  facts = true,
): Promise<History> {
  const describe = async (arns: readonly string[]): Promise<Described> =>
    facts ? describeAll({ ecs, ecrFor }, arns) : { revisions: new Map() };
  // The list is asked for beside the service; a missing service is said first, in words.
  const listing = serviceDeployments(ecs, config);
  listing.catch(() => undefined);
  const { service, missingService } = await describeTarget(ecs, config.cluster, config.service);
  if (!service || missingService) {
    throw new Error(
      `service ${config.service} not found in cluster ${config.cluster}: check \`cluster\` and \`service\``,
    );
  }
  const current = service.taskDefinition;
  const shown = newestDeployments(await listing, limit);
  if (shown.length > 0) {
    const revisions = [...new Set(shown.flatMap((b) => b.targetServiceRevisionArn ?? []))];
    const taskDefinitionOf = await awsCall("DescribeServiceRevisions", () =>
      revisionTaskDefinitions(ecs, revisions, {}),
    );
    const described = await describe(targetTaskDefinitions(shown, taskDefinitionOf));
    return { source: "deployments", current, entries: fromDeployments(shown, taskDefinitionOf, described, limit) };
  }
  const arns = await familyRevisions(ecs, config.family, limit);
  const described = await describe(arns);
  return { source: "revisions", current, entries: fromRevisions(arns, described, service, limit) };
}

/**
 * One page of ECS's service deployments (ECS does not say in which order: they are sorted here). Empty where the
 * endpoint lacks the API (moto, an older region) or the service's deployments predate it: the revisions stand in.
 */
async function serviceDeployments(ecs: ECSClient, config: Pick<Config, "cluster" | "service">) {
  const input = { cluster: config.cluster, service: config.service, maxResults: MAX_HISTORY_LIMIT };
  try {
    return (await listServiceDeployments(ecs, input, {})).serviceDeployments ?? [];
  } catch (error) {
    if (isUnsupported(error)) return [];
    throw new AwsError(describeAwsError("ListServiceDeployments", error), error);
  }
}

/** Revisions described at once: DescribeTaskDefinition is throttled per account and region, beside any deploy. */
const DESCRIBED_AT_ONCE = 10;

/** Each revision with its tags (at most DESCRIBED_AT_ONCE calls in flight), then the tags of their pinned images. */
async function describeAll({ ecs, ecrFor }: HistoryClients, arns: readonly string[]): Promise<Described> {
  const unique = [...new Set(arns.filter(Boolean))];
  const revisions = new Map<string, DescribedTaskDefinition | undefined>();
  let next = 0;
  const worker = async () => {
    for (let arn = unique[next++]; arn !== undefined; arn = unique[next++]) {
      revisions.set(arn, await describeTaskDefinition(ecs, arn));
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBED_AT_ONCE, unique.length) }, worker));
  const images = [...revisions.values()].flatMap((r) => (r?.containerDefinitions ?? []).map((c) => c.image ?? ""));
  return { revisions, imageTags: await tagsOfPinned(ecrFor, images) };
}
