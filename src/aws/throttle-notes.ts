// The SDK's own retries, said. The reads of the pre-flight and the registration are retried by the SDK (adaptive
// mode, clients.ts), silently: a deploy that took 20 s longer than usual must say why. Each call's attempts are
// watched; a call that got through after AWS throttled it is said once per operation in the run: `ECS throttled
// DescribeServices; retried 3 times`. A call that failed for good says so itself, and the changes (retry.ts) and the
// wait's reads (rollout/calls.ts) say their own throttling: a call sent `once` is never retried by the SDK.
import { isThrottling } from "./errors.js";
import { underneath } from "./retry.js";

interface Stack {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: object) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize" | "finalizeRequest"; priority?: "low"; name: string },
    ): void;
  };
}

interface Context {
  clientName?: string;
  commandName?: string;
}

/** What AWS calls its services in this action's lines. */
const SERVICE_NAMES: Record<string, string> = {
  ElasticLoadBalancingV2: "ELB",
  CloudWatchLogs: "CloudWatch Logs",
  SecretsManager: "Secrets Manager",
};

function serviceOf(context: Context): string {
  const name = (context.clientName ?? "AWS").replace(/Client$/, "");
  return SERVICE_NAMES[name] ?? name;
}

/** `ECS throttled DescribeServices; retried 3 times`. */
export function throttledLine(service: string, operation: string, retries: number): string {
  return `${service} throttled ${operation}; retried ${retries === 1 ? "once" : `${retries} times`}`;
}

/** Watches every call of `client`: `note` hears of a throttled call that got through, once per operation. */
export function sayThrottling<C>(client: C, note: ((line: string) => void) | undefined, said: Set<string>): C {
  if (!note) return client;
  const throttled = new WeakMap<object, number>();
  const stack = (client as unknown as Stack).middlewareStack;
  // Inside the SDK's retry step: every attempt.
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isThrottling(underneath(error))) throttled.set(context, (throttled.get(context) ?? 0) + 1);
        throw error;
      }
    },
    { step: "finalizeRequest", priority: "low", name: "deployActionThrottledAttempt" },
  );
  // Around the whole call: once it got through.
  stack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const retries = throttled.get(context) ?? 0;
      const { commandName = "a call" } = context as Context;
      const operation = commandName.replace(/Command$/, "");
      const key = `${serviceOf(context as Context)} ${operation}`;
      if (retries > 0 && !said.has(key)) {
        said.add(key);
        note(throttledLine(serviceOf(context as Context), operation, retries));
      }
      return out;
    },
    { step: "initialize", name: "deployActionThrottledCall" },
  );
  return client;
}
