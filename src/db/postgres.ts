/**
 * PostgreSQL through Kysely's PostgresDialect over a `pg` pool. Every transaction starts by taking
 * one cluster-wide advisory lock, then runs at READ COMMITTED: the use cases were written for
 * SQLite's single writer (BEGIN IMMEDIATE: read, decide, write in one transaction), and every
 * write appends to the hash-chained audit trail, whose head row serialises writers anyway. Each
 * statement after the lock sees every commit before it, so the reasoning stays true with many
 * processes; SERIALIZABLE was tried and, with every writer touching that head row, spent its time
 * in aborted retries under load. Reads outside transactions and the unique indexes are unaffected.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type TransactionBuilder } from "kysely";
import pg from "pg";
import type { DbHandle } from "./connect.js";
import type { Database } from "./schema.js";

// Money and sequence numbers are bigint columns; they fit in a double (fen, not yuan), and the
// rest of the code reads numbers, as better-sqlite3 returns them. Sums come back as numeric.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** SQLSTATEs after which running the whole transaction again is correct (deadlocks, mostly). */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_TRIES = 12;

export function isRetryableTransactionError(err: unknown): boolean {
  return RETRYABLE.has((err as { code?: string } | null)?.code ?? "");
}

/**
 * Connection failures: the server is down, restarting or unreachable. The HTTP layer answers them
 * with 503 DATABASE_UNAVAILABLE, and the pool reconnects by itself once the server is back.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "EPIPE",
  "ETIMEDOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down)
  "08000",
  "08001",
  "08003",
  "08006",
]);

export function isDatabaseUnavailableError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  const m = e.message ?? "";
  return (
    m.includes("Connection terminated") ||
    m.includes("timeout exceeded when trying to connect") ||
    m.includes("Client has encountered a connection error") ||
    m.includes("Connection is closed")
  );
}

export async function withSerializationRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isRetryableTransactionError(err) || attempt >= MAX_TRIES) throw err;
      // Jittered, growing pause so the transactions that collided do not collide again in step.
      await sleep(Math.random() * Math.min(2 ** attempt, 100));
    }
  }
}

/** The advisory-lock key of the writer lock (an arbitrary constant: "zhuxiao" in ASCII, minus the o). */
const WRITER_LOCK = 0x7a6875786961;

class WriterLockKysely extends Kysely<Database> {
  override transaction(): TransactionBuilder<Database> {
    const builder = super.transaction().setIsolationLevel("read committed");
    const execute = builder.execute.bind(builder);
    (builder as { execute: typeof execute }).execute = (fn) =>
      withSerializationRetry(() =>
        execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(${WRITER_LOCK}::bigint)`.execute(trx);
          return fn(trx);
        }),
      );
    return builder;
  }
}

export interface PostgresOptions {
  /** Pool size per process; PostgreSQL's max_connections bounds the sum over all processes. */
  poolMax?: number;
}

export function openPostgres(url: string, o: PostgresOptions = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: o.poolMax ?? 10,
    // While the server is down a request should fail fast (503), not queue for the default forever.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits here; unhandled, it would end the process.
  pool.on("error", () => {});
  // A client in use whose server goes away emits too, outside any query: the query in hand (if
  // any) fails on its own, and the pool drops the client; without a listener the process would end.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  const db = new WriterLockKysely({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    dialect: "postgres",
    url,
    close: () => db.destroy(),
  };
}
