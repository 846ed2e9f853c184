// The run's cancel reaches every call made through the clients: a call in flight ends at once, in any phase.
import { createServer } from "node:http";
import { DescribeClustersCommand } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeClients } from "../../src/aws/clients.js";
import { CHANGE_POLICY } from "../../src/aws/retry.js";

/** An endpoint that never answers. */
const server = createServer(() => undefined);
let endpoint = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  process.env.AWS_ACCESS_KEY_ID = process.env.AWS_ACCESS_KEY_ID ?? "testing";
  process.env.AWS_SECRET_ACCESS_KEY = process.env.AWS_SECRET_ACCESS_KEY ?? "testing";
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("makeClients", () => {
  it("aborts a call in flight when the run's signal fires", async () => {
    const controller = new AbortController();
    const clients = makeClients({ region: "us-east-1", endpoint, signal: controller.signal });
    const call = clients.ecs.send(new DescribeClustersCommand({ clusters: ["c"] }));
    setTimeout(() => controller.abort(), 100);
    const error = (await call.catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("AbortError");
    clients.destroy();
  });

  it("keeps a call's own signal too", async () => {
    const clients = makeClients({ region: "us-east-1", endpoint, signal: new AbortController().signal });
    const own = AbortSignal.timeout(100);
    const error = (await clients.ecs
      .send(new DescribeClustersCommand({ clusters: ["c"] }), { abortSignal: own })
      .catch((e: unknown) => e)) as Error;
    expect(error.name).toMatch(/AbortError|TimeoutError/);
  });

  it("a call with a signal of its own is sent even after the run was cancelled (StopTask on cancel)", async () => {
    const cancelled = AbortSignal.abort();
    const clients = makeClients({ region: "us-east-1", endpoint, signal: cancelled });
    const before = (await clients.ecs
      .send(new DescribeClustersCommand({ clusters: ["c"] }))
      .catch((e: unknown) => e)) as Error;
    expect(before.name).toBe("AbortError");
    // The endpoint never answers: the call is in flight until its own limit, not aborted at once by the run's cancel.
    const started = Date.now();
    const own = (await clients.ecs
      .send(new DescribeClustersCommand({ clusters: ["c"] }), { abortSignal: AbortSignal.timeout(300) })
      .catch((e: unknown) => e)) as Error;
    expect(own.name).toMatch(/AbortError|TimeoutError/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("gives the change policy, shortened only when asked", () => {
    expect(makeClients({ region: "us-east-1" }).changePolicy).toEqual(CHANGE_POLICY);
    expect(makeClients({ region: "us-east-1", retryScale: 0.1 }).changePolicy?.budgetMs).toBe(6000);
  });
});
