// The one place that builds AWS SDK clients: same region, retry mode, user agent and endpoint for all.
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import { lazy } from "../lazy.js";
import { CHANGE_POLICY, type RetryPolicy, scaledPolicy } from "./retry.js";
import { sayThrottling } from "./throttle-notes.js";

export interface Clients {
  ecs: ECSClient;
  ssm: SSMClient;
  /** SSM client for a region: an explicit secret's parameter may live in another region than the service. */
  ssmFor: (region: string) => SSMClient;
  /** Secrets Manager client for a region (the secret's, from its ARN). */
  secretsManagerFor: (region: string) => SecretsManagerClient;
  /** EC2, for the subnets and security groups the config names. */
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  /** ECR client for a region: an image may live in another region than the service. */
  ecrFor: (region: string) => ECRClient;
  sts: STSClient;
  logs: CloudWatchLogsClient;
  /** CloudWatch Logs client for a region: a container's awslogs-region may differ from the service's. */
  logsFor: (region: string) => CloudWatchLogsClient;
  /** Closes the clients made on demand (per region). */
  destroy: () => void;
  /** How the calls that change AWS are tried again (retry.ts); the standard policy when absent. */
  changePolicy?: RetryPolicy;
}

export interface ClientOptions {
  region: string;
  /** The SDK also reads AWS_ENDPOINT_URL itself; passing it keeps tests and the demo explicit. */
  endpoint?: string | undefined;
  userAgent?: string;
  /** The run's cancel: aborts every call in flight, and the SDK's waits between its retries, in every phase. */
  signal?: AbortSignal | undefined;
  /** Shortens the change policy's waits (tests only). */
  retryScale?: number | undefined;
  /** Hears of a call the SDK got through after AWS throttled it, once per operation (throttle-notes.ts). */
  note?: ((line: string) => void) | undefined;
}

export function makeClients(options: ClientOptions): Clients {
  const base = {
    region: options.region,
    // adaptive: client-side rate limiting on throttling, so a long wait never fails on ThrottlingException.
    retryMode: "adaptive",
    maxAttempts: 8,
    customUserAgent: options.userAgent ?? "ocf-deploy-action",
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  const made: { destroy: () => void }[] = [];
  const said = new Set<string>();
  /** Every SDK client, as it is made: its throttled calls said (the stand-ins of onFirstCall have no stack). */
  const watched = <C>(client: C): C => sayThrottling(client, options.note, said);
  const bind = <C extends Sendable>(client: C): C => cancellable(client, options.signal);
  /** One client per region, made when first asked for. */
  const perRegion = <C extends Sendable>(make: (region: string) => C) => {
    const clients = new Map<string, C>();
    return (region: string): C => {
      let client = clients.get(region);
      if (!client) {
        client = bind(make(region));
        clients.set(region, client);
        made.push(client);
      }
      return client;
    };
  };
  // EC2, ELB, CloudWatch Logs and Secrets Manager load on their first call (their code is a chunk of its own).
  const later =
    <C extends Sendable>(load: () => Promise<new (config: typeof base) => C>) =>
    (region: string): C =>
      onFirstCall(region, async () => watched(new (await load())({ ...base, region })));
  const newLogs = later(async () => {
    const { CloudWatchLogsClient } = await import("@aws-sdk/client-cloudwatch-logs");
    return CloudWatchLogsClient;
  });
  const logs = bind(newLogs(options.region));
  const otherLogs = perRegion(newLogs);
  const ssm = bind(watched(new SSMClient(base)));
  const otherSsm = perRegion((region) => watched(new SSMClient({ ...base, region })));
  return {
    ecs: bind(watched(new ECSClient(base))),
    ssm,
    ssmFor: (region) => (region === options.region ? ssm : otherSsm(region)),
    secretsManagerFor: perRegion(
      later(async () => {
        const { SecretsManagerClient } = await import("@aws-sdk/client-secrets-manager");
        return SecretsManagerClient;
      }),
    ),
    ec2: bind(
      later(async () => {
        const { EC2Client } = await import("@aws-sdk/client-ec2");
        return EC2Client;
      })(options.region),
    ),
    elb: bind(
      later(async () => {
        const { ElasticLoadBalancingV2Client } = await import("@aws-sdk/client-elastic-load-balancing-v2");
        return ElasticLoadBalancingV2Client;
      })(options.region),
    ),
    ecrFor: perRegion((region) => watched(new ECRClient({ ...base, region }))),
    sts: bind(watched(new STSClient(base))),
    logs,
    logsFor: (region) => (region === options.region ? logs : otherLogs(region)),
    destroy: () => {
      for (const client of made) client.destroy();
    },
    changePolicy: scaledPolicy(options.retryScale, CHANGE_POLICY),
  };
}

export function destroyClients(clients: Clients): void {
  const { ecs, ssm, ec2, elb, sts, logs } = clients;
  for (const client of [ecs, ssm, ec2, elb, sts, logs]) {
    client.destroy();
  }
  clients.destroy();
}

/**
 * A stand-in for a client whose SDK module is imported on its first call. Most deploys never call EC2 (a config
 * without subnets), Secrets Manager (no explicit secret) or CloudWatch Logs (a healthy rollout), and ELB comes after
 * the first request: their code stays out of the bundle's main file, which the process compiles before it starts.
 * Only `send`, `destroy` and the region in `config` are used on clients, so only they are stood in for.
 */
function onFirstCall<C extends Sendable>(region: string, make: () => Promise<C>): C {
  const client = lazy(make);
  const stand = {
    send: async (command: unknown, options?: unknown, callback?: unknown) => {
      const made = await client.load();
      return (made.send as unknown as Send).call(made, command, options, callback);
    },
    destroy: () => void client.started()?.then((made) => made.destroy()),
    config: { region: async () => region },
  };
  return stand as unknown as C;
}

interface Sendable {
  destroy: () => void;
  send: (...args: never[]) => Promise<unknown>;
}

type Send = (command: unknown, options?: unknown, callback?: unknown) => Promise<unknown>;

/**
 * `client`, whose calls also end on the run's cancel: a call in flight is aborted, and so is the SDK's wait before its
 * next retry, so a cancel ends the step within a second whatever phase it is in. A call that brings a signal of its
 * own keeps it alone: it decides (the rollout's reads and the changes add the run's signal to their time limit; a
 * StopTask after a cancel must still reach ECS).
 */
function cancellable<C extends Sendable>(client: C, signal: AbortSignal | undefined): C {
  if (!signal) return client;
  const send = (client.send as unknown as Send).bind(client);
  const withRun = (options: unknown): unknown => {
    if (typeof options === "function") return options;
    if ((options as { abortSignal?: AbortSignal } | undefined)?.abortSignal) return options;
    return { ...(options as object), abortSignal: signal };
  };
  (client as unknown as { send: Send }).send = (command, options, callback) =>
    send(command, withRun(options), callback);
  return client;
}
