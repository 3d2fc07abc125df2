import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/exclusive/**"],
          // one stack for the whole suite (a global setup per project would start one each)
          globalSetup: ["test/global-setup.ts"],
          maxWorkers: 3,
        },
      },
      {
        // Tests that measure the whole machine (CPU usage): one file at a time, after the
        // rest of the suite, so that no other test file's load is in their figures. They
        // start what they need themselves.
        extends: true,
        test: { name: "exclusive", include: ["test/exclusive/**/*.test.ts"], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
