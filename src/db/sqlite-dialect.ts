/**
 * SQLite dialect for Kysely over better-sqlite3, differing from Kysely's own in ways that matter
 * here: write transactions start with BEGIN IMMEDIATE (so two processes never deadlock on a lock
 * upgrade, the busy timeout applies instead), concurrent transactions share one commit (group
 * commit), reads outside transactions use their own connection, and prepared statements are cached.
 */
import type BetterSqlite3 from "better-sqlite3";
import {
  type CompiledQuery,
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

  /** Whether the statement only reads (a SELECT, not an INSERT … RETURNING). */
  isReadOnly(sqlText: string): boolean {
    return this.#prepare(sqlText).readonly;
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
  /** Callers waiting for the lock (not counting the holder). */
  waiting = 0;
  async lock(): Promise<void> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((r) => {
      release = r;
    });
    this.waiting++;
    await previous;
    this.waiting--;
    this.#release = release;
  }
  unlock(): void {
    const r = this.#release;
    this.#release = undefined;
    r?.();
  }
}

/** Transactions that share one commit: at most this many. */
const MAX_GROUP = 32;

/** One use of the connection by Kysely: a query, a few, or a transaction. */
class Lease implements DatabaseConnection {
  /** Holds the write lock. */
  held = false;
  inTx = false;
  /** The transaction runs as a savepoint inside a group that has not committed yet. */
  member = false;
  constructor(readonly driver: ImmediateSqliteDriver) {}
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.run<R>(this, compiled);
  }
  // biome-ignore lint/correctness/useYield: streaming is not used; the interface demands the method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming is not supported by this driver");
  }
}

/**
 * One write connection, handed to one transaction (or write) at a time, and for a database file
 * one read connection for reads outside transactions, which never wait for a writer (WAL: each
 * read sees what was committed when it started).
 *
 * Group commit: a transaction that finishes while others wait for the connection does not
 * commit alone; the next ones run as savepoints inside the same BEGIN IMMEDIATE, and all of them
 * are committed by one COMMIT (one fsync) when nobody else waits. Each transaction's commit —
 * and so its acknowledgement — returns only after that COMMIT is durable; if it fails, every
 * member fails. A savepoint that fails rolls back alone. Reads outside transactions never see a
 * group's uncommitted rows (they use the read connection, or a write flushes the group first).
 */
class ImmediateSqliteDriver implements Driver {
  readonly #db: BetterSqlite3.Database;
  readonly #readDb: BetterSqlite3.Database | undefined;
  readonly #mutex = new Mutex();
  #write: CachedConnection | undefined;
  #read: CachedConnection | undefined;
  /** Members of the open group: committed as savepoints, waiting for the group's COMMIT. */
  #group: Array<{ resolve: () => void; reject: (e: unknown) => void }> | undefined;
  /** Commits made through this driver (for an in-memory database, the only connection). */
  #commits = 0;
  #dataVersion: BetterSqlite3.Statement | undefined;

  constructor(db: BetterSqlite3.Database, readDb: BetterSqlite3.Database | undefined) {
    this.#db = db;
    this.#readDb = readDb;
  }
  async init(): Promise<void> {
    this.#write = new CachedConnection(this.#db);
    if (this.#readDb) this.#read = new CachedConnection(this.#readDb);
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    // The write lock is taken when a transaction begins or a write runs, not for reads.
    return new Lease(this);
  }

  async #hold(lease: Lease): Promise<void> {
    if (lease.held) return;
    await this.#mutex.lock();
    lease.held = true;
  }

