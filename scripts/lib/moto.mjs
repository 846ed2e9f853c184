// Starts and stops a local moto server (an AWS-compatible endpoint) on a free loopback port.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function motoInstalled() {
  return spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status === 0;
}

/**
 * @returns {Promise<{ endpoint: string, stop: () => Promise<void> }>}
 */
export async function startMoto() {
  if (!motoInstalled()) {
    throw new Error('moto_server not found: install it with `pip install "moto[server]"` (Python package moto)');
  }
  const port = await freePort();
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    // Fixed fake credentials: moto accepts any, and the SDK must not look for real ones.
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: "true" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child, () => stderr);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(undefined);
      child.once("exit", () => resolve(undefined));
      child.kill("SIGTERM");
    });
  return { endpoint, stop };
}

async function waitUntilUp(endpoint, child, stderr) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early:\n${stderr()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s:\n${stderr()}`);
}

/** Environment for the SDK (and the action) to talk to moto with fake credentials. */
export function motoEnv(endpoint) {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SESSION_TOKEN: "testing",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}
