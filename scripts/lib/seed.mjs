// Seeds an AWS-compatible endpoint (moto) with what the guide's Terraform creates: roles, a VPC, a load
// balancer and target group, a log group, an ECS cluster and a Fargate service, and SSM parameters.
// Used by the end-to-end tests, the demo and the benchmark.
import { createHash } from "node:crypto";
import { CloudWatchLogsClient, CreateLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from "@aws-sdk/client-ec2";
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";

/** moto's default account. */
export const ACCOUNT = "123456789012";

const TRUST_ECS_TASKS = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Twelve parameters (more than one default page of 10), one SecureString, one nested two levels deep. */
export function defaultParameters(service) {
  const plain = ["API_URL", "FEATURE_FLAGS", "LOG_LEVEL", "REDIS_HOST", "SMTP_HOST", "SENTRY_DSN", "S3_BUCKET"];
  return [
    ...plain.map((name, i) => ({ Name: `/${service}/${name}`, Value: `value-${i}`, Type: "String" })),
    { Name: `/${service}/DATABASE_URL`, Value: "postgres://app:hunter2@db/app", Type: "SecureString" },
    { Name: `/${service}/SESSION_SECRET`, Value: "s3cr3t-session-value", Type: "SecureString" },
    { Name: `/${service}/TOKENS`, Value: "a,b,c", Type: "StringList" },
    { Name: `/${service}/db/PASSWORD`, Value: "db-password-value", Type: "SecureString" },
    { Name: `/${service}/third/party/STRIPE_KEY`, Value: "sk_test_value", Type: "SecureString" },
  ];
}

/**
 * @param {{ endpoint: string, region?: string, name: string, port?: number, parameters?: {Name:string,Value:string,Type:string}[],
 *           loadBalancer?: boolean, desiredCount?: number, tags?: string[] }} options
 */
export async function seedWorld(options) {
  const region = options.region ?? "us-east-1";
  const name = options.name;
  const port = options.port ?? 80;
  const base = {
    region,
    endpoint: options.endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
  const iam = new IAMClient(base);
  const ec2 = new EC2Client(base);
  const elb = new ElasticLoadBalancingV2Client(base);
  const ecs = new ECSClient(base);
  const ssm = new SSMClient(base);
  const logs = new CloudWatchLogsClient(base);
  const ecr = new ECRClient(base);
  try {
    await pushImages(ecr, name, options.tags ?? ["r253", "r254"]);
    const [executionRole, taskRole] = await Promise.all(
      [`${name}-task-execution-role`, `${name}-task-role`].map((role) =>
        iam.send(
          new CreateRoleCommand({
            RoleName: role,
            Path: "/delegatedadmin/developer/",
            AssumeRolePolicyDocument: TRUST_ECS_TASKS,
          }),
        ),
      ),
    );
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    const vpcId = vpc.Vpc?.VpcId;
    // As most VPCs have it (and moto's RunTask needs it before a task's network interface is made).
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const subnets = await Promise.all(
      ["a", "b"].map((zone, i) =>
        ec2.send(
          new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `${region}${zone}` }),
        ),
      ),
    );
    const subnetIds = subnets.map((s) => s.Subnet?.SubnetId ?? "");
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `${name}-service`, Description: name, VpcId: vpcId }),
    );

    let targetGroupArn;
    if (options.loadBalancer !== false) {
      const alb = await elb.send(
        new CreateLoadBalancerCommand({ Name: `${name}-alb`.slice(0, 32), Subnets: subnetIds }),
      );
      const tg = await elb.send(
        new CreateTargetGroupCommand({
          Name: `${name}-tg`.slice(0, 32),
          Protocol: "HTTP",
          Port: port,
          VpcId: vpcId,
          TargetType: "ip",
          HealthCheckPath: "/_health",
        }),
      );
      targetGroupArn = tg.TargetGroups?.[0]?.TargetGroupArn;
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: alb.LoadBalancers?.[0]?.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
        }),
      );
    }

    await logs.send(new CreateLogGroupCommand({ logGroupName: `/aws/ecs/fargate/${name}` }));
    await ecs.send(new CreateClusterCommand({ clusterName: name }));
    // Revision 1: what the service runs before the first deploy (the guide's Terraform creates one too).
    const initial = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        executionRoleArn: executionRole.Role?.Arn,
        containerDefinitions: [
          {
            name,
            image: "public.ecr.aws/nginx/nginx:stable",
            essential: true,
            portMappings: [{ containerPort: port }],
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: name,
        serviceName: name,
        taskDefinition: initial.taskDefinition?.taskDefinitionArn,
        desiredCount: options.desiredCount ?? 2,
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets: subnetIds, securityGroups: [group.GroupId ?? ""] } },
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        ...(targetGroupArn ? { loadBalancers: [{ targetGroupArn, containerName: name, containerPort: port }] } : {}),
      }),
    );
    for (const parameter of options.parameters ?? defaultParameters(name)) {
      await ssm.send(new PutParameterCommand({ ...parameter, Overwrite: true }));
    }
    return {
      account: ACCOUNT,
      region,
      cluster: name,
      service: name,
      port,
      executionRoleArn: executionRole.Role?.Arn ?? "",
      taskRoleArn: taskRole.Role?.Arn ?? "",
      targetGroupArn,
      initialTaskDefinitionArn: initial.taskDefinition?.taskDefinitionArn ?? "",
      vpcId: vpcId ?? "",
      subnetIds,
      securityGroupId: group.GroupId ?? "",
    };
  } finally {
    for (const client of [iam, ec2, elb, ecs, ssm, logs, ecr]) client.destroy();
  }
}

