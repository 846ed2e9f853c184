// Several services in one run (the command line's app form, the benchmark's three at once) through one recording
// proxy: each service's scripts answer the calls about its own cluster (every seeded world has its own), so their
// rollouts play side by side, each on its own clock. Each call is noted with the world it was about, so a test can
// tell the order of the services' calls apart.
import { safeJson } from "./scripted-ecs.mjs";

/** @typedef {NonNullable<Parameters<typeof import("./proxy.mjs").startProxy>[0]["answer"]>} Hook */

/**
 * @param {{ world: { cluster: string, targetGroupArn?: string | undefined }, hook: Hook }[]} routes
 * @returns {{ hook: Hook, log: { operation: string, cluster: string | undefined, at: number }[] }}
 */
export function byCluster(routes) {
  /** @type {{ operation: string, cluster: string | undefined, at: number }[]} */
  const log = [];
  const hook = async (call) => {
    const route = routes.find((r) => about(call.body, r.world));
    log.push({ operation: call.operation, cluster: route?.world.cluster, at: Date.now() });
    return route ? route.hook(call) : undefined;
  };
  return { hook, log };
}

/** The ECS calls name the cluster (by name or ARN); ELB's name the target group in a form body. */
function about(body, world) {
  const request = body?.startsWith("{") ? safeJson(body) : undefined;
  if (request?.cluster) return request.cluster.split("/").pop() === world.cluster;
  const arns = [...(request?.services ?? []), ...(request?.serviceDeploymentArns ?? [])];
  if (arns.some((arn) => arn.includes(`/${world.cluster}/`))) return true;
  if (!world.targetGroupArn || request) return false;
  return decodeURIComponent(body ?? "").includes(world.targetGroupArn);
}

/**
 * The first answer of `hooks`, in order; undefined lets the call through to moto.
 * @param {...Hook} hooks
 * @returns {Hook}
 */
export function firstOf(...hooks) {
  return async (call) => {
    for (const hook of hooks) {
      const answer = await hook(call);
      if (answer !== undefined) return answer;
    }
    return undefined;
  };
}
