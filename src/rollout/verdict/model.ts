// Plain shapes of what the verdict reads. Field names mirror the AWS responses (DescribeServices, DescribeTasks,
// DescribeTargetHealth, DescribeServiceDeployments) so SDK objects and fixture JSON fit them as they are, while the
// pure modules import nothing from the SDK.

export interface EventView {
  id?: string | undefined;
  createdAt?: Date | undefined;
  message?: string | undefined;
}

export interface DeploymentView {
  id?: string | undefined;
  status?: string | undefined;
  taskDefinition?: string | undefined;
  desiredCount?: number | undefined;
  pendingCount?: number | undefined;
  runningCount?: number | undefined;
  failedTasks?: number | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
  rolloutState?: string | undefined;
  rolloutStateReason?: string | undefined;
}

export interface LoadBalancerView {
  targetGroupArn?: string | undefined;
  containerName?: string | undefined;
  containerPort?: number | undefined;
  advancedConfiguration?: { alternateTargetGroupArn?: string | undefined } | undefined;
}

export interface ServiceView {
  serviceArn?: string | undefined;
  serviceName?: string | undefined;
  status?: string | undefined;
  desiredCount?: number | undefined;
  taskDefinition?: string | undefined;
  deployments?: DeploymentView[] | undefined;
  events?: EventView[] | undefined;
  loadBalancers?: LoadBalancerView[] | undefined;
  currentServiceDeployment?: string | undefined;
  deploymentConfiguration?:
    | {
        strategy?: string | undefined;
        bakeTimeInMinutes?: number | undefined;
        deploymentCircuitBreaker?:
          | {
              enable?: boolean | undefined;
              rollback?: boolean | undefined;
              thresholdConfiguration?: { type?: string | undefined; value?: number | undefined } | undefined;
            }
          | undefined;
        alarms?: { enable?: boolean | undefined; rollback?: boolean | undefined } | undefined;
        earlySuccessCriteria?:
          | {
              enable?: boolean | undefined;
              healthyPercent?: number | undefined;
              sourceServiceRevisionCleanup?: string | undefined;
            }
          | undefined;
      }
    | undefined;
}

export interface ContainerView {
  name?: string | undefined;
  image?: string | undefined;
  lastStatus?: string | undefined;
  exitCode?: number | undefined;
  reason?: string | undefined;
  healthStatus?: string | undefined;
}

export interface TaskView {
  taskArn?: string | undefined;
  taskDefinitionArn?: string | undefined;
  startedBy?: string | undefined;
  lastStatus?: string | undefined;
  desiredStatus?: string | undefined;
  healthStatus?: string | undefined;
  stopCode?: string | undefined;
  stoppedReason?: string | undefined;
  createdAt?: Date | undefined;
  /** when the first image pull began: the task was PENDING by then */
  pullStartedAt?: Date | undefined;
  startedAt?: Date | undefined;
  stoppingAt?: Date | undefined;
  stoppedAt?: Date | undefined;
  containers?: ContainerView[] | undefined;
  attachments?:
    | { type?: string | undefined; details?: { name?: string | undefined; value?: string | undefined }[] | undefined }[]
    | undefined;
}

export interface TargetHealthView {
  Target?: { Id?: string | undefined; Port?: number | undefined } | undefined;
  TargetHealth?:
    | { State?: string | undefined; Reason?: string | undefined; Description?: string | undefined }
    | undefined;
}

/** What a target group checks, from DescribeTargetGroups and DescribeTargetGroupAttributes, where they answered. */
export interface TargetGroupView {
  name: string;
  healthCheckPath?: string | undefined;
  /** HTTP, HTTPS or TCP */
  healthCheckProtocol?: string | undefined;
  /** a port number, or "traffic-port": the target's own port */
  healthCheckPort?: string | undefined;
  /** the codes a healthy target answers: Matcher.HttpCode ("200", "200-299"), or `gRPC 12` */
  matcher?: string | undefined;
  healthCheckTimeoutSeconds?: number | undefined;
  /** how often ELB checks a target, and how many passes in a row make it healthy: when ours should turn healthy */
  healthCheckIntervalSeconds?: number | undefined;
  healthyThresholdCount?: number | undefined;
  /** deregistration_delay.timeout_seconds: how long a deregistered target drains before ECS stops its task */
  deregistrationDelaySeconds?: number | undefined;
}

