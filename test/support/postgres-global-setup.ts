/**
 * Vitest global setup of the `postgres` project: one throwaway cluster for the whole run, removed
 * at the end. Two template databases are made once, migrated (and one loaded with the demo data
 * as the harness loads it); each harness then copies one, which takes a fraction of migrating and
 * seeding again. Throws without PostgreSQL, which fails the project: the suites are not skipped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../../src/config.js";
import { seedDemo } from "../../src/demo/seed.js";
import { openRuntime } from "../../src/runtime.js";
import { POSTGRES_TEST_SECRET, TEMPLATE_EMPTY, TEMPLATE_SEEDED } from "./database.js";
import { STAFF_PASSWORDS, TestClock } from "./harness.js";
import { createDatabase, startPostgres } from "./postgres.js";

async function makeTemplate(adminUrl: string, name: string, seed: boolean): Promise<void> {
  const url = await createDatabase(adminUrl, name);
  const dir = mkdtempSync(join(tmpdir(), "zhuxiao-template-"));
  try {
    const config = loadConfig({
      ZHUXIAO_DATA_DIR: dir,
      DATABASE_URL: url,
      ZHUXIAO_SECRET: POSTGRES_TEST_SECRET,
      LOG_LEVEL: "silent",
    });
    const rt = await openRuntime(config, { clock: new TestClock(), startWorker: false });
    if (seed) await seedDemo(rt.deps, { staffPasswords: { ...STAFF_PASSWORDS } });
    await rt.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgres({ fast: true });
  try {
    await makeTemplate(cluster.adminUrl, TEMPLATE_EMPTY, false);
    await makeTemplate(cluster.adminUrl, TEMPLATE_SEEDED, true);
  } catch (err) {
    cluster.destroy();
    throw err;
  }
  project.provide("pgAdminUrl", cluster.adminUrl);
  return () => cluster.destroy();
}
