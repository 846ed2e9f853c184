// Pure: ECS's documented order of a staged deployment's lifecycle stages, written out here: the SDK's
// ServiceDeploymentLifecycleStage enum lacks PRE_PRODUCTION_TRAFFIC_SHIFT (the hook stages have it), so its order is
// no order to rely on. And which way a service deployment goes, with the traffic it asked for our revision.
import type { ServiceDeploymentView, StageAt } from "./model.js";

export const STAGE_ORDER = [
  "RECONCILE_SERVICE",
  "PRE_SCALE_UP",
  "SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRE_PRODUCTION_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
  "BAKE_TIME",
  "CLEAN_UP",
] as const;

/** Where a stage is in ECS's order (-1: a stage this action does not know, shown as ECS names it). */
export function stageIndex(stage: string | undefined): number {
  return (STAGE_ORDER as readonly string[]).indexOf(stage ?? "");
}

const ROLLING_BACK = new Set(["ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"]);

export function isRollingBack(sd: ServiceDeploymentView | undefined): boolean {
  return ROLLING_BACK.has(sd?.status ?? "");
}

/** Going forward: not yet ended, not rolling back or stopping. */
export function goesForward(sd: ServiceDeploymentView | undefined): boolean {
  return sd?.status === "PENDING" || sd?.status === "IN_PROGRESS";
}

/** The traffic ECS asked for our revision (the service deployment's target). */
export function trafficOf(sd: ServiceDeploymentView | undefined): StageAt | undefined {
  if (!sd?.lifecycleStage) return undefined;
  const target = sd.targetServiceRevision;
  return {
    stage: sd.lifecycleStage,
    production: target?.requestedProductionTrafficWeight,
    test: target?.requestedTestTrafficWeight,
  };
}
