/**
 * Prepared queries: compiled once, bound per run, with the same rows (camelCased) the built query
 * gives, inside and outside transactions; constants stay constants; a missing or list argument is
 * refused rather than bound wrongly.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DbHandle, openSqlite } from "./connect.js";
import { migrateToLatest } from "./migrations.js";
import { PreparedByShape, prepared } from "./prepared.js";

let dir: string;
let h: DbHandle;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "zhuxiao-prepared-"));
  h = openSqlite(join(dir, "t.db"));
  await migrateToLatest(h.db as never);
  await h.db
    .insertInto("rateLimitCounters")
    .values([
      { key: "a", count: 1, resetAt: 100 },
      { key: "b", count: 2, resetAt: 200 },
      { key: "c", count: 0, resetAt: 300 },
    ])
    .execute();
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("prepared queries", () => {
  it("binds each run's arguments and returns what the built query returns", async () => {
    let builds = 0;
    const byKey = prepared<{ key: string }>()((db, a) => {
      builds++;
      return db.selectFrom("rateLimitCounters").selectAll().where("key", "=", a.key);
    });
    for (const key of ["a", "b", "a", "zz"]) {
      const built = await h.db.selectFrom("rateLimitCounters").selectAll().where("key", "=", key).execute();
      expect(await byKey.all(h.db, { key })).toEqual(built);
    }
    expect(await byKey.first(h.db, { key: "b" })).toEqual({ key: "b", count: 2, resetAt: 200 });
    expect(builds).toBe(1);
  });

  it("keeps the query's own constants and orders arguments as the SQL does", async () => {
    const q = prepared<{ min: number; max: number }>()((db, a) =>
      db
        .selectFrom("rateLimitCounters")
        .select("key")
        .where("resetAt", "<=", a.max)
        .where("count", ">", 0)
        .where("resetAt", ">=", a.min)
        .orderBy("key"),
    );
    expect(await q.all(h.db, { min: 100, max: 300 })).toEqual([{ key: "a" }, { key: "b" }]);
    expect(await q.all(h.db, { min: 150, max: 300 })).toEqual([{ key: "b" }]);
  });

  it("runs inside a transaction and sees its writes", async () => {
    const q = prepared<{ key: string }>()((db, a) =>
      db.selectFrom("rateLimitCounters").select("count").where("key", "=", a.key),
    );
    const seen = await h.db.transaction().execute(async (tx) => {
      await tx.insertInto("rateLimitCounters").values({ key: "d", count: 9, resetAt: 1 }).execute();
      return q.first(tx, { key: "d" });
    });
    expect(seen).toEqual({ count: 9 });
  });

  it("writes too", async () => {
    const bump = prepared<{ key: string; by: number }>()((db, a) =>
      db.updateTable("rateLimitCounters").set({ count: a.by }).where("key", "=", a.key),
    );
    const r = await bump.execute(h.db, { key: "c", by: 5 });
    expect(Number(r.numAffectedRows)).toBe(1);
    const row = await h.db
      .selectFrom("rateLimitCounters")
      .select("count")
      .where("key", "=", "c")
      .executeTakeFirst();
    expect(row).toEqual({ count: 5 });
  });

  it("refuses a missing argument and a list", async () => {
    const q = prepared<{ key: string }>()((db, a) =>
      db.selectFrom("rateLimitCounters").selectAll().where("key", "=", a.key),
    );
    await expect(q.all(h.db, {} as { key: string })).rejects.toThrow(/no value for argument "key"/);
    await expect(q.all(h.db, { key: ["a", "b"] as unknown as string })).rejects.toThrow(/is a list/);
  });

  it("prepares an object's statement once per set of keys, skipping undefined values", async () => {
    const shapes: string[] = [];
    const update = new PreparedByShape<{ _key: string }, unknown>((db, a, row) => {
      shapes.push(Object.keys(row).join(","));
      return db.updateTable("rateLimitCounters").set(row).where("key", "=", a._key);
    });
    const row = (key: string) =>
      h.db.selectFrom("rateLimitCounters").selectAll().where("key", "=", key).executeTakeFirstOrThrow();
    const r1 = await update.execute(h.db, { count: 7 }, { _key: "a" });
    expect(r1.numAffectedRows).toBe(1n);
    await update.execute(h.db, { count: 8, resetAt: undefined }, { _key: "b" });
    await update.execute(h.db, { resetAt: 999, count: 9 }, { _key: "c" });
    await update.execute(h.db, { count: 10, resetAt: 1000 }, { _key: "a" });
    // Three runs with {count}, or {count, resetAt} in any order: two statements built.
    expect(shapes).toEqual(["count", "count,resetAt"]);
    expect(await row("a")).toMatchObject({ count: 10, resetAt: 1000 });
    expect(await row("b")).toMatchObject({ count: 8, resetAt: 200 });
    expect(await row("c")).toMatchObject({ count: 9, resetAt: 999 });
    const none = await update.execute(h.db, { count: 1 }, { _key: "zzz" });
    expect(none.numAffectedRows).toBe(0n);
  });
});
