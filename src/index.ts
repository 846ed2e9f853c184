// The action's entry point: the runner runs dist/index.js, the bundle of this file.
import { run } from "./main.js";

void run();
