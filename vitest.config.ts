import { defineConfig } from "vitest/config";

/** Integration files that run on both databases (test/support/database.ts), plus the PostgreSQL-only proofs. */
const POSTGRES_SUITES = [
  "test/application-lifecycle.test.ts",
  "test/audit-chain.test.ts",
  "test/authorization.test.ts",
  "test/branches/booking-concurrency.test.ts",
  "test/concurrent-submissions.test.ts",
  "test/idempotency-retention.test.ts",
  "test/notifications.test.ts",
  "test/number-and-ladder.test.ts",
  "test/pipeline.test.ts",
  "test/portal-api.test.ts",
  "test/progress-lookup.test.ts",
  "test/receipts.test.ts",
  "test/sign-in.test.ts",
  "test/submission-statements.test.ts",
  "test/timeline-names.test.ts",
  "test/tmf.test.ts",
  "test/transitions.test.ts",
  "test/postgres/**/*.test.ts",
];

export default defineConfig({
  test: {
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/e2e/**", "test/postgres/**", "node_modules/**", "dist/**"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The same integration files again on PostgreSQL: a throwaway cluster for the run (fails,
        // never skips, without the server binaries); each harness gets its own database in it.
        extends: true,
        test: {
          name: "postgres",
          include: POSTGRES_SUITES,
          env: { ZHUXIAO_TEST_DATABASE: "postgres" },
          globalSetup: ["test/support/postgres-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Browser tests against the real server: a server and Chromium to start, pages to walk.
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          setupFiles: ["test/e2e/support/server-output-on-failure.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
