/**
 * PostgreSQL through Kysely's PostgresDialect over a `pg` pool, at READ COMMITTED. The use cases
 * were written for SQLite's single writer (BEGIN IMMEDIATE: read, decide, write in one
 * transaction); here advisory locks give each transaction that picture. Each statement after a
 * lock sees every commit made before it (locks are released after the commit is visible).
 * SERIALIZABLE was tried and spent its time in aborted retries under load.
 *
 * Two kinds of transaction (src/db/write-scope.ts):
 *
 * - **Whole database** (every `inTransaction` without options, and `db.transaction()`): takes the
 *   writer lock (`pg_advisory_xact_lock(WRITER_LOCK)`) first, exclusively. Nothing else writes
 *   meanwhile, as on SQLite. The safe default.
 * - **Scoped**: takes the writer lock *shared* plus an exclusive advisory lock per key (a 63-bit
 *   hash of the key, several in ascending order, ids clear of the writer lock, Kysely's migration
 *   lock and the negative job locks of jobs-repository.ts). Scoped transactions with different
 *   keys run side by side; with a common key one at a time; a whole-database one waits for every
 *   scoped one and they for it; a scoped one may not widen to the whole lock (write-scope.ts).
 *   Opted in: `createApplication` (and submit with it) and every application transition
 *   (`runTransition`: submit, withdraw, review, information, approve, reject, processing,
 *   complete, fail, retry, close), from HTTP (with the idempotency wrapper around them) or the
 *   job workers; inside a whole-database transaction (batches, the arrears ladder, TMF orders)
 *   they simply run in it. They lock the card's family (`card:<root>`: the card, its parent and its
 *   dependants share the root's key; `parent_card_id` and an application's `card_id` never
 *   change, so reading them before the lock decides nothing), and the HTTP wrapper first locks
 *   `idempotency:<scope>:<key>`. Taking more keys later (in that order: the key, then one family)
 *   can wait but not deadlock; a deadlock PostgreSQL detects anyway is retried as a whole.
 *
 * Why scoped transactions on different keys cannot break a rule, table by table (what they read
 * to decide, and what they write):
 *
 * - `idempotency_records`: read and inserted under the lock of that (scope, key), so a duplicate
 *   request waits and replays; the primary key backs it up. A whole-database request with the
 *   same key excludes them all.
 * - `cards`: the card's row and its family's (dependants for eligibility, the parent chain) are
 *   read under the family's lock; the one write is the guarded status change of the card itself
 *   (`UPDATE … WHERE status IN (<expected>)`).
 * - `applications`: only the card's own, read and written under the family lock; a second open
 *   one is refused by the partial unique index `applications_one_open_per_card`; transitions
 *   are guarded updates (`WHERE status = <expected>`); ids and numbers are random and unique.
 * - `accounts`, `lock_ins`, `bindings`: the card's own rows, read for eligibility; `accounts` is
 *   written by `close` (the deposit refund) under the family lock, and otherwise only by
 *   whole-database transactions (processing steps, provider events).
 * - `ledger_entries`: the deposit refund is inserted once per (application, kind), the unique
 *   index `ledger_entries_once`; the receipt reads the application's own entries.
 * - `receipts`: one per (application, kind), unique index `receipts_once`, insert-or-nothing.
 * - `processing_steps`: `retry` resets the application's own failed steps.
 * - `jobs`: insert-or-nothing on the unique `dedupe_key`, which names the application and event;
 *   `graphile_worker.add_job` is made for concurrent producers (its job key is our job's id).
 * - `holders`, `providers`, `staff`, `documents`: read only; written by whole-database
 *   transactions, which never overlap a scoped one (or, as before, by single statements).
 * - `audit_events` and `audit_head`: appends are buffered and chained right before COMMIT
 *   (audit-repository.ts): `SELECT … FROM audit_head WHERE id = 1 FOR UPDATE` waits for the
 *   previous appender to commit and returns its head, so the chain stays gapless and linear;
 *   the head row is held for two statements (that one, then the inserts and the head's move as
 *   one) and the commit. A receipt's anchor (the head right before its event) is known there:
 *   the receipt is signed then and inserted with the events.
 *
 * Reads outside transactions and the unique indexes are unaffected by all of this.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type TransactionBuilder } from "kysely";
import type pg from "pg";
import { type DbHandle, type OpenOptions, queryLog } from "./connect.js";
import { isStalePreparedStatement, renameStatements, statementName } from "./named-statements.js";
import { type Bound, executeNamed, fixedStatement, together } from "./prepared.js";
import type { Database } from "./schema.js";
import { runTransactionBody, type TransactionOptions, type WriteLocks } from "./write-scope.js";

let pgModule: typeof pg | undefined;

/**
 * node-pg, loaded when the first pool opens: a process on SQLite never loads it (≈ 3 MB of heap
 * less for each API process).
 */
function loadPg(): typeof pg {
  if (pgModule) return pgModule;
  const loaded = createRequire(import.meta.url)("pg") as typeof pg;
  // Money and sequence numbers are bigint columns; they fit in a double (fen, not yuan), and the
  // rest of the code reads numbers, as better-sqlite3 returns them. Sums come back as numeric.
  loaded.types.setTypeParser(loaded.types.builtins.INT8, (v) => Number(v));
  loaded.types.setTypeParser(loaded.types.builtins.NUMERIC, (v) => Number(v));
  pgModule = loaded;
  return loaded;
}

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
      // A prepared statement that went stale under a migration is prepared again on the retry.
      const retryable = isRetryableTransactionError(err) || isStalePreparedStatement(err);
      if (!retryable || attempt >= MAX_TRIES) throw err;
      // Jittered, growing pause so the transactions that collided do not collide again in step.
      await sleep(Math.random() * Math.min(2 ** attempt, 100));
    }
  }
}

