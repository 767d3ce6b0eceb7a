/**
 * Which database the integration suites run on. The `postgres` Vitest project runs the same
 * files with ZHUXIAO_TEST_DATABASE=postgres: each harness then gets a new database in the
 * project's throwaway cluster (a copy of a migrated, or migrated and seeded, template) instead of
 * a SQLite file.
 */
import { inject } from "vitest";
import { createDatabase, dropDatabase } from "./postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The postgres project's throwaway cluster (test/support/postgres-global-setup.ts). */
    pgAdminUrl: string;
  }
}

export type TestDatabase = "sqlite" | "postgres";

/** Templates made by the postgres project's global setup. */
export const TEMPLATE_EMPTY = "zx_template_empty";
export const TEMPLATE_SEEDED = "zx_template_seeded";
/**
 * The master secret of the templates' sealed personal data: a copy is only readable with it.
 * A test value, never a deployment's.
 */
export const POSTGRES_TEST_SECRET = Buffer.alloc(32, 7).toString("base64");

export function testDatabase(): TestDatabase {
  return process.env.ZHUXIAO_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
}

export interface TestDatabaseUrl {
  /** Extra environment for the runtime: DATABASE_URL and the templates' secret on PostgreSQL. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh database for one harness. `seeded`: a copy of the template with the demo data in it;
 * `fromTemplate: false` when the test brings its own secret (the copy would be unreadable).
 */
export async function newTestDatabase(o: {
  seeded: boolean;
  fromTemplate: boolean;
}): Promise<TestDatabaseUrl> {
  if (testDatabase() === "sqlite") return { env: {}, drop: async () => {} };
  const admin = inject("pgAdminUrl");
  if (!admin) throw new Error("the postgres project's global setup did not provide a cluster");
  const template = o.fromTemplate ? (o.seeded ? TEMPLATE_SEEDED : TEMPLATE_EMPTY) : undefined;
  const url = await createDatabase(admin, undefined, template);
  return {
    env: { DATABASE_URL: url, ...(template ? { ZHUXIAO_SECRET: POSTGRES_TEST_SECRET } : {}) },
    drop: () => dropDatabase(admin, url),
  };
}

/** The database environment of each live harness, by data directory (for CLI runs against it). */
const byDataDir = new Map<string, Record<string, string>>();

export function rememberDatabaseEnv(dataDir: string, env: Record<string, string>): void {
  if (Object.keys(env).length > 0) byDataDir.set(dataDir, env);
}

export function forgetDatabaseEnv(dataDir: string): void {
  byDataDir.delete(dataDir);
}

/** What a `zhuxiao` child process needs besides ZHUXIAO_DATA_DIR to open that harness's database. */
export function databaseEnvFor(dataDir: string | undefined): Record<string, string> {
  return (dataDir && byDataDir.get(dataDir)) || {};
}
