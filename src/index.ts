// The action's entry point: the runner runs dist/index.js, the bundle of this file.
import { githubHost } from "./host/github.js";
import { getInputs } from "./inputs.js";
import { run } from "./main.js";

void run(githubHost(), getInputs);
