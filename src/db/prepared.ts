/**
 * Statements built once. Kysely builds, transforms (snake_case) and compiles a query every time
 * it runs — about as much CPU as SQLite needs to execute a primary-key read. A hot path's query
 * is written here with named arguments (`(db, a) => … .where("id", "=", a.id)`), compiled on its first run (once per dialect
 * and plugin set), and every later run only binds the values and executes. Results go through the
 * plugins (camelCase) as usual.
 *
 * Arguments are single values: a list (`in (…)`) changes the SQL and has to stay a built query.
 * On PostgreSQL these statements are named (server-side prepared): see named-statements.ts.
 */
import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type Kysely,
  PostgresAdapter,
  type QueryId,
  type QueryResult,
  type UnknownRow,
} from "kysely";
import type { DbOrTx } from "./connect.js";
import { nameStatement } from "./named-statements.js";
import type { Database } from "./schema.js";

const ARG = Symbol("prepared argument");

interface Arg {
  readonly [ARG]: string;
}

/** Stand-ins for the arguments while the query is built: `a.id` is the argument named "id". */
function argumentStandIns<A>(): A {
  return new Proxy(
    {},
    { get: (_target, name) => (typeof name === "string" ? Object.freeze({ [ARG]: name }) : undefined) },
  ) as A;
}

function isArg(v: unknown): v is Arg {
  return typeof v === "object" && v !== null && ARG in v;
}

interface Slot {
  /** The compiled query, with Arg objects where values are bound. */
  compiled: CompiledQuery;
  /** For each parameter position, the argument's name, or null for a constant kept as compiled. */
  names: Array<string | null>;
}

export class PreparedQuery<A extends Record<string, unknown>, R> {
  readonly #build: (db: Kysely<Database>, args: A) => Compilable<R>;
  readonly #slots = new Map<string, Slot>();

  constructor(build: (db: Kysely<Database>, args: A) => Compilable<R>) {
    this.#build = build;
  }

  #slot(db: DbOrTx): Slot {
    const executor = db.getExecutor();
    const key = `${executor.adapter.constructor.name}|${executor.plugins.map((p) => p.constructor.name).join(",")}`;
    let slot = this.#slots.get(key);
    if (!slot) {
      const compiled = this.#build(db as Kysely<Database>, argumentStandIns<A>()).compile();
      // On PostgreSQL it runs as a named statement: parsed once per connection (named-statements.ts).
      if (executor.adapter instanceof PostgresAdapter) nameStatement(compiled.sql);
      slot = { compiled, names: compiled.parameters.map((p) => (isArg(p) ? p[ARG] : null)) };
      this.#slots.set(key, slot);
    }
    return slot;
  }

  /** The statement for `db` with `args` bound; every named argument must be given (null, not undefined). */
  compileFor(db: DbOrTx, args: A): CompiledQuery<R> {
    const { compiled, names } = this.#slot(db);
    const parameters = names.map((name, i) => {
      if (name === null) return compiled.parameters[i];
      const value = args[name];
      if (value === undefined) throw new Error(`prepared query: no value for argument "${name}"`);
      if (Array.isArray(value)) throw new Error(`prepared query: argument "${name}" is a list`);
      return value;
    });
    return { ...compiled, parameters } as CompiledQuery<R>;
  }

  /** Runs the statement with `args` bound. */
  async execute(db: DbOrTx, args: A): Promise<QueryResult<R>> {
    return db.executeQuery<R>(this.compileFor(db, args));
  }

  /** This statement with `args`, to run with others at once (`together`). */
  with(args: A): Bound<R> {
    return { compile: (db) => this.compileFor(db, args) };
  }

  async all(db: DbOrTx, args: A): Promise<R[]> {
    return (await this.execute(db, args)).rows;
  }

  async first(db: DbOrTx, args: A): Promise<R | undefined> {
    return (await this.execute(db, args)).rows[0];
  }
}

/**
 * `prepared<{ id: string }>()((db, a) => db.selectFrom("cards").selectAll().where("id", "=", a.id))`:
 * the builder runs once, with stand-ins for the arguments.
 */
export function prepared<A extends Record<string, unknown>>() {
  return <R>(build: (db: Kysely<Database>, args: A) => Compilable<R>) => new PreparedQuery<A, R>(build);
}

