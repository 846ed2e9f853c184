// The command line's run of an app: several configs, one image template, in waves (`deploy_order`: lower first, the
// same number side by side, in this one process), then one summary table. A wave starts only when every service of
// the one before succeeded; when one fails, the services of its wave that succeeded stay, each failed one rolls back
// as a single deploy does, and later waves are not started. Each service's run is the action's own run(), with its
// own host (its lines labelled with the service), its own outcomes, AWS clients and signal handlers: nothing mutable
// is shared between the runs of a wave.
import { formatProblem } from "../errors.js";
import { type TerminalOptions, terminalHost } from "../host/terminal.js";
import type { InputName, Inputs } from "../inputs.js";
import { run } from "../main.js";
import { fillImageTemplate } from "../plan/images/template.js";
import { waves } from "../plan/run/waves.js";
import { failedResult, recordOf, renderAppText, rollUp, type ServiceRecord } from "../report/app-summary.js";
import { expandConfigPaths } from "../workspace.js";
import { type AppConfig, readConfigs } from "./configs.js";

export interface AppCommand {
  /** Config paths or globs, as typed. */
  configs: string[];
  /** `--image`: the image of every service's main container, `{service}`, `{account}`, `{region}`, `{version}`. */
  template: string;
  /** `--version`: what `{version}` stands for. */
  version?: string | undefined;
  /** The other options, as the action's inputs: the same for every service. */
  raw: Partial<Record<InputName, string>>;
}

export interface AppIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The command line's own reading of the inputs (cli.ts), so the options are checked and named alike. */
  inputsFor: (raw: Partial<Record<InputName, string>>) => Inputs;
  out?: (text: string) => void;
  err?: (text: string) => void;
  /** The command line's words for the action's (its flags, not the action's inputs). */
  words?: (text: string) => string;
}

/** One service of the app, ready to run: its config and the image the template gives it. */
interface Planned extends AppConfig {
  service: string;
  cluster: string;
  deploy_order?: number | undefined;
  images: string;
}

/** Runs the app; resolves to the exit code: 0 when every service succeeded, 1 otherwise, 2 for a usage error. */
export async function runApp(command: AppCommand, io: AppIo): Promise<number> {
  const host = terminalHost(hostOptions(io));
  const planned = plan(command, io, host);
  if (!planned) return host.finish() || 1;
  const ordered = waves(planned);
  const records: ServiceRecord[] = [];
  host.info(
    `${planned.length} services in ${ordered.length} ${ordered.length === 1 ? "wave" : "waves"}: ${describe(ordered)}`,
  );
  for (const [index, wave] of ordered.entries()) {
    await host.group(
      `Wave ${index + 1} of ${ordered.length}: ${wave.map((s) => s.service).join(", ")}`,
      () => undefined,
    );
    // Each run listens for SIGINT and SIGTERM itself (its own cancel): a wide wave is not a listener leak.
    process.setMaxListeners(Math.max(process.getMaxListeners(), wave.length + 10));
    const done = await Promise.all(wave.map((service) => deployOne(service, command, io)));
    records.push(...done);
    const failed = done.filter((r) => failedResult(r.result)).map((r) => r.service);
    if (failed.length > 0 && index < ordered.length - 1) {
      host.info(`${failed.join(", ")} failed: the later waves are not started`);
      break;
    }
  }
  const rolled = rollUp(
    ordered.map((wave) => wave.map(({ service, cluster }) => ({ service, cluster }))),
    records,
  );
  await host.group("Summary", () => host.untrusted(renderAppText(rolled)));
  if (rolled.failed.length > 0)
    host.fail(
      `${rolled.failed.length} of ${planned.length} services failed or did not start: ${rolled.failed.join(", ")}`,
    );
  host.setOutput("failed", rolled.failed.join(","));
  return host.finish();
}

/** Every config read and every image filled in, or undefined after printing every problem: nothing deployed. */
function plan(command: AppCommand, io: AppIo, host: ReturnType<typeof terminalHost>): Planned[] | undefined {
  const { paths, unmatched } = expandConfigPaths(io.cwd, command.configs);
  for (const glob of unmatched) host.error(`no config file matches ${glob}`);
  const { configs, bad } = readConfigs(paths, io.cwd);
  for (const { problems } of bad) for (const p of problems) host.error(formatProblem(p), p.location);
  const planned: Planned[] = [];
  for (const { path, config } of configs) {
    try {
      const { service, cluster, account, region, deploy_order } = config;
      const values = { service, account, region, ...(command.version ? { version: command.version } : {}) };
      const images = fillImageTemplate(command.template, values);
      planned.push({ path, config, service, cluster, deploy_order, images });
    } catch (error) {
      host.error(`${path}: ${(error as Error).message}`);
    }
  }
  const problems = unmatched.length + bad.length + (configs.length - planned.length);
  if (problems === 0 && planned.length > 0) return planned;
  if (planned.length === 0 && problems === 0) host.error("no config to deploy");
  host.fail("The app's configs have problems; nothing was deployed and nothing was changed in AWS");
  return undefined;
}

/** One service's run: the action's own, in a terminal whose lines say which service they are about. */
async function deployOne(service: Planned, command: AppCommand, io: AppIo): Promise<ServiceRecord> {
  const host = terminalHost({ ...hostOptions(io), label: service.service });
  const raw = { ...command.raw, config: service.path, images: service.images };
  const { outcomes, ending } = await run(host, () => io.inputsFor(raw));
  return recordOf(outcomes, ending, command.raw.environment);
}

function hostOptions(io: AppIo): TerminalOptions {
  return {
    env: io.env,
    ...(io.out ? { out: io.out } : {}),
    ...(io.err ? { err: io.err } : {}),
    ...(io.words ? { words: io.words } : {}),
  };
}

function describe(ordered: readonly Planned[][]): string {
  return ordered.map((wave, i) => `${i + 1}. ${wave.map((s) => `${s.service} (${s.path})`).join(", ")}`).join("; ");
}