/** The advisory-lock key of the writer lock (an arbitrary constant: "zhuxiao" in ASCII, minus the o). */
export const WRITER_LOCK = 0x7a6875786961;

/** Advisory-lock keys a scope key must never hash to: the writer lock and Kysely's migration lock. */
const RESERVED_LOCK_IDS = new Set([BigInt(WRITER_LOCK), 3853314791062309107n]);

/**
 * The advisory-lock id of a scope key: the first 63 bits of its SHA-256, so positive (job locks
 * are negative) and, in practice, never shared by two keys (which would only serialise them).
 */
export function scopeLockId(key: string): bigint {
  for (let salt = 0; ; salt++) {
    const digest = createHash("sha256")
      .update(salt === 0 ? key : `${salt}:${key}`)
      .digest();
    const id = digest.readBigUInt64BE(0) >> 1n;
    if (id > 0xffff_ffffn && !RESERVED_LOCK_IDS.has(id)) return id;
  }
}

const PG_LOCKS: WriteLocks = {
  async all(tx) {
    await executeNamed(tx, sql`select pg_advisory_xact_lock(${WRITER_LOCK}::bigint)`.compile(tx));
  },
  async keys(tx, keys, first) {
    await together(tx, [keysStatement(keys, first)]);
  },
  keysStatement,
};

/** The locks of `keys` in one statement; the select list is evaluated left to right: the shared writer lock first. */
function keysStatement(keys: readonly string[], first: boolean): Bound<unknown> {
  const ids = [...new Set(keys.map(scopeLockId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const calls = ids.map((id) => sql`pg_advisory_xact_lock(${id.toString()}::bigint)`);
  if (first) calls.unshift(sql`pg_advisory_xact_lock_shared(${WRITER_LOCK}::bigint)`);
  return { compile: (db) => fixedStatement(sql`select ${sql.join(calls)}`.compile(db)).compile(db) };
}

export class WriterLockKysely extends Kysely<Database> {
  /** A whole-database transaction, for callers that open one directly (the demo seed). */
  override transaction(): TransactionBuilder<Database> {
    return this.transactionWith({});
  }

  /** A transaction with the locks `options` ask for (`inTransaction` opens them here). */
  transactionWith(options: TransactionOptions): TransactionBuilder<Database> {
    const builder = super.transaction().setIsolationLevel("read committed");
    const execute = builder.execute.bind(builder);
    (builder as { execute: typeof execute }).execute = (fn) =>
      withSerializationRetry(() => execute((trx) => runTransactionBody(trx, PG_LOCKS, options, fn)));
    return builder;
  }
}

type QueryFn = (config: unknown, values?: unknown, callback?: unknown) => Promise<unknown>;

/**
 * What this process adds to each pooled connection (pipeline mode is on: a statement is written
 * without waiting for the answers to those before it, which come back in order):
 *
 * - Statements issued together (`together` in src/db/prepared.ts: a lock and the reads it guards,
 *   the reads of eligibility) leave in one write: the socket is corked when the first is issued
 *   and uncorked once the promise jobs then running are done (`process.nextTick` runs after
 *   them). One round trip for all of them instead of one each, and one system call (measured on
 *   loopback: 20–30 µs of kernel time each, and as much again in node-pg and the event loop).
 * - The statements marked in named-statements.ts go out under their names. When one went stale
 *   under a migration, every connection prepares again under new names, and a statement outside a
 *   transaction runs again at once (in one, the transaction is retried whole).
 */
function extendConnection(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFn;
  const stream = (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } })
    .connection.stream;
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  (client as unknown as { query: QueryFn }).query = (config, values, callback) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    if (typeof config !== "string" || callback !== undefined) return query(config, values, callback);
    const name = Array.isArray(values) && values.length > 0 ? statementName(config) : undefined;
    if (!name) return query(config, values);
    return query({ name, text: config, values }).catch((err: unknown) => {
      if (!isStalePreparedStatement(err)) throw err;
      renameStatements();
      // 'I': idle, no transaction open (the failed statement was on its own).
      if (client.getTransactionStatus() !== "I") throw err;
      return query({ name: statementName(config), text: config, values });
    });
  };
}

export interface PostgresOptions extends OpenOptions {
  /** Pool size per process; PostgreSQL's max_connections bounds the sum over all processes. */
  poolMax?: number;
}

export function openPostgres(url: string, o: PostgresOptions = {}): DbHandle {
  const pool = new (loadPg().Pool)({
    connectionString: url,
    max: o.poolMax ?? 10,
    // While the server is down a request should fail fast (503), not queue for the default forever.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    // Statements issued together go out together (extendConnection).
    pipeline: true,
  });
  // An idle client whose server went away emits here; unhandled, it would end the process.
  pool.on("error", () => {});
  // A client in use whose server goes away emits too, outside any query: the query in hand (if
  // any) fails on its own, and the pool drops the client; without a listener the process would end.
  pool.on("connect", (client) => {
    client.on("error", () => {});
    extendConnection(client);
  });
  const db = new WriterLockKysely({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
    ...queryLog(o),
  });
  return {
    db,
    dialect: "postgres",
    url,
    close: () => db.destroy(),
  };
}