  #exec(sqlText: string): void {
    this.#db.prepare(sqlText).run();
  }

  /** Commits the open group: one COMMIT for every member, or the error for every member. */
  #flush(): void {
    const members = this.#group;
    if (!members) return;
    this.#group = undefined;
    try {
      this.#exec("commit");
      this.#commits++;
    } catch (err) {
      if (this.#db.inTransaction) this.#exec("rollback");
      for (const m of members) m.reject(err);
      return;
    }
    for (const m of members) m.resolve();
  }

  async run<R>(lease: Lease, compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (lease.inTx) return this.#write!.executeQuery<R>(compiled);
    if (this.#read?.isReadOnly(compiled.sql)) return this.#read.executeQuery<R>(compiled);
    // A write outside a transaction (or a read of an in-memory database): after the group.
    await this.#hold(lease);
    this.#flush();
    const result = await this.#write!.executeQuery<R>(compiled);
    // A write outside a transaction commits by itself.
    if (!this.#write!.isReadOnly(compiled.sql)) this.#commits++;
    return result;
  }

  /** COMMITs run so far: each one fsync under synchronous=FULL, however many transactions it ends. */
  get commits(): number {
    return this.#commits;
  }

  /**
   * Changes whenever a write may have become visible: SQLite's data_version on the read
   * connection (commits by any other connection, this process's writer or another process)
   * and this driver's own commits (an in-memory database has no second connection).
   */
  changeMark(): string {
    this.#dataVersion ??= this.#readDb?.prepare("pragma data_version").pluck();
    return `${this.#dataVersion ? (this.#dataVersion.get() as number) : 0}.${this.#commits}`;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    await this.#hold(lease);
    lease.member = this.#group !== undefined;
    this.#exec(lease.member ? "savepoint zx_group" : "begin immediate");
    lease.inTx = true;
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.member) this.#exec("release zx_group");
    lease.inTx = false;
    const group = this.#group ?? [];
    this.#group = group;
    const durable = new Promise<void>((resolve, reject) => group.push({ resolve, reject }));
    // A transaction runs start to end without yielding (better-sqlite3 is synchronous), so nobody
    // could have queued behind it yet: one turn of the event loop lets requests that have already
    // arrived reach their own transaction and share this commit, instead of one fsync each.
    if (this.#mutex.waiting === 0 && group.length < MAX_GROUP) await new Promise((r) => setImmediate(r));
    if (this.#mutex.waiting > 0 && group.length < MAX_GROUP) {
      // Others wait for the connection: let them in before committing, to share the commit.
      lease.held = false;
      this.#mutex.unlock();
    } else {
      this.#flush();
    }
    await durable;
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (!lease.inTx) return;
    lease.inTx = false;
    if (!lease.member) {
      // SQLite rolls a transaction back by itself on SQLITE_FULL, IOERR, BUSY or NOMEM; a second
      // rollback would fail and hide the error that matters.
      if (this.#db.inTransaction) this.#exec("rollback");
      return;
    }
    if (this.#db.inTransaction) {
      this.#exec("rollback to zx_group");
      this.#exec("release zx_group");
      return;
    }
    // SQLite rolled the whole group back: none of its members is durable.
    const members = this.#group ?? [];
    this.#group = undefined;
    const err = new Error("the transaction group was rolled back by the database");
    for (const m of members) m.reject(err);
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (!lease.held) return;
    // Nobody is waiting to join the group: commit it now.
    if (this.#mutex.waiting === 0) this.#flush();
    lease.held = false;
    this.#mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.#flush();
    this.#readDb?.close();
    this.#db.close();
  }
}

export class ImmediateSqliteDialect implements Dialect {
  readonly #db: BetterSqlite3.Database;
  readonly #readDb: BetterSqlite3.Database | undefined;
  /**
   * `readDb`: a second connection to the same file for reads outside transactions (the caller
   * opens and configures it; the driver closes it).
   */
  #driver: ImmediateSqliteDriver | undefined;
  constructor(db: BetterSqlite3.Database, readDb?: BetterSqlite3.Database) {
    this.#db = db;
    this.#readDb = readDb;
  }
  createDriver(): Driver {
    this.#driver = new ImmediateSqliteDriver(this.#db, this.#readDb);
    return this.#driver;
  }
  /** See ImmediateSqliteDriver.commits. */
  get commits(): number {
    return this.#driver?.commits ?? 0;
  }
  /** See ImmediateSqliteDriver.changeMark; null before the driver exists. */
  changeMark(): string | null {
    return this.#driver?.changeMark() ?? null;
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
