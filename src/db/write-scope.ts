/**
 * What a write transaction has locked, and what it still has to do right before it commits.
 *
 * A transaction locks either the whole database ("all": every use case's default, what SQLite's
 * single writer gives anyway) or a set of keys ("keys": e.g. one card family), which on PostgreSQL
 * lets transactions with different keys run side by side (src/db/postgres.ts says when that is
 * safe). The state machine is the same on both databases, so a misuse fails on SQLite's tests too;
 * only the SQL behind the locks differs (`WriteLocks`).
 *
 *   none ──lockScope──► keys ──lockScope (more keys)──► keys
 *     └───lockAll────► all    (lockScope and lockAll are no-ops there)
 *
 * Widening keys to all is refused: PostgreSQL would have to turn the shared writer lock the
 * transaction holds into an exclusive one, waiting for every other scoped transaction, some of which
 * may be waiting for this one's keys. Such a use case must take the whole lock from the start.
 */
import type { Tx } from "./connect.js";
import { type Bound, type RowsOf, together } from "./prepared.js";

export interface TransactionOptions {
  /**
   * Lock these keys instead of the whole database. The body must read and write nothing that
   * another transaction with other keys may write (postgres.ts lists what is safe).
   */
  scope?: readonly string[];
  /**
   * Start without a lock: the body calls `lockScope` or `lockAll` itself, before its first read
   * that decides a write (for use cases that learn their key from a first read, e.g. the card of
   * an application, which never changes).
   */
  lock?: "deferred";
}

/** How one dialect takes the locks. SQLite: nothing (its one writer already excludes the rest). */
export interface WriteLocks {
  /** The whole database, exclusively. */
  all(tx: Tx): Promise<void>;
  /** `keys` exclusively; `first`: the transaction held nothing yet (PostgreSQL takes the shared writer lock too). */
  keys(tx: Tx, keys: readonly string[], first: boolean): Promise<void>;
  /** The statement that `keys` runs, to send with others (`lockScopeAndRead`); none on SQLite. */
  keysStatement?(keys: readonly string[], first: boolean): Bound<unknown>;
}

export const NO_LOCKS: WriteLocks = {
  all: async () => {},
  keys: async () => {},
};

interface TxState {
  locks: WriteLocks;
  held: "none" | "keys" | "all";
  keys: Set<string>;
  beforeCommit: Array<() => Promise<void>>;
  /** Writes left for the commit (`writeAtCommit`), sent with the first statement of the before-commit work. */
  atCommit: Array<Bound<unknown>>;
}

const states = new WeakMap<object, TxState>();

/**
 * The body of every transaction opened through `inTransaction` (and, on PostgreSQL, through
 * `db.transaction()`): takes the lock the options ask for, runs `fn`, then the before-commit work
 * (the audit trail's deferred appends) in the order it was registered.
 */
export async function runTransactionBody<T>(
  tx: Tx,
  locks: WriteLocks,
  options: TransactionOptions,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const state: TxState = { locks, held: "none", keys: new Set(), beforeCommit: [], atCommit: [] };
  states.set(tx, state);
  await takeRequested(tx, options);
  const result = await fn(tx);
  // Work registered by before-commit work itself runs too.
  for (let i = 0; i < state.beforeCommit.length; i++) await state.beforeCommit[i]!();
  state.beforeCommit.length = 0;
  const writes = takeCommitWrites(tx);
  if (writes.length > 0) await together(tx, writes);
  return result;
}

/** `inTransaction` inside a transaction already open: its lock request applies to that one. */
export async function runNested<T>(
  tx: Tx,
  options: TransactionOptions,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  await takeRequested(tx, options);
  return fn(tx);
}

async function takeRequested(tx: Tx, options: TransactionOptions): Promise<void> {
  if (options.scope) await lockScope(tx, options.scope);
  else if (options.lock !== "deferred") await lockAll(tx);
}

/**
 * Locks `keys` for the rest of the transaction (several at once in a fixed order). A transaction
 * that already holds the whole database needs nothing more. Outside `inTransaction` (a raw SQLite
 * `db.transaction()`) there is nothing to do: the one writer holds everything.
 */
export async function lockScope(tx: Tx, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) throw new Error("lockScope needs at least one key");
  const state = states.get(tx);
  if (!state || state.held === "all") return;
  const missing = [...new Set(keys)].filter((k) => !state.keys.has(k));
  if (missing.length === 0 && state.held === "keys") return;
  await state.locks.keys(tx, missing, state.held === "none");
  state.held = "keys";
  for (const k of missing) state.keys.add(k);
}

/**
 * `lockScope`, then `reads` right after the lock is granted — on PostgreSQL sent with the lock
 * statement, one round trip for all. Safe because the server still runs them one after another,
 * each with its own snapshot taken when it starts: the reads see every commit made before the
 * lock was granted, as if they had been sent after it.
 */
export async function lockScopeAndRead<const T extends readonly Bound<unknown>[]>(
  tx: Tx,
  keys: readonly string[],
  reads: T,
): Promise<RowsOf<T>> {
  const state = states.get(tx);
  const missing = state && state.held !== "all" ? [...new Set(keys)].filter((k) => !state.keys.has(k)) : [];
  const statement =
    state && missing.length > 0 ? state.locks.keysStatement?.(missing, state.held === "none") : undefined;
  if (!state || !statement) {
    await lockScope(tx, keys);
    return together(tx, reads);
  }
  const [, ...rows] = await together(tx, [statement, ...reads]);
  state.held = "keys";
  for (const k of missing) state.keys.add(k);
  return rows as unknown as RowsOf<T>;
}

/** Locks the whole database for the rest of the transaction; refused once it holds keys. */
export async function lockAll(tx: Tx): Promise<void> {
  const state = states.get(tx);
  if (!state || state.held === "all") return;
  if (state.held === "keys") {
    throw new Error(
      `a transaction scoped to ${[...state.keys].join(", ")} cannot lock the whole database: ` +
        "a use case that needs it must be run without a scope",
    );
  }
  await state.locks.all(tx);
  state.held = "all";
}

/** What the transaction holds: "all", the keys, or undefined outside `inTransaction`. */
export function heldLocks(tx: Tx): "all" | ReadonlySet<string> | undefined {
  const state = states.get(tx);
  if (!state) return undefined;
  return state.held === "all" ? "all" : state.keys;
}

/**
 * Leaves `write` for the commit: it runs after the body, sent with the first statement of the
 * before-commit work (on PostgreSQL in the same round trip as the audit head's read). For a write
 * nothing else in the transaction reads back (the idempotency record). Outside `inTransaction`
 * it runs at once.
 */
export async function writeAtCommit(tx: Tx, write: Bound<unknown>): Promise<void> {
  const state = states.get(tx);
  if (state) state.atCommit.push(write);
  else await together(tx, [write]);
}

/** The writes left for the commit, taken to send with the before-commit work's first statement. */
export function takeCommitWrites(tx: Tx): Array<Bound<unknown>> {
  const state = states.get(tx);
  return state ? state.atCommit.splice(0) : [];
}

/**
 * Runs `hook` right before the transaction commits, after its body returned (not when it throws).
 * Returns false outside `inTransaction`, where the caller must do the work at once.
 */
export function beforeCommit(tx: Tx, hook: () => Promise<void>): boolean {
  const state = states.get(tx);
  if (!state) return false;
  state.beforeCommit.push(hook);
  return true;
}