/** A service revision as a service deployment shows it: its tasks and the traffic ECS asked to send it. */
export interface RevisionSummaryView {
  arn?: string | undefined;
  requestedTaskCount?: number | undefined;
  runningTaskCount?: number | undefined;
  pendingTaskCount?: number | undefined;
  /** 0.0-100.0: "a snapshot", as ECS says, of the weight it asked the listener rules for */
  requestedTestTrafficWeight?: number | undefined;
  requestedProductionTrafficWeight?: number | undefined;
}

/** A lifecycle hook as it runs (DeploymentLifecycleHookDetail): a Lambda ECS invoked, or a pause. */
export interface HookView {
  hookId?: string | undefined;
  /** AWS_LAMBDA or PAUSE */
  targetType?: string | undefined;
  targetArn?: string | undefined;
  /** AWAITING_ACTION, IN_PROGRESS, SUCCEEDED, FAILED or TIMED_OUT */
  status?: string | undefined;
  expiresAt?: Date | undefined;
  /** what ECS does when it expires: CONTINUE or ROLLBACK */
  timeoutAction?: string | undefined;
}

export interface ServiceDeploymentView {
  serviceDeploymentArn?: string | undefined;
  createdAt?: Date | undefined;
  /** ECS's clock: when it last changed the service deployment (a stage, a weight, a status, a count) */
  updatedAt?: Date | undefined;
  startedAt?: Date | undefined;
  finishedAt?: Date | undefined;
  stoppedAt?: Date | undefined;
  /** the service revision it deploys: ours, with the traffic ECS moved to it */
  targetServiceRevision?: RevisionSummaryView | undefined;
  /** the revisions it replaces: the old one, with the traffic it still gets */
  sourceServiceRevisions?: RevisionSummaryView[] | undefined;
  status?: string | undefined;
  statusReason?: string | undefined;
  lifecycleStage?: string | undefined;
  lifecycleHookDetails?: HookView[] | undefined;
  deploymentConfiguration?:
    | {
        strategy?: string | undefined;
        bakeTimeInMinutes?: number | undefined;
        canaryConfiguration?:
          | { canaryPercent?: number | undefined; canaryBakeTimeInMinutes?: number | undefined }
          | undefined;
        linearConfiguration?:
          | { stepPercent?: number | undefined; stepBakeTimeInMinutes?: number | undefined }
          | undefined;
      }
    | undefined;
  /** startedAt: when ECS began to roll back (its clock), the moment an alarm or the breaker turned it */
  rollback?:
    | { reason?: string | undefined; serviceRevisionArn?: string | undefined; startedAt?: Date | undefined }
    | undefined;
  deploymentCircuitBreaker?: { status?: string | undefined } | undefined;
  alarms?: { status?: string | undefined; triggeredAlarmNames?: string[] | undefined } | undefined;
}

/** Everything known about the rollout after one poll. Data not re-fetched this poll is carried over from the last. */
export interface Snapshot {
  /** ms since the wait started */
  at: number;
  /** undefined: DescribeServices answered MISSING */
  service?: ServiceView | undefined;
  /** our service deployment, where that API answered */
  serviceDeployment?: ServiceDeploymentView | undefined;
  /** tasks started by our deployment (startedBy = deployment id), running and stopped */
  tasks: TaskView[];
  /** by target group ARN */
  targetHealth: Record<string, TargetHealthView[]>;
  /** by target group ARN: name and health check path, where known */
  targetGroups: Record<string, TargetGroupView>;
}

/** What the verdict needs to know besides the snapshot. */
export interface WatchContext {
  deploymentId: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn?: string | undefined;
  maxFailedTasks: number;
  /**
   * `completed` (the default): ECS says our deployment is done, the old revision drained and stopped. `live`: our
   * revision serves every request (all its tasks healthy, no other revision's target healthy), drained or not.
   */
  waitUntil?: WaitUntil | undefined;
  /** epoch ms of the wait's 0 (snapshot.at counts from it): for the time left until a pause hook expires */
  startedAt?: number | undefined;
  /** our revision's essential containers with a health check: without a load balancer, they prove a task healthy */
  healthChecked?: readonly string[] | undefined;
}

