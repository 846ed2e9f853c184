// Pure: may this run answer the service deployment the `continue` input names? Only one of the config's own service:
// its account, region, cluster and service. Checked before any AWS call, so an answer meant for another account or
// region (a copied ARN, a prod ARN in a staging job) changes nothing anywhere.
import type { Config } from "../../config/index.js";
import { lastSegment } from "../../text/names.js";

const SERVICE_DEPLOYMENT = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):service-deployment\/([\w-]+)\/([\w-]+)\/[\w-]+$/;

/** Why `arn` is not one of the config's service deployments, in words to act on; undefined when it is. */
export function notTheConfigs(
  arn: string,
  config: Pick<Config, "account" | "region" | "cluster" | "service">,
): string | undefined {
  const match = SERVICE_DEPLOYMENT.exec(arn);
  if (!match) return `input \`continue\`: ${arn} is not a service deployment ARN`;
  const [, region, account, cluster, service] = match;
  const mismatches = [
    account !== config.account && `account ${account}, not ${config.account}`,
    region !== config.region && `region ${region}, not ${config.region}`,
    cluster !== lastSegment(config.cluster) && `cluster ${cluster}, not ${lastSegment(config.cluster)}`,
    service !== config.service && `service ${service}, not ${config.service}`,
  ].filter((m): m is string => typeof m === "string");
  if (mismatches.length === 0) return undefined;
  return (
    `service deployment ${arn} (input \`continue\`) is not one of this config's service: it is in ` +
    `${mismatches.join(", ")}. Answer it from a run with the config of that service; nothing was answered`
  );
}
