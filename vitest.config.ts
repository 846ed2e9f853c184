import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The bundle imports the SDK clients' ES builds (src/aws/sdk-es.d.ts says why); tests import the package roots to
    // mock them (aws-sdk-client-mock). One class per client under test: the deep path resolves to the package root.
    alias: [{ find: /^(@aws-sdk\/client-[a-z0-9-]+)\/dist-es\/index\.js$/, replacement: "$1" }],
  },
  test: {
    include: ["__tests__/**/*.test.ts"],
    // One moto server for the whole run; end-to-end tests read its address with inject("motoEndpoint").
    globalSetup: ["__tests__/support/moto-global.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // GitHub's workflow parser imports its schema as JSON without an import attribute, which Node refuses: let Vite
    // transform it (the workflow tests evaluate our YAML with it).
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
