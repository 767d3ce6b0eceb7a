/**
 * The lock state of a transaction and the audit appends chained before it commits, on SQLite
 * (the same state machine as PostgreSQL's; test/postgres/write-scope.test.ts proves the locks).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testEvent } from "../../test/support/audit-event.js";
import { type AuditPosition, appendAudit, atAuditPosition, verifyAuditChain } from "./audit-repository.js";
import { type DbHandle, heldLocks, inTransaction, lockAll, lockScope, openSqlite } from "./connect.js";
import { migrateToLatest } from "./migrations.js";

let dir: string;
let h: DbHandle;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "zhuxiao-scope-"));
  h = openSqlite(join(dir, "t.db"));
  await migrateToLatest(h.db as never);
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const events = () =>
  h.db.selectFrom("auditEvents").select(["seq", "id", "prevHash", "hash"]).orderBy("seq").execute();

describe("transaction lock state", () => {
  it("holds the whole database by default, and nested calls run inside it", async () => {
    const held = await inTransaction(h.db, (tx) =>
      inTransaction(tx, async (inner) => {
        expect(inner).toBe(tx);
        await lockScope(tx, ["card:a"]);
        return heldLocks(tx);
      }),
    );
    expect(held).toBe("all");
  });

  it("holds only its keys when scoped, adding keys as it goes", async () => {
    const held = await inTransaction(
      h.db,
      async (tx) => {
        await lockScope(tx, ["card:b", "card:a"]);
        await inTransaction(tx, async () => {}, { scope: ["card:c"] });
        await inTransaction(tx, async () => {}, { lock: "deferred" });
        return [...(heldLocks(tx) as ReadonlySet<string>)].sort();
      },
      { scope: ["idempotency:x"] },
    );
    expect(held).toEqual(["card:a", "card:b", "card:c", "idempotency:x"]);
  });

  it("starts a deferred transaction with nothing; it may then take the whole database", async () => {
    const seen = await inTransaction(
      h.db,
      async (tx) => {
        const before = [...(heldLocks(tx) as ReadonlySet<string>)];
        await lockAll(tx);
        return { before, after: heldLocks(tx) };
      },
      { lock: "deferred" },
    );
    expect(seen).toEqual({ before: [], after: "all" });
  });

  it("refuses to widen a scoped transaction to the whole database, and rolls it back", async () => {
    await expect(
      inTransaction(
        h.db,
        async (tx) => {
          await appendAudit(tx, testEvent("evt_widen"));
          // A use case without a scope, called inside a scoped one.
          await inTransaction(tx, async () => {});
        },
        { scope: ["card:a"] },
      ),
    ).rejects.toThrow(/scoped to card:a cannot lock the whole database/);
    await expect(
      inTransaction(
        h.db,
        async (tx) => {
          await lockScope(tx, ["card:b"]);
          await lockAll(tx);
        },
        { lock: "deferred" },
      ),
    ).rejects.toThrow(/scoped to card:b cannot lock the whole database/);
    expect(await events()).toEqual([]);
  });

  it("refuses an empty scope", async () => {
    await expect(inTransaction(h.db, async () => {}, { scope: [] })).rejects.toThrow(/at least one key/);
  });
});

describe("audit appends chained before the commit", () => {
  it("chains a transaction's events in call order, with positions between them", async () => {
    await inTransaction(h.db, (tx) => appendAudit(tx, testEvent("evt_0")));
    const positions: Record<string, AuditPosition> = {};
    await inTransaction(
      h.db,
      async (tx) => {
        await appendAudit(tx, testEvent("evt_1"));
        await atAuditPosition(tx, async (p) => {
          positions.beforeSecond = p;
          return undefined;
        });
        await appendAudit(tx, testEvent("evt_2"));
        // Nothing is written before the commit.
        expect(await tx.selectFrom("auditEvents").select("id").execute()).toEqual([{ id: "evt_0" }]);
        await atAuditPosition(tx, async (p) => {
          positions.end = p;
          // Stored with the chain's writes.
          return tx.insertInto("idempotencyRecords").values({
            scope: "test",
            key: "position",
            requestHash: p.hash,
            responseStatus: p.seq,
            responseBody: "{}",
            createdAt: "2026-11-24T02:00:00.000Z",
          });
        });
      },
      { scope: ["card:a"] },
    );
    const rows = await events();
    expect(rows.map((r) => [Number(r.seq), r.id])).toEqual([
      [1, "evt_0"],
      [2, "evt_1"],
      [3, "evt_2"],
    ]);
    expect(positions.beforeSecond).toEqual({ seq: 2, hash: rows[1]!.hash });
    expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
    expect(positions.end).toEqual({ seq: 3, hash: rows[2]!.hash });
    const stored = await h.db
      .selectFrom("idempotencyRecords")
      .select(["requestHash", "responseStatus"])
      .where("key", "=", "position")
      .execute();
    expect(stored).toEqual([{ requestHash: rows[2]!.hash, responseStatus: 3 }]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, events: 3 });
  });

  it("appends nothing from a transaction that throws, and never calls its positions", async () => {
    let called = false;
    await expect(
      inTransaction(h.db, async (tx) => {
        await appendAudit(tx, testEvent("evt_lost"));
        await atAuditPosition(tx, async () => {
          called = true;
          return undefined;
        });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(called).toBe(false);
    expect(await events()).toEqual([]);
    const head = await h.db.selectFrom("auditHead").select("seq").executeTakeFirstOrThrow();
    expect(Number(head.seq)).toBe(0);
  });

  it("chains at once in a transaction opened without inTransaction", async () => {
    await h.db.transaction().execute(async (tx) => {
      await appendAudit(tx, testEvent("evt_raw"));
      expect(await tx.selectFrom("auditEvents").select("id").execute()).toEqual([{ id: "evt_raw" }]);
    });
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, events: 1 });
  });

  it("chains a transaction with more events than one insert takes", async () => {
    await inTransaction(h.db, async (tx) => {
      for (let i = 0; i < 123; i++) await appendAudit(tx, testEvent(`evt_bulk_${i}`));
    });
    expect((await events()).map((r) => r.id)).toEqual(Array.from({ length: 123 }, (_, i) => `evt_bulk_${i}`));
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, events: 123 });
  });

  it("chains the events of many transactions in one gapless, verifiable chain", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inTransaction(
          h.db,
          async (tx) => {
            for (let j = 0; j < 3; j++) await appendAudit(tx, testEvent(`evt_${i}_${j}`));
          },
          { scope: [`card:${i}`] },
        ),
      ),
    );
    const rows = await events();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, events: 60 });
  });
});
