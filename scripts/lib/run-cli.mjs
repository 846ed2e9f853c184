// Runs the bundled command line as a user runs it in a terminal: `node dist/cli.js ARGS...` in a working directory,
// with only what a laptop's environment would hold (PATH, HOME and the AWS settings given), so that no GitHub
// variable of the machine running the tests leaks in.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./run-action.mjs";

/**
 * @param {{ cwd: string, args: string[], env?: Record<string,string>, timeoutMs?: number }} options
 * @returns {Promise<{ code: number|null, stdout: string, stderr: string, ms: number }>}
 */
export async function runCli(options) {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? options.cwd, ...options.env };
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, "dist", "cli.js"), ...options.args], {
    cwd: options.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => {
    stdout += c;
  });
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const code = await new Promise((resolve) => child.on("close", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr, ms: Date.now() - started };
}
