/**
 * The SQL that the migrations and a fixed set of key queries compile to, per dialect, as committed
 * snapshots (test/snapshots/sql/<dialect>/*.sql): a changed query shows in review, and a test
 * fails when the code and the snapshots drift (`npm run gen` refreshes them). Nothing runs against
 * a database here: the queries go to a driver that records them and answers with no rows.
 */
import {
  CamelCasePlugin,
  type CompiledQuery,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import {
  findOpenApplicationForCard,
  insertApplicationIfNoneOpen,
  transitionApplication,
} from "./applications-repository.js";
import type { Tx } from "./connect.js";
import { candidateJobIds, claimJob, claimLockedJob, enqueueJob, tryLockJob } from "./jobs-repository.js";
import { MIGRATIONS } from "./migrations.js";
import { incrementRateLimit } from "./rate-limits-repository.js";
import type { Database, NewApplication } from "./schema.js";

export type SnapshotDialect = "sqlite" | "postgres";

function recordingDb<DB>(dialect: SnapshotDialect, out: string[], camelCase: boolean): Kysely<DB> {
  const pg = dialect === "postgres";
  const d: Dialect = {
    createAdapter: (): DialectAdapter => (pg ? new PostgresAdapter() : new SqliteAdapter()),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db): DatabaseIntrospector =>
      pg ? new PostgresIntrospector(db) : new SqliteIntrospector(db),
    createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
  };
  return new Kysely<DB>({
    dialect: d,
    plugins: camelCase ? [new CamelCasePlugin()] : [],
    log: (e) => {
      if (e.level === "query") out.push(format(e.query));
    },
  });
}

function format(q: CompiledQuery): string {
  const params = q.parameters.length ? `\n-- parameters: ${JSON.stringify(q.parameters)}` : "";
  return `${q.sql};${params}`;
}

const NOW = "2026-11-24T02:00:00.000Z";

const SAMPLE_APPLICATION = {
  id: "app_1",
  number: "ZX261124AAAAAA",
  cardId: "card_1",
  holderId: "hld_1",
  providerId: "prv_1",
  status: "draft",
  channel: "online",
  timing: "immediate",
  backupStatus: "pending",
  unbindingJson: "[]",
  createdByType: "holder",
  createdById: "hld_1",
  createdAt: NOW,
  updatedAt: NOW,
} as NewApplication;

/** Each key query, by snapshot name, run against the recording database. */
const KEY_QUERIES: Record<string, (db: Kysely<Database>) => Promise<unknown>> = {
  "application-find-open-for-card": (db) => findOpenApplicationForCard(db, "card_1"),
  "application-insert-if-none-open": (db) => insertApplicationIfNoneOpen(db, SAMPLE_APPLICATION),
  "application-transition": (db) =>
    transitionApplication(db, "app_1", "submitted", { status: "under_review", updatedAt: NOW }),
  "job-enqueue": (db) =>
    enqueueJob(db as unknown as Tx, { task: "notify.sms", payload: {}, dedupeKey: "k", runAt: NOW }, NOW),
  "job-claim-table-queue": (db) => claimJob(db, "worker-1", NOW, NOW),
  "job-candidates": (db) => candidateJobIds(db, NOW, 20),
  "job-claim-locked": (db) => claimLockedJob(db, 1, "worker-1", NOW),
  "job-advisory-lock": (db) => tryLockJob(db, 1),
  "rate-limit-increment": (db) => incrementRateLimit(db, "global|127.0.0.1", 1_000, 60_000),
};

/** File name (without .sql) → contents, for one dialect. */
export async function sqlSnapshots(dialect: SnapshotDialect): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const [name, migration] of Object.entries(MIGRATIONS).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const out: string[] = [];
    await migration.up(recordingDb<unknown>(dialect, out, false));
    files[`migration-${name}`] = `${out.join("\n\n")}\n`;
  }
  for (const [name, run] of Object.entries(KEY_QUERIES)) {
    const out: string[] = [];
    // A query that expected a row throws after it was recorded; the SQL is what matters here.
    await run(recordingDb<Database>(dialect, out, true)).catch(() => {});
    files[name] = `${out.join("\n\n")}\n`;
  }
  return files;
}
