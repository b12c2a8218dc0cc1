import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // CI also keeps a machine-readable summary, from which .ci/run prints its closing line.
    reporters: process.env.CI
      ? ["default", ["json", { outputFile: ".test-results/vitest.json" }]]
      : ["default"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["packages/*/test/**/*.int.test.ts", "tests/**/*.int.test.ts"],
          globalSetup: ["packages/test-support/src/global-setup.ts"],
          // Integration tests start real processes; two cores run them best one file at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
