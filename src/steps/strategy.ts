// Rolling or staged, decided once per deploy from the config's strategy and the service's current one, the way
// kayac/ecspresso's WaitFunc/RollbackFunc do: what follows takes the answer and never asks again.
import type { DeploymentConfiguration } from "@aws-sdk/client-ecs";
import type { Config, Strategy } from "../config/index.js";
import { effectiveStrategy, isStagedStrategy } from "../plan/service/strategy.js";
import type { WatchResult } from "../rollout/index.js";
import type { RunContext, WaitPolicy } from "./context.js";
import { type Followed, followDeployment } from "./follow.js";
import type { RollbackFunc } from "./rollback/index.js";
import { rollBackRolling } from "./rollback/rolling.js";
import { rollBackStaged } from "./rollback/staged.js";

export type WaitFunc = (ctx: RunContext, input: { deployment: Followed; policy: WaitPolicy }) => Promise<WatchResult>;

export interface DeployStrategy {
  name: Strategy;
  /** ECS runs the deployment in lifecycle stages (traffic shifts, bake time, hooks) */
  staged: boolean;
  /**
   * The wait is one watcher for every strategy: it reads the stages from ECS's answers (rollout/verdict), and
   * finds the service deployment of a staged one to judge it on.
   */
  wait: WaitFunc;
  /** Staged: StopServiceDeployment (ROLLBACK) moves the traffic back; rolling: UpdateService to the previous revision. */
  rollBack: RollbackFunc;
}

export function chooseStrategy(
  config: Pick<Config, "deployment">,
  current: DeploymentConfiguration | undefined,
): DeployStrategy {
  const name = effectiveStrategy(config, current);
  const staged = isStagedStrategy(name);
  return { name, staged, wait: followDeployment, rollBack: staged ? rollBackStaged : rollBackRolling };
}
