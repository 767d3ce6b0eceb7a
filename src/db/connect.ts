/**
 * Opens the database named by the configuration and hands out a typed Kysely instance.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { CamelCasePlugin, Kysely, type LogEvent, PostgresAdapter, type Transaction } from "kysely";
import { openPostgres, WriterLockKysely } from "./postgres.js";
import type { Database } from "./schema.js";
import { ImmediateSqliteDialect } from "./sqlite-dialect.js";
import { TurnChangeMark, WalChangeProbe } from "./wal-probe.js";
import { NO_LOCKS, runNested, runTransactionBody, type TransactionOptions } from "./write-scope.js";

export {
  heldLocks,
  lockAll,
  lockScope,
  lockScopeAndRead,
  type TransactionOptions,
  writeAtCommit,
} from "./write-scope.js";

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction in progress: repositories accept both. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;

export interface DbHandle {
  db: Db;
  dialect: "sqlite" | "postgres";
  /** The connection string for PostgreSQL (graphile-worker opens its own pool with it). */
  url?: string;
  close(): Promise<void>;
}

/** Options of a connection: `onQuery` sees the SQL of every statement run (tests count them). */
export interface OpenOptions {
  onQuery?: (sql: string) => void;
  /**
   * SQLite's page cache per connection, MB (the writer's and the reader's). better-sqlite3 builds
   * SQLite with 16 MB each; reads spread over a large database fill them, and what malloc took
   * stays in the process (measured: +25 MB of RSS over a minute of status reads). Default 4.
   */
  sqliteCacheMb?: number;
}

/** Kysely's `log` for `onQuery`, or nothing (then Kysely does not even time its queries). */
export function queryLog(o: OpenOptions): { log?: (e: LogEvent) => void } {
  const onQuery = o.onQuery;
  return onQuery ? { log: (e) => onQuery(e.query.sql) } : {};
}

/**
 * SQLite settings for durability first (architecture.md, Data): WAL, synchronous=FULL so that an
 * acknowledged write survives a power cut, foreign keys on, and a busy timeout for other processes.
 */
export function openSqlite(file: string, o: OpenOptions = {}): DbHandle {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = FULL");
  raw.pragma("foreign_keys = ON");
  raw.pragma("busy_timeout = 5000");
  // Checkpoints truncate the WAL back to this size, so a burst of writes does not leave a
  // large pre-allocated log behind (which would also mask a full disk).
  raw.pragma("journal_size_limit = 524288");
  const cacheKib = Math.round((o.sqliteCacheMb ?? 4) * 1024);
  raw.pragma(`cache_size = -${cacheKib}`);
  // Reads outside transactions get their own connection: they never wait behind a writer.
  let reader: BetterSqlite3.Database | undefined;
  if (file !== "" && !raw.memory) {
    reader = new BetterSqlite3(file, { fileMustExist: true });
    reader.pragma("busy_timeout = 5000");
    reader.pragma("query_only = ON");
    reader.pragma(`cache_size = -${cacheKib}`);
  }
  const dialect = new ImmediateSqliteDialect(raw, reader);
  const db = new Kysely<Database>({ dialect, plugins: [new CamelCasePlugin()], ...queryLog(o) });
  const probe = reader ? new WalChangeProbe(`${file}-shm`) : undefined;
  const fallback = () => dialect.changeMark();
  const mark = probe
    ? new TurnChangeMark(
        () => probe.read(),
        () => dialect.commits,
        fallback,
      )
    : undefined;
  changeMarks.set(db, mark ? () => mark.read() : fallback);
  return {
    db,
    dialect: "sqlite",
    close: async () => {
      probe?.close();
      await db.destroy();
    },
  };
}

const changeMarks = new WeakMap<Db, () => string | null>();

/**
 * A value that changes whenever anything written to the database may have become visible, from
 * this process or another; null where none is kept (PostgreSQL), so nothing may be remembered.
 * On SQLite it costs one small read of the WAL index per turn of the event loop; another
 * process's commit is seen from the next turn on (src/db/wal-probe.ts, TurnChangeMark).
 */
export function changeMark(db: Db): string | null {
  return changeMarks.get(db)?.() ?? null;
}

/** True for a PostgreSQL connection or transaction: the few dialect differences branch on it. */
export function isPostgresDb(db: Kysely<unknown> | DbOrTx): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * `DATABASE_URL` decides: `postgres://…` (or `postgresql://…`) opens a pool on PostgreSQL,
 * `sqlite:<path>` or nothing the embedded SQLite file in the data directory.
 */
export function openDatabase(
  databaseUrl: string | undefined,
  defaultSqliteFile: string,
  o: OpenOptions = {},
): DbHandle {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) return openPostgres(databaseUrl, o);
  if (databaseUrl && !databaseUrl.startsWith("sqlite:")) {
    throw new Error("DATABASE_URL must be postgres://…, postgresql://… or sqlite:<path>");
  }
  return openSqlite(databaseUrl?.slice("sqlite:".length) || defaultSqliteFile, o);
}

/**
 * Runs `fn` in a transaction, or inside the caller's when one is already open. Without options the
 * transaction holds the whole database for writing (on PostgreSQL the exclusive writer lock; a
 * nested call makes sure the open transaction does); `{ scope }` locks only those keys and
 * `{ lock: "deferred" }` leaves the lock to `fn` (`lockScope`, `lockAll`): see write-scope.ts,
 * and postgres.ts for when a scope is safe. SQLite has one writer and takes no extra lock.
 */
export async function inTransaction<T>(
  db: DbOrTx,
  fn: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db.isTransaction) return runNested(db as Tx, options, fn);
  if (db instanceof WriterLockKysely) return db.transactionWith(options).execute(fn);
  return db.transaction().execute((tx) => runTransactionBody(tx, NO_LOCKS, options, fn));
}