export type WaitUntil = "completed" | "live";

/** What earlier polls saw that the current one may no longer show (a stopped task's target is gone by then). */
export interface History {
  unhealthyTargets: { targetGroupArn: string; target: TargetHealthView }[];
  stoppedTasks: TaskView[];
  /** our deployment showed in some DescribeServices answer */
  oursSeen: boolean;
  /** consecutive polls, up to the last one, whose DescribeServices answer lacked our deployment */
  oursMissing: number;
  /** the most tasks our deployment was asked for: ECS sets a failed deployment's desired count to 0 */
  desiredSeen: number;
  /** when (ms since the wait began) our revision first served every request */
  liveAt?: number | undefined;
  /** when the old revision's targets were first seen draining */
  drainFrom?: number | undefined;
  /** blue/green, linear and canary: what their service deployment showed before a rollback began (stages.ts) */
  stages?: StageHistory | undefined;
}

/** The stage and traffic a staged deployment was at, as the last look before any rollback saw them. */
export interface StageAt {
  stage: string;
  production?: number | undefined;
  test?: number | undefined;
}

/** A state of the service deployment as a look saw it, placed on ECS's clock (ecs-clock.ts). */
export interface PlacedStage extends StageAt {
  /** epoch ms, ECS's clock: the service deployment's updatedAt on the first look that showed this state */
  since: number;
  /** seen while the deployment still went forward */
  forward: boolean;
  /** seen ROLLBACK_REQUESTED: ECS has not moved the traffic back yet */
  held?: boolean | undefined;
}

export interface StageHistory {
  /** the last stage seen while the deployment still went forward */
  forward?: StageAt | undefined;
  /** when (ms since the wait began) the bake time was first seen */
  bakeFrom?: number | undefined;
  /** the production weights each traffic shift step reached, in order */
  steps: number[];
  /** where ECS was when it turned back, as the rollback's first look shows it, when past `forward` (stages.ts) */
  turnedAt?: StageAt | undefined;
  /** a hook seen FAILED or TIMED_OUT, kept: the rollback that follows may no longer list it */
  failedHook?: HookView | undefined;
  failedAt?: StageAt | undefined;
  /** each state the looks saw, on ECS's clock, up to the first one after a rollback began */
  placed?: PlacedStage[] | undefined;
  /** epoch ms, ECS's clock: the rollback's startedAt, once a look showed it */
  rollbackAt?: number | undefined;
}

export type FailureCause =
  | "circuit-breaker"
  | "alarm"
  | "rolled-back"
  | "rollback-failed"
  | "replaced"
  | "stopped"
  | "tasks-failed"
  | "unhealthy-targets"
  | "service-missing"
  | "timeout"
  | "wait-error"
  | "hook-failed"
  | "hook-timed-out";

/** A pause hook that awaits an answer: where, until when, and what ECS does then. */
export interface Pause {
  serviceDeploymentArn: string;
  hookId: string;
  stage?: string | undefined;
  expiresAt?: Date | undefined;
  timeoutAction?: string | undefined;
}

export type Verdict =
  | { kind: "pending"; progress: string; lifecycleStage?: string | undefined }
  | { kind: "succeeded"; message: string; details: string[]; lifecycleStage?: string | undefined }
  | { kind: "paused"; message: string; details: string[]; pause: Pause; lifecycleStage?: string | undefined }
  | {
      kind: "failed";
      cause: FailureCause;
      message: string;
      details: string[];
      rolledBackTo?: string | undefined;
      lifecycleStage?: string | undefined;
    };

export interface TimelineEntry {
  /** ms since the wait started */
  at: number;
  text: string;
}

export const emptyHistory = (): History => ({
  unhealthyTargets: [],
  stoppedTasks: [],
  oursSeen: false,
  oursMissing: 0,
  desiredSeen: 0,
});
