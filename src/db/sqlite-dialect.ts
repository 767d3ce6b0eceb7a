/**
 * SQLite dialect for Kysely over better-sqlite3, differing from Kysely's own in two ways that
 * matter here: write transactions start with BEGIN IMMEDIATE (so two processes never deadlock on
 * a lock upgrade, the busy timeout applies instead), and prepared statements are cached.
 */
import type BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";

const STATEMENT_CACHE_SIZE = 500;

class CachedConnection implements DatabaseConnection {
  readonly #db: BetterSqlite3.Database;
  readonly #cache = new Map<string, BetterSqlite3.Statement>();

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }

  #prepare(sqlText: string): BetterSqlite3.Statement {
    let stmt = this.#cache.get(sqlText);
    if (stmt) {
      // Refresh recency: Map keeps insertion order, so re-inserting makes it the newest.
      this.#cache.delete(sqlText);
    } else {
      stmt = this.#db.prepare(sqlText);
      if (this.#cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
    }
    this.#cache.set(sqlText, stmt);
    return stmt;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.#prepare(compiled.sql);
    const params = compiled.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(params) as R[] };
    const { changes, lastInsertRowid } = stmt.run(params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  // biome-ignore lint/correctness/useYield: streaming is not used; the interface demands the method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming is not supported by this driver");
  }
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;
  async lock(): Promise<void> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    this.#release = release;
  }
  unlock(): void {
    const r = this.#release;
    this.#release = undefined;
    r?.();
  }
}

class ImmediateSqliteDriver implements Driver {
  readonly #db: BetterSqlite3.Database;
  readonly #mutex = new Mutex();
  #connection: CachedConnection | undefined;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }
  async init(): Promise<void> {
    this.#connection = new CachedConnection(this.#db);
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection: the mutex hands it to one query or transaction at a time.
    await this.#mutex.lock();
    return this.#connection!;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite rolls a transaction back by itself on SQLITE_FULL, IOERR, BUSY or NOMEM; a second
    // rollback would fail and hide the error that matters.
    if (!this.#db.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }
  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.#db.close();
  }
}

export class ImmediateSqliteDialect implements Dialect {
  readonly #db: BetterSqlite3.Database;
  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }
  createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
