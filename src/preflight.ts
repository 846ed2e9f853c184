// Everything we must know before the first change, fetched in one parallel round trip and checked
// together: a failing check stops the deploy before anything is registered or updated.
import type { Clients } from "./aws.js";
import type { Config } from "./config/index.js";
import { PreflightError, type Problem } from "./errors.js";
import { listParameters, type Secret, secretCollisions, secretsFromParameters } from "./secrets.js";
import { checkTarget, describeTarget, type ServiceState } from "./service.js";

export interface Preflight {
  target: ServiceState;
  secrets: Secret[];
}

export async function preflight(clients: Pick<Clients, "ecs" | "ssm">, config: Config): Promise<Preflight> {
  const names = { cluster: config.cluster, service: config.service };
  const [found, parameters] = await Promise.all([
    describeTarget(clients.ecs, config.cluster, config.service),
    listParameters(clients.ssm, config.secrets_path),
  ]);
  const { state, problems } = checkTarget(names, found);
  const scope = { path: config.secrets_path, region: config.region, account: config.account };
  const discovered = secretsFromParameters(parameters, scope);
  const all: Problem[] = [
    ...problems,
    ...discovered.problems,
    ...secretCollisions(discovered.secrets, config.environment),
  ];
  if (all.length > 0 || !state) throw new PreflightError("Pre-flight checks failed; nothing was changed in AWS", all);
  return { target: state, secrets: discovered.secrets };
}