/**
 * Statements whose columns come from an object — an insert's row, an update's patch: one
 * prepared statement per set of keys (those whose value is not undefined, as Kysely skips them),
 * built the first time that set is seen. `build` gets the stand-ins as for `prepared`, and `row`:
 * the object's keys with their stand-ins, to pass to `.values()` or `.set()`. The object's values
 * are bound under their own names, so other arguments take names no column has (`_id`). Call sites pass a handful of shapes; past `maxShapes` a new one
 * is built each time rather than remembered.
 */
export class PreparedByShape<A extends Record<string, unknown>, R> {
  readonly #build: (db: Kysely<Database>, args: A, row: Record<string, unknown>) => Compilable<R>;
  readonly #shapes = new Map<string, PreparedQuery<Record<string, unknown>, R>>();
  readonly #maxShapes: number;

  constructor(
    build: (db: Kysely<Database>, args: A, row: Record<string, unknown>) => Compilable<R>,
    maxShapes = 64,
  ) {
    this.#build = build;
    this.#maxShapes = maxShapes;
  }

  async execute(db: DbOrTx, object: Record<string, unknown>, args: A): Promise<QueryResult<R>> {
    const [query, values] = this.#bind(object, args);
    return query.execute(db, values);
  }

  /** The statement for `object` and `args`, to run with others (`together`). */
  with(object: Record<string, unknown>, args: A): Bound<R> {
    const [query, values] = this.#bind(object, args);
    return query.with(values);
  }

  #bind(
    object: Record<string, unknown>,
    args: A,
  ): [PreparedQuery<Record<string, unknown>, R>, Record<string, unknown>] {
    const keys = Object.keys(object).filter((k) => object[k] !== undefined);
    keys.sort();
    const shape = keys.join(",");
    let query = this.#shapes.get(shape);
    if (!query) {
      // The row: each of the object's keys with the stand-in of its own value.
      query = new PreparedQuery((kdb, a) =>
        this.#build(kdb, a as A, Object.fromEntries(keys.map((k) => [k, a[k]]))),
      );
      if (this.#shapes.size < this.#maxShapes) this.#shapes.set(shape, query);
    }
    const values: Record<string, unknown> = { ...args };
    for (const k of keys) values[k] = object[k] ?? null;
    return [query, values];
  }
}

/**
 * Runs a statement built each time whose text depends only on its shape, never on its values (an
 * advisory lock on one key, a job dispatch): named on PostgreSQL like the prepared ones.
 */
export async function executeNamed<R>(db: DbOrTx, compiled: CompiledQuery<R>): Promise<QueryResult<R>> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) nameStatement(compiled.sql);
  return db.executeQuery(compiled);
}

/** A statement with its arguments, ready to run with others (`together`). */
export interface Bound<R> {
  compile(db: DbOrTx): CompiledQuery<R>;
}

/** A statement whose text depends only on its shape (as for `executeNamed`), to run with others. */
export function fixedStatement<R>(compiled: CompiledQuery<R>): Bound<R> {
  return {
    compile(db) {
      if (db.getExecutor().adapter instanceof PostgresAdapter) nameStatement(compiled.sql);
      return compiled;
    },
  };
}

export type RowsOf<T extends readonly Bound<unknown>[]> = {
  [K in keyof T]: T[K] extends Bound<infer R> ? R[] : never;
};

const TOGETHER: QueryId = createQueryId();

/**
 * Runs independent statements at once and returns each one's rows. Kysely sends a transaction's
 * statements one at a time, each waiting for the answer to the one before; on PostgreSQL these go
 * out on one connection together and cost one round trip (the connection pipelines them and
 * writes them as one, src/db/postgres.ts). On SQLite, in the process, one after another. Results
 * go through the plugins (camelCase) as usual.
 */
export async function together<const T extends readonly Bound<unknown>[]>(
  db: DbOrTx,
  bound: T,
): Promise<RowsOf<T>> {
  const compiled = bound.map((b) => b.compile(db));
  const executor = db.getExecutor();
  if (!(executor.adapter instanceof PostgresAdapter)) {
    const rows: unknown[][] = [];
    for (const c of compiled) rows.push((await db.executeQuery(c)).rows);
    return rows as RowsOf<T>;
  }
  const results = await executor.provideConnection((conn) =>
    Promise.all(compiled.map((c) => conn.executeQuery<UnknownRow>(c))),
  );
  const rows: unknown[][] = [];
  for (let result of results) {
    for (const plugin of executor.plugins)
      result = await plugin.transformResult({ result, queryId: TOGETHER });
    rows.push(result.rows);
  }
  return rows as RowsOf<T>;
}
