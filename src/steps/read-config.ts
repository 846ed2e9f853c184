// Step: read the config file and the `images` input into what to deploy. No AWS call is made here, so every input
// and config problem is reported before anything is sent.
import type { Inputs } from "../inputs.js";
import { imageNotices, resolveImages } from "../plan/images/input.js";
import { commitTags, runTags } from "../plan/run/provenance.js";
import type { Plan } from "../preflight/judge.js";
import { loadConfigFile } from "../workspace.js";
import type { RunContext } from "./context.js";

type PlanInputs = Pick<Inputs, "config" | "images" | "workspace" | "confined" | "taskDefinition"> &
  Partial<Pick<Inputs, "continueArn">>;

export function readPlan(inputs: PlanInputs): Plan {
  // Problems name files relative to the workspace, as annotations want them.
  const { config, locate, sources } = loadConfigFile(inputs.workspace, inputs.config, inputs.confined ?? true);
  // Answering a pause deploys nothing (the paused deployment's images are ECS's), and an existing revision brings
  // its own images (read from it in the pre-flight): `images` may be empty then.
  const images =
    inputs.continueArn || inputs.taskDefinition
      ? new Map<string, string>()
      : resolveImages(inputs.images, config, locate);
  return { config, images, locate, sources };
}

/** Before the config is read there are no clients yet: of the run context, only where to print and the GitHub run. */
export function readConfigStep({ host, githubRun }: Pick<RunContext, "host" | "githubRun">, inputs: Inputs): Plan {
  // The commit goes on the task definition as tags, the same for every run of it.
  const plan = { ...readPlan(inputs), extraTags: { ...commitTags(githubRun), ...runTags(githubRun) } };
  const { config: c } = plan;
  host.info(`${inputs.config}: service ${c.service} in cluster ${c.cluster}, ${c.region}, account ${c.account}`);
  // With shared files, say where each value comes from: the fix for a wrong subnet may be in another file.
  const sources = plan.sources ?? [];
  if (sources.length > 1) for (const { file, keys } of sources) host.info(`${keys.join(", ")} from ${file}`);
  host.info(`Task family ${c.family}, ${c.cpu} CPU units, ${c.memory} MiB, ${c.cpu_architecture}`);
  for (const [container, uri] of plan.images) host.info(`Container ${container}: ${uri}`);
  if (inputs.taskDefinition) host.info(`Revision to deploy: ${inputs.taskDefinition} (input task-definition)`);
  for (const notice of imageNotices(plan.images)) host.notice(notice);
  if (inputs.continueArn && inputs.images !== "") {
    host.notice("images are ignored with `continue`: answering a pause deploys nothing, the paused deployment goes on");
  }
  if (inputs.keepRevisions > 0 && !inputs.wait) {
    // Clean-up needs a rollout proven good: the revision it keeps as "the one before" must be the last good one.
    host.notice(
      "keep-revisions is ignored with wait: false: old revisions are cleaned up only after a waited-for success",
    );
  }
  return plan;
}