/** An ECR repository named after the service, with one image per tag (a distinct manifest, so a distinct digest). */
export async function pushImages(ecr, repositoryName, tags) {
  await ecr.send(new CreateRepositoryCommand({ repositoryName }));
  for (const imageTag of tags) {
    const imageManifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: {
        mediaType: "application/vnd.docker.container.image.v1+json",
        size: 7023,
        digest: `sha256:${sha(imageTag)}`,
      },
      // moto derives the image digest from the layer digests: one layer per tag gives each tag its own digest.
      layers: [
        {
          mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
          size: 1024,
          digest: `sha256:${sha(`layer ${repositoryName}:${imageTag}`)}`,
        },
      ],
    });
    await ecr.send(new PutImageCommand({ repositoryName, imageTag, imageManifest }));
  }
}

function sha(text) {
  return createHash("sha256").update(text).digest("hex");
}

/** The guide's seven-key config.toml, filled with what seedWorld created. */
export function guideConfig(world) {
  return [
    "#config.toml",
    `account = "${world.account}"`,
    `region = "${world.region}"`,
    `cluster = "${world.cluster}"`,
    `service = "${world.service}"`,
    `port = ${world.port}`,
    `execution_role_arn = "${world.executionRoleArn}"`,
    `task_role_arn = "${world.taskRoleArn}"`,
    "",
  ].join("\n");
}

/**
 * A network for services that name their own: a VPC (DNS hostnames on, as RunTask in moto needs), two subnets and a
 * security group. Returns their IDs.
 * @param {{ endpoint: string, region?: string, cidr: string, name: string }} options
 */
export async function seedNetwork(options) {
  const region = options.region ?? "us-east-1";
  const ec2 = new EC2Client(clientOptions(options.endpoint, region));
  try {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: `${options.cidr}.0.0/16` }));
    const vpcId = vpc.Vpc?.VpcId ?? "";
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const subnets = await Promise.all(
      ["a", "b"].map((zone, i) =>
        ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: `${options.cidr}.${i}.0/24`,
            AvailabilityZone: `${region}${zone}`,
          }),
        ),
      ),
    );
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: `${options.name}-sg`, Description: options.name, VpcId: vpcId }),
    );
    return { vpcId, subnetIds: subnets.map((s) => s.Subnet?.SubnetId ?? ""), securityGroupId: group.GroupId ?? "" };
  } finally {
    ec2.destroy();
  }
}

/**
 * One Fargate service as a team's Terraform would leave it before its first deploy: the cluster (if new), roles, a
 * log group, an ECR repository with images, and the service on a first revision, in the given network.
 * @param {{ endpoint: string, region?: string, cluster: string, service: string, repository: string, tags?: string[],
 *           roles: string[], logGroup: string, network: { subnetIds: string[], securityGroupId: string },
 *           parameters?: {Name:string,Value:string,Type:string}[] }} options
 */
export async function seedService(options) {
  const region = options.region ?? "us-east-1";
  const base = clientOptions(options.endpoint, region);
  const [iam, ecs, ssm, logs, ecr] = [
    new IAMClient(base),
    new ECSClient(base),
    new SSMClient(base),
    new CloudWatchLogsClient(base),
    new ECRClient(base),
  ];
  try {
    await pushImages(ecr, options.repository, options.tags ?? ["r1", "r2"]);
    for (const role of options.roles) {
      await iam
        .send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: TRUST_ECS_TASKS }))
        .catch(exists);
    }
    await logs.send(new CreateLogGroupCommand({ logGroupName: options.logGroup })).catch(exists);
    await ecs.send(new CreateClusterCommand({ clusterName: options.cluster }));
    const initial = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: options.service,
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: options.service, image: "public.ecr.aws/nginx/nginx:stable", essential: true }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: options.cluster,
        serviceName: options.service,
        taskDefinition: initial.taskDefinition?.taskDefinitionArn,
        desiredCount: 1,
        launchType: "FARGATE",
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: options.network.subnetIds,
            securityGroups: [options.network.securityGroupId],
          },
        },
      }),
    );
    for (const parameter of options.parameters ?? []) {
      await ssm.send(new PutParameterCommand({ ...parameter, Overwrite: true }));
    }
    return { initialTaskDefinitionArn: initial.taskDefinition?.taskDefinitionArn ?? "" };
  } finally {
    for (const client of [iam, ecs, ssm, logs, ecr]) client.destroy();
  }
}

