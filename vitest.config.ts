import { defineConfig } from "vitest/config";

export default defineConfig({
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
