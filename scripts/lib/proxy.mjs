// A recording HTTP proxy in front of an AWS-compatible endpoint. It notes each AWS call (operation,
// start, end) for the benchmark, and can answer chosen operations itself: end-to-end tests use that to
// script a rollout over time, which moto cannot do (its deployments never progress).
import { createServer } from "node:http";

/** The operation of an AWS request: JSON protocols name it in X-Amz-Target, query protocols in Action=. */
export function operationOf(headers, body) {
  const target = headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop() ?? target;
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? "unknown";
}

/**
 * The AWS service a request is for: the signing name in its SigV4 credential scope
 * (`Credential=KEY/20260101/us-east-1/ecs/aws4_request`), which is also the service's prefix in IAM actions.
 */
export function serviceOf(headers) {
  const authorization = headers.authorization;
  const scope =
    typeof authorization === "string" ? /Credential=[^/]+\/[^/]+\/[^/]+\/([^/,]+)\//.exec(authorization) : null;
  return scope?.[1] ?? "unknown";
}

/**
 * `motoCompat`: correct moto's one known misreport that the action depends on (see fixMotoDeployments).
 * An answer of `{ drop: true }` closes the connection instead of answering: a lost answer (after `forward()`, one
 * that AWS acted on).
 * `delayMs`: hold every answer this long, as a network round trip to AWS would; the benchmark uses it so that a call
 * counts as sequential only when it really waited for another (a client's first-call set-up takes longer than
 * moto's answer on loopback, which would otherwise read as a dependency).
 * @param {{ target: string, motoCompat?: boolean, delayMs?: number, answer?: (call: { operation: string, body: string, calls: object[],
 *   forward: (body?: string) => Promise<{ status: number, headers: Record<string,string>, body: string }> }) =>
 *   Promise<{ status?: number, headers?: Record<string,string>, body: string } | { drop: true } | undefined> }} options
 */
export async function startProxy(options) {
  /** @type {{ operation: string, service: string, start: number, end: number, scripted: boolean }[]} */
  const calls = [];
  const server = createServer(async (req, res) => {
    const start = performance.now();
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString("utf8");
    const operation = operationOf(req.headers, body);
    let forwarded = false;
    // `sent`: another body to send instead of the request's (a script that bridges a gap of moto's); moto does not
    // check signatures.
    const forward = async (sent = body) => {
      forwarded = true;
      const response = await fetch(options.target + req.url, {
        method: req.method,
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => k !== "host" && k !== "content-length"),
        ),
        body: ["GET", "HEAD"].includes(req.method ?? "GET") ? undefined : sent,
      });
      const type = response.headers.get("content-type") ?? "text/plain";
      const text = await response.text();
      const fixed = options.motoCompat && response.ok ? fixMotoDeployments(operation, text) : text;
      return { status: response.status, headers: { "content-type": type }, body: fixed };
    };
    const answer = (await options.answer?.({ operation, body, calls, forward })) ?? (await forward());
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (answer.drop) req.socket.destroy();
    else {
      res.writeHead(answer.status ?? 200, { "content-type": "application/x-amz-json-1.1", ...answer.headers });
      res.end(answer.body);
    }
    calls.push({ operation, service: serviceOf(req.headers), start, end: performance.now(), scripted: !forwarded });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * moto 5.2.1 keeps one deployment per service and, on UpdateService, gives it a new id but leaves its
 * taskDefinition at the service's first revision; AWS starts a new PRIMARY deployment of the new revision.
 * The action (rightly) looks for the PRIMARY deployment of its revision, so the proxy writes the service's
 * taskDefinition into moto's PRIMARY deployment: exactly what AWS would show, nothing more.
 */
export function fixMotoDeployments(operation, text) {
  if (operation !== "UpdateService" && operation !== "DescribeServices") return text;
  const body = JSON.parse(text);
  for (const service of body.services ?? (body.service ? [body.service] : [])) {
    for (const deployment of service.deployments ?? []) {
      if (deployment.status === "PRIMARY") deployment.taskDefinition = service.taskDefinition;
    }
  }
  return JSON.stringify(body);
}

/**
 * The length of the longest chain of calls where each starts after the previous one ended, up to (not
 * including) the first call named `until`: the sequential round trips a user waits for.
 */
export function sequentialRoundTrips(calls, until) {
  const stop = calls.find((c) => c.operation === until);
  const before = calls.filter((c) => !stop || c.start < stop.start).sort((a, b) => a.start - b.start);
  const depth = new Map();
  for (const call of before) {
    const parents = before.filter((p) => p.end <= call.start).map((p) => depth.get(p) ?? 1);
    depth.set(call, 1 + Math.max(0, ...parents));
  }
  return Math.max(0, ...depth.values());
}