function clientOptions(endpoint, region) {
  return { region, endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
}

/** Shared resources (a role, a log group) may already exist when several services use them. */
function exists(error) {
  if (!/EntityAlreadyExists|ResourceAlreadyExists/.test(error?.name ?? "")) throw error;
}

/** The role ECS uses to shift a blue/green deploy's traffic, as the configs of the tests and the bench name it. */
export const BLUE_GREEN_ROLE = "arn:aws:iam::123456789012:role/ecs-infrastructure-load-balancers";

/**
 * A seeded world's blue/green wiring, as ECS's guide sets it up for an Application Load Balancer: the second target
 * group (same VPC, protocol, target type), a production listener rule forwarding to both groups (weights 100 and 0),
 * and a test listener rule beside it (for configs that name one).
 */
export async function seedWiring(world, endpoint) {
  const elb = new ElasticLoadBalancingV2Client(clientOptions(endpoint, world.region));
  try {
    const prod = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [world.targetGroupArn ?? ""] }));
    const alternate = await createTargetGroup(elb, `${world.service}-g`, "HTTP", world);
    const loadBalancerArn = prod.TargetGroups?.[0]?.LoadBalancerArns?.[0];
    const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
    const listener = listeners.Listeners?.[0]?.ListenerArn ?? "";
    const rule = async (priority, path) => {
      const created = await elb.send(
        new CreateRuleCommand({
          ListenerArn: listener,
          Priority: priority,
          Conditions: [{ Field: "path-pattern", Values: [path] }],
          Actions: [forwardBoth(world.targetGroupArn, alternate)],
        }),
      );
      return created.Rules?.[0]?.RuleArn ?? "";
    };
    return {
      alternate,
      rule: await rule(10, "/*"),
      testRule: await rule(5, "/test/*"),
      listener,
      role: BLUE_GREEN_ROLE,
    };
  } finally {
    elb.destroy();
  }
}

/**
 * The wiring behind a Network Load Balancer instead: its two TCP target groups, the service moved onto the first,
 * and the listener (a Network Load Balancer's productionListenerRule is its listener).
 */
export async function seedNetworkWiring(world, endpoint) {
  const options = clientOptions(endpoint, world.region);
  const elb = new ElasticLoadBalancingV2Client(options);
  const ecs = new ECSClient(options);
  try {
    const nlb = await elb.send(
      new CreateLoadBalancerCommand({
        Name: `${world.service}-nlb`.slice(0, 32),
        Subnets: world.subnetIds,
        Type: "network",
      }),
    );
    const production = await createTargetGroup(elb, `${world.service}-nb`, "TCP", world);
    const alternate = await createTargetGroup(elb, `${world.service}-ng`, "TCP", world);
    const listener = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: nlb.LoadBalancers?.[0]?.LoadBalancerArn,
        Protocol: "TCP",
        Port: 80,
        DefaultActions: [forwardBoth(production, alternate)],
      }),
    );
    const loadBalancers = [{ targetGroupArn: production, containerName: world.service, containerPort: world.port }];
    await ecs.send(new UpdateServiceCommand({ cluster: world.cluster, service: world.service, loadBalancers }));
    const rule = listener.Listeners?.[0]?.ListenerArn ?? "";
    return { production, alternate, rule, listener: rule, role: BLUE_GREEN_ROLE };
  } finally {
    elb.destroy();
    ecs.destroy();
  }
}

async function createTargetGroup(elb, name, protocol, world) {
  const created = await elb.send(
    new CreateTargetGroupCommand({
      Name: name.slice(0, 32),
      Protocol: protocol,
      Port: world.port,
      VpcId: world.vpcId,
      TargetType: "ip",
    }),
  );
  return created.TargetGroups?.[0]?.TargetGroupArn ?? "";
}

/** A forward to both target groups, all the traffic on the first: how ECS finds the pair before a deployment. */
function forwardBoth(first, second) {
  return {
    Type: "forward",
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: first, Weight: 100 },
        { TargetGroupArn: second, Weight: 0 },
      ],
    },
  };
}
