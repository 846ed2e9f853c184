// The entry point of the one bundle, dist/index.js. The runner runs it as the action; dist/cli.js, the command
// line's launcher (scripts/bundle.mjs), marks the run as the command line's first and then loads it.
import { runCli } from "./cli.js";
import { githubHost } from "./host/github.js";
import { getInputs } from "./inputs.js";
import { run } from "./main.js";

const CLI_MARK = Symbol.for("ocf.deploy-action.cli");

if ((globalThis as Record<symbol, unknown>)[CLI_MARK] === true) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
} else {
  void run(githubHost(), getInputs);
}
