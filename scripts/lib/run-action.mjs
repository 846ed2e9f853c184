// Runs the bundled action the way the GitHub runner does: `node dist/index.js` with INPUT_* variables
// (the action.yml defaults filled in first), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Input defaults from action.yml, as the runner passes them: every input that declares a default.
 * @returns {Record<string, string>}
 */
export function actionDefaults(actionYml = readFileSync(join(ROOT, "action.yml"), "utf8")) {
  const inputs = parse(actionYml).inputs ?? {};
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name, spec]) => [name, String(spec.default)]),
  );
}

/**
 * Parses the GITHUB_OUTPUT file (`name<<delimiter` blocks, as @actions/core writes them).
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseOutputs(text) {
  const outputs = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!heredoc) continue;
    const [, name, delimiter] = heredoc;
    const value = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
    outputs[name] = value.join("\n");
  }
  return outputs;
}

/**
 * @param {{ inputs: Record<string,string>, env?: Record<string,string>, workspace?: string, timeoutMs?: number,
 *           onStdout?: (chunk: string) => void, signalAfterMs?: number, signalOn?: RegExp, runnerTemp?: string,
 *           entry?: string }} options
 *   entry: the bundle to run (default dist/index.js): the bench runs an earlier bundle beside it.
 *   signalOn: send SIGINT (the runner's cancel) once the output matches: a cancel at a given point of the run.
 *   runnerTemp: RUNNER_TEMP, kept after the run (the run's own folder, removed after it, otherwise).
 *   signalledMs (in the result): when the SIGINT was sent, in ms since the start; how long the action took to end
 *   after it is `ms - signalledMs`, whatever the machine's load made of the steps before.
 * @returns {Promise<{ code: number|null, stdout: string, stderr: string, outputs: Record<string,string>, summary: string, ms: number, signalledMs?: number }>}
 */
export async function runAction(options) {
  const dir = mkdtempSync(join(tmpdir(), "deploy-action-run-"));
  const outputFile = join(dir, "output");
  const summaryFile = join(dir, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const inputs = { ...actionDefaults(), ...options.inputs };
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace ?? ROOT,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: options.runnerTemp ?? dir,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...options.env,
  };
  const started = Date.now();
  try {
    const entry = options.entry ?? join(ROOT, "dist", "index.js");
    const child = spawn(process.execPath, [entry], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    /** @type {number | undefined} */
    let signalledMs;
    const cancel = () => {
      if (child.killed || child.exitCode !== null) return;
      const at = Date.now() - started;
      if (child.kill("SIGINT")) signalledMs = at;
    };
    child.stdout.on("data", (c) => {
      stdout += c;
      options.onStdout?.(String(c));
      if (options.signalOn?.test(stdout)) cancel();
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    if (options.signalAfterMs !== undefined) setTimeout(cancel, options.signalAfterMs);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    const code = await new Promise((resolve) => child.on("exit", (c) => resolve(c)));
    clearTimeout(timer);
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputs(readFileSync(outputFile, "utf8")),
      summary: readFileSync(summaryFile, "utf8"),
      ms: Date.now() - started,
      ...(signalledMs === undefined ? {} : { signalledMs }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
