// Scenario fixtures: what DescribeServices, DescribeTasks, DescribeTargetHealth, DescribeTargetGroups and
// DescribeServiceDeployments answered at each poll of a real-shaped rollout. A poll that leaves out tasks, target
// health or service deployments means "unchanged since the last poll", as the poller's cache sees it.
import { readFileSync } from "node:fs";
import type { DescribeServiceDeploymentsResponse, DescribeServicesResponse, Task } from "@aws-sdk/client-ecs";
import type {
  TargetGroup,
  TargetGroupAttribute,
  TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { targetGroupView } from "../../src/rollout/verdict/health.js";
import type { History, Snapshot, Verdict, WatchContext } from "../../src/rollout/verdict/model.js";
import { emptyHistory } from "../../src/rollout/verdict/model.js";
import { decide, remember } from "../../src/rollout/verdict/verdict.js";

export interface Poll {
  at: number;
  describeServices: DescribeServicesResponse;
  describeTasks?: { tasks: Task[] };
  describeTargetHealth?: Record<string, { TargetHealthDescriptions: TargetHealthDescription[] }>;
  describeServiceDeployments?: DescribeServiceDeploymentsResponse;
}

export interface Scenario {
  description: string;
  context: WatchContext;
  describeTargetGroups?: { TargetGroups: TargetGroup[] };
  /** by target group ARN: DescribeTargetGroupAttributes' answer */
  describeTargetGroupAttributes?: Record<string, { Attributes: TargetGroupAttribute[] }>;
  polls: Poll[];
}

const DATE_KEYS = new Set([
  "createdAt",
  "updatedAt",
  "startedAt",
  "stoppedAt",
  "stoppingAt",
  "finishedAt",
  "pullStartedAt",
  "pullStoppedAt",
  "executionStoppedAt",
  "connectivityAt",
]);

/** Parses a fixture the way the SDK hands responses over: timestamps as Date. */
export function loadScenario(name: string): Scenario {
  const url = new URL(`../fixtures/rollout/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8"), (key, value) =>
    DATE_KEYS.has(key) && typeof value === "string" ? new Date(value) : value,
  ) as Scenario;
}

/** The snapshot the poller would hold after each poll (what a poll left out is carried over). */
export function snapshotsOf(scenario: Scenario): Snapshot[] {
  const targetGroups: Snapshot["targetGroups"] = {};
  for (const tg of scenario.describeTargetGroups?.TargetGroups ?? []) {
    if (!tg.TargetGroupArn) continue;
    const attributes = scenario.describeTargetGroupAttributes?.[tg.TargetGroupArn]?.Attributes;
    targetGroups[tg.TargetGroupArn] = targetGroupView(tg, attributes);
  }
  let last: Snapshot | undefined;
  return scenario.polls.map((poll) => {
    const health = poll.describeTargetHealth;
    const snapshot: Snapshot = {
      at: poll.at,
      service: poll.describeServices.services?.[0],
      serviceDeployment: poll.describeServiceDeployments?.serviceDeployments?.[0] ?? last?.serviceDeployment,
      tasks: poll.describeTasks?.tasks ?? last?.tasks ?? [],
      targetHealth: health
        ? Object.fromEntries(Object.entries(health).map(([arn, r]) => [arn, r.TargetHealthDescriptions]))
        : (last?.targetHealth ?? {}),
      targetGroups,
    };
    last = snapshot;
    return snapshot;
  });
}

export interface Replay {
  /** index of the first snapshot with a verdict other than pending, or -1 */
  index: number;
  verdict: Verdict;
  verdicts: Verdict[];
  history: History;
}

/** Decides every snapshot in order, as the poller does, up to the first verdict. */
export function replay(scenario: Scenario, context: WatchContext = scenario.context): Replay {
  const snapshots = snapshotsOf(scenario);
  let history = emptyHistory();
  const verdicts: Verdict[] = [];
  for (const [index, snapshot] of snapshots.entries()) {
    const verdict = decide(snapshot, context, history);
    verdicts.push(verdict);
    history = remember(history, snapshot, context);
    if (verdict.kind !== "pending") return { index, verdict, verdicts, history };
  }
  const verdict = verdicts.at(-1) ?? { kind: "pending", progress: "" };
  return { index: -1, verdict, verdicts, history };
}
