// The one place that builds AWS SDK clients: same region, retry mode, user agent and endpoint for all.
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs/dist-es/index.js";
import { EC2Client } from "@aws-sdk/client-ec2/dist-es/index.js";
import { ECRClient } from "@aws-sdk/client-ecr/dist-es/index.js";
import { ECSClient } from "@aws-sdk/client-ecs/dist-es/index.js";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2/dist-es/index.js";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager/dist-es/index.js";
import { SSMClient } from "@aws-sdk/client-ssm/dist-es/index.js";
import { STSClient } from "@aws-sdk/client-sts/dist-es/index.js";

export interface Clients {
  ecs: ECSClient;
  /** ECS client that never retries: for calls whose failure has a fallback (ListServiceDeployments). */
  ecsOnce: ECSClient;
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
}

export interface ClientOptions {
  region: string;
  /** The SDK also reads AWS_ENDPOINT_URL itself; passing it keeps tests and the demo explicit. */
  endpoint?: string | undefined;
  userAgent?: string;
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
  /** One client per region, made when first asked for. */
  const perRegion = <C extends { destroy: () => void }>(make: (region: string) => C) => {
    const clients = new Map<string, C>();
    return (region: string): C => {
      let client = clients.get(region);
      if (!client) {
        client = make(region);
        clients.set(region, client);
        made.push(client);
      }
      return client;
    };
  };
  const logs = new CloudWatchLogsClient(base);
  const otherLogs = perRegion((region) => new CloudWatchLogsClient({ ...base, region }));
  const ssm = new SSMClient(base);
  const otherSsm = perRegion((region) => new SSMClient({ ...base, region }));
  return {
    ecs: new ECSClient(base),
    ecsOnce: new ECSClient({ ...base, maxAttempts: 1 }),
    ssm,
    ssmFor: (region) => (region === options.region ? ssm : otherSsm(region)),
    secretsManagerFor: perRegion((region) => new SecretsManagerClient({ ...base, region })),
    ec2: new EC2Client(base),
    elb: new ElasticLoadBalancingV2Client(base),
    ecrFor: perRegion((region) => new ECRClient({ ...base, region })),
    sts: new STSClient(base),
    logs,
    logsFor: (region) => (region === options.region ? logs : otherLogs(region)),
    destroy: () => {
      for (const client of made) client.destroy();
    },
  };
}

export function destroyClients(clients: Clients): void {
  const { ecs, ecsOnce, ssm, ec2, elb, sts, logs } = clients;
  for (const client of [ecs, ecsOnce, ssm, ec2, elb, sts, logs]) {
    client.destroy();
  }
  clients.destroy();
}
