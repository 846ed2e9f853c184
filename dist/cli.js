#!/usr/bin/env node
// The deploy-action command line (package.json "bin"): the action's own bundle, told that it runs in a terminal.
globalThis[Symbol.for("ocf.deploy-action.cli")] = true;
await import("./index.js");
