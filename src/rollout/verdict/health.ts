// Pure: a failing load balancer health check in one sentence a developer acts on: which target group, what request
// on which port, what it got and what counts as healthy. AWS's own words (`Target.ResponseCodeMismatch: Health checks
// failed with these codes: [404]`, `Task failed ELB health checks in (target-group arn:…)`) name neither the path nor
// the port, and the stop reason not even the codes: those come from the target group and from ECS's service events.
import type { TargetGroup, TargetGroupAttribute } from "@aws-sdk/client-elastic-load-balancing-v2";
import { formatDuration, targetGroupName } from "../../text/names.js";
import type { TargetGroupView } from "./model.js";

/** What failed, as ELB puts it: TargetHealth.Reason and Description, or an event's `(reason …)`. */
export interface HealthFailure {
  reason?: string | undefined;
  description?: string | undefined;
}

/** The view of a DescribeTargetGroups answer (and its attributes, where DescribeTargetGroupAttributes answered). */
export function targetGroupView(tg: TargetGroup, attributes: readonly TargetGroupAttribute[] = []): TargetGroupView {
  const delay = attributes.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
  const grpc = tg.Matcher?.GrpcCode;
  return {
    name: tg.TargetGroupName ?? targetGroupName(tg.TargetGroupArn ?? ""),
    healthCheckPath: tg.HealthCheckPath,
    healthCheckProtocol: tg.HealthCheckProtocol,
    healthCheckPort: tg.HealthCheckPort,
    matcher: tg.Matcher?.HttpCode ?? (grpc ? `gRPC ${grpc}` : undefined),
    healthCheckTimeoutSeconds: tg.HealthCheckTimeoutSeconds,
    healthCheckIntervalSeconds: tg.HealthCheckIntervalSeconds,
    healthyThresholdCount: tg.HealthyThresholdCount,
    deregistrationDelaySeconds: delay === undefined || Number.isNaN(Number(delay)) ? undefined : Number(delay),
  };
}

/** ELB's reason code for a description an event quotes (events carry the description only). */
function reasonOf(failure: HealthFailure | undefined): string | undefined {
  if (failure?.reason) return failure.reason;
  const description = failure?.description ?? "";
  if (/with these codes/i.test(description)) return "Target.ResponseCodeMismatch";
  if (/timed out/i.test(description)) return "Target.Timeout";
  if (/^Health checks failed\.?$/i.test(description.trim())) return "Target.FailedHealthChecks";
  return undefined;
}

/** `404`, `502, 503` from `Health checks failed with these codes: [404]`. */
function codes(description: string | undefined): string | undefined {
  const list = /\[([^\]]*)\]/.exec(description ?? "")?.[1]?.trim();
  return list ? list.split(/\s*,\s*/).join(", ") : undefined;
}

/** `GET /health on port 8080`: the request the load balancer makes, as far as the target group says. */
function request(group: TargetGroupView | undefined, targetPort: number | undefined): string {
  const configured = group?.healthCheckPort;
  const port = configured && configured !== "traffic-port" ? configured : targetPort;
  const on = port === undefined ? "" : ` on port ${port}`;
  const protocol = group?.healthCheckProtocol?.toUpperCase();
  if (protocol === "TCP" || protocol === "TLS" || protocol === "UDP" || protocol === "TCP_UDP") {
    return `a ${protocol} connection${on}`;
  }
  if (!group?.healthCheckPath) return `the health check${on}`;
  const method = protocol === "HTTPS" ? "HTTPS GET" : "GET";
  return `${method} ${group.healthCheckPath}${on}`;
}

function healthy(group: TargetGroupView | undefined): string {
  return group?.matcher ? ` (healthy is ${group.matcher})` : "";
}

/**
 * `health checks failed in web-tg: GET /health on port 8080 answered 404 (healthy is 200)`. Timeouts, refused
 * connections and unknown failures get their own words; other ELB reasons (Elb.InternalError…) give undefined.
 */
export function healthCheckLine(
  groupArnOrName: string,
  group: TargetGroupView | undefined,
  failure: HealthFailure | undefined,
  targetPort: number | undefined,
): string | undefined {
  const name = group?.name ?? targetGroupName(groupArnOrName);
  const what = request(group, targetPort);
  switch (reasonOf(failure)) {
    case "Target.ResponseCodeMismatch": {
      const got = codes(failure?.description);
      return `health checks failed in ${name}: ${what} answered ${got ?? "an unhealthy code"}${healthy(group)}`;
    }
    case "Target.Timeout": {
      const seconds = group?.healthCheckTimeoutSeconds;
      const within = seconds ? ` within ${formatDuration(seconds * 1000)}` : " in time";
      return `health checks timed out in ${name}: ${what} got no answer${within}`;
    }
    case "Target.FailedHealthChecks":
      return `health checks failed in ${name}: ${what} could not connect (connection refused, reset or closed)`;
    case undefined:
      return `health checks failed in ${name}: ${what} did not pass${healthy(group)}`;
    default:
      // Elb.InternalError and the like: not the app's doing, and AWS's words say it best (see explain.ts).
      return undefined;
  }
}
