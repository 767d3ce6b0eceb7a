/**
 * Group commit and the read connection: concurrent transactions share a COMMIT, each still
 * succeeds or fails on its own, none is acknowledged before the COMMIT, and reads outside
 * transactions never see rows that are not committed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type Generated, Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DbHandle, inTransaction, openSqlite } from "./connect.js";
import { ImmediateSqliteDialect } from "./sqlite-dialect.js";

let dir: string;
let h: DbHandle;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "zhuxiao-dialect-"));
  h = openSqlite(join(dir, "t.db"));
  await sql`create table t (id integer primary key, v text not null unique)`.execute(h.db);
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (db: DbHandle["db"]) =>
  Number((await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0]!.n);

describe("group commit", () => {
  it("commits concurrent transactions together; a failing one rolls back alone", async () => {
    const db = h.db;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction().execute(async (tx) => {
          await sql`insert into t (v) values (${`v${i}`})`.execute(tx);
          await new Promise((r) => setImmediate(r));
          // Every fifth one breaks the unique constraint after its first insert.
          await sql`insert into t (v) values (${i % 5 === 0 ? "v1" : `w${i}`})`.execute(tx);
          return i;
        }),
      ),
    );
    const failed = results.filter((r) => r.status === "rejected").length;
    expect(failed).toBe(4);
    expect(await count(db)).toBe(2 * 16);
    // Durable: a new connection to the file sees every acknowledged row.
    const other = openSqlite(join(dir, "t.db"));
    expect(await count(other.db)).toBe(32);
    await other.close();
  });

  it("does not acknowledge a transaction, nor show its rows to readers, before the group commits", async () => {
    const db = h.db;
    const seen: number[] = [];
    let releaseSecond!: () => void;
    const secondMayFinish = new Promise<void>((r) => {
      releaseSecond = r;
    });
    let firstDone = false;
    const first = db
      .transaction()
      .execute(async (tx) => {
        await sql`insert into t (v) values ('a')`.execute(tx);
      })
      .then(() => {
        firstDone = true;
      });
    // Queued behind the first, so the first's commit waits to share one with it.
    const second = db.transaction().execute(async (tx) => {
      await sql`insert into t (v) values ('b')`.execute(tx);
      seen.push(await count(db)); // a read outside the transaction: committed rows only
      await secondMayFinish;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(firstDone).toBe(false);
    releaseSecond();
    await Promise.all([first, second]);
    expect(firstDone).toBe(true);
    expect(seen).toEqual([0]);
    expect(await count(db)).toBe(2);
  });

  it("runs writes outside transactions after the group, in order", async () => {
    const db = h.db;
    const order: string[] = [];
    await Promise.all([
      db.transaction().execute(async (tx) => {
        await sql`insert into t (v) values ('tx')`.execute(tx);
        order.push("tx");
      }),
      sql`insert into t (v) values ('plain')`.execute(db).then(() => order.push("plain")),
    ]);
    expect(order).toEqual(["tx", "plain"]);
    expect(await count(db)).toBe(2);
  });

  it("lets transactions of requests that arrive together share one commit, though none of them yields", async () => {
    const raw = new BetterSqlite3(join(dir, "t.db"));
    raw.pragma("journal_mode = WAL");
    const reader = new BetterSqlite3(join(dir, "t.db"));
    const dialect = new ImmediateSqliteDialect(raw, reader);
    const db = new Kysely<{ t: { id: Generated<number>; v: string } }>({ dialect });
    try {
      const before = dialect.commits;
      // Ten requests handled one after another by the event loop, each a transaction whose
      // statements complete at once (as with better-sqlite3): nothing would ever wait for the lock.
      await Promise.all(
        Array.from(
          { length: 10 },
          (_, i) =>
            new Promise<void>((done, fail) =>
              setImmediate(() =>
                db
                  .transaction()
                  .execute(async (tx) => {
                    await tx
                      .insertInto("t")
                      .values({ v: `r${i}` })
                      .execute();
                  })
                  .then(done, fail),
              ),
            ),
        ),
      );
      expect(dialect.commits - before).toBeLessThanOrEqual(2);
      // Each was acknowledged only once durable: a new connection sees all ten.
      const other = openSqlite(join(dir, "t.db"));
      expect(await count(other.db)).toBe(10);
      await other.close();
      // Alone, a transaction still commits by itself, one turn of the event loop later.
      await db.transaction().execute(async (tx) => {
        await tx.insertInto("t").values({ v: "alone" }).execute();
      });
      expect(await count(h.db)).toBe(11);
    } finally {
      await db.destroy();
    }
  });
});

describe("SQLite's page cache", () => {
  const cacheSize = async (db: DbHandle["db"]) =>
    Number((await sql<{ cacheSize: number }>`pragma cache_size`.execute(db)).rows[0]!.cacheSize);

  it("is 4 MB per connection by default, not better-sqlite3's 16, on the writer and the reader", async () => {
    expect(await cacheSize(h.db)).toBe(-4096); // outside a transaction: the reader
    expect(await inTransaction(h.db, (tx) => cacheSize(tx))).toBe(-4096); // the writer
  });

  it("takes the size asked for", async () => {
    const other = openSqlite(join(dir, "other.db"), { sqliteCacheMb: 32 });
    try {
      await sql`create table x (id integer primary key)`.execute(other.db);
      expect(await cacheSize(other.db)).toBe(-32768);
      expect(await inTransaction(other.db, (tx) => cacheSize(tx))).toBe(-32768);
    } finally {
      await other.close();
    }
  });
});
