// A service deployment as DescribeServiceDeployments shows it, at a stage and traffic weights, for the stage tests.
import type { ServiceDeploymentView } from "../../src/rollout/verdict/model.js";

export function serviceDeployment(
  stage: string,
  prod: number,
  test: number,
  more: Partial<ServiceDeploymentView> = {},
): ServiceDeploymentView {
  return {
    serviceDeploymentArn: "arn:aws:ecs:us-east-1:123456789012:service-deployment/c/app/abc",
    status: "IN_PROGRESS",
    lifecycleStage: stage,
    targetServiceRevision: { requestedProductionTrafficWeight: prod, requestedTestTrafficWeight: test },
    deploymentConfiguration: { strategy: "CANARY", bakeTimeInMinutes: 10 },
    ...more,
  };
}
