// `deploy-action rollback CONFIG [--to REV]`: a rollback by hand. It finds the revision before the one the service
// runs (plan/run/history.ts decides which), or takes the one named, says what it will deploy and from what, then
// deploys it exactly as `--task-definition REV` does: the same pre-flight (the family, the images, the roles, the
// secrets), the same update, wait, and rollback on failure (back to the revision the service ran before this).
import { describeTaskDefinition } from "../aws/ecs.js";
import type { Config } from "../config/index.js";
import { terminalHost } from "../host/terminal.js";
import type { InputName } from "../inputs.js";
import { run } from "../main.js";
import { previousRevision, revisionFacts } from "../plan/run/history.js";
import type { DescribedTaskDefinition } from "../plan/task-definition/normalize.js";
import { commitOf } from "../report/history.js";
import { familyRevision } from "../text/names.js";
import { loadConfigFile } from "../workspace.js";
import type { AppIo } from "./deploy.js";
import { failWith, type HistoryClients, readHistory, withClients } from "./history.js";

/** How many deployments back the revision before is looked for. */
const LOOK_BACK = 20;

export interface RollbackCommand {
  config: string;
  /** `--to`: the revision to deploy (web:41 or its ARN); the one before the current when absent. */
  to?: string | undefined;
  /** The deploy's other options, as the action's inputs (--no-wait, --wait-timeout, …). */
  raw: Partial<Record<InputName, string>>;
}

/** The command line's I/O, as for the app form: `inputsFor` reads the options as a deploy's (cli.ts). */
export type RollbackIo = AppIo;

/** Runs the rollback; resolves to the exit code: 0 when the revision was deployed (or would be, with --dry-run). */
export async function runRollback(command: RollbackCommand, io: RollbackIo): Promise<number> {
  const host = terminalHost({
    env: io.env,
    ...(io.words ? { words: io.words } : {}),
    ...(io.out ? { out: io.out } : {}),
    ...(io.err ? { err: io.err } : {}),
  });
  let target: string;
  try {
    const config = loadConfigFile(io.cwd, command.config, false).config;
    const chosen = await withClients(config, io.env, (clients) => chooseRevision(clients, config, command.to));
    await host.group("Roll back", () => host.untrusted([chosen.line]));
    target = chosen.revision;
  } catch (error) {
    failWith(host, error);
    return host.finish();
  }
  await run(host, () => io.inputsFor({ ...command.raw, config: command.config, "task-definition": target }));
  return host.finish();
}

/** The revision to deploy, and the line that says what replaces what, and why that one. */
export async function chooseRevision(
  clients: HistoryClients,
  config: Pick<Config, "cluster" | "service" | "family">,
  to: string | undefined,
): Promise<{ revision: string; line: string }> {
  const history = await readHistory(clients, config, LOOK_BACK, false);
  const current = history.current;
  let revision: string;
  let why: string;
  if (to !== undefined) {
    [revision, why] = [to, "as --to names it"];
  } else {
    const choice = previousRevision(history);
    if (choice.kind === "none") throw new Error(`Nothing to roll back to: ${choice.reason}`);
    [revision, why] = [choice.entry.arn, choice.why];
  }
  // Described for their commits only: whether the revision may be deployed is the pre-flight's to judge.
  const [from, into] = await Promise.all([
    current ? describeTaskDefinition(clients.ecs, current) : undefined,
    describeTaskDefinition(clients.ecs, revision),
  ]);
  const line = `Rolling back ${config.service}: from ${named(current ?? "(no revision)", from)} to ${named(revision, into)}, ${why}`;
  return { revision, line };
}

/** `web:41 (1a2b3c4 octo/app)`: the revision and the commit it was built from. */
function named(revision: string, described: DescribedTaskDefinition | undefined): string {
  const facts = revisionFacts(revision, described);
  const commit = facts.commit ? commitOf(facts) : "no commit tag";
  return `${familyRevision(revision)} (${described ? commit : "not found"})`;
}
