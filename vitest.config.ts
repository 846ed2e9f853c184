import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One moto server for the whole run; end-to-end tests read its address with inject("motoEndpoint").
    globalSetup: ["test/support/moto-global.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
