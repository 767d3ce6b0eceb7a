/**
 * Scoped transactions on PostgreSQL: different keys run side by side, a common key and the whole
 * database one at a time; audit appends are chained at the commit, so an open transaction does not
 * hold the chain; and the HTTP create, submit and transitions lock only their card's family.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuditPosition,
  appendAudit,
  atAuditPosition,
  verifyAuditChain,
} from "../../src/db/audit-repository.js";
import { lockCardScope } from "../../src/db/card-scope.js";
import { heldLocks, inTransaction, type TransactionOptions, type Tx } from "../../src/db/connect.js";
import { testEvent } from "../support/audit-event.js";
import { D } from "../support/demo.js";
import { Harness, newKey, type Session } from "../support/harness.js";

/** How long a transaction that should be waiting is given to (wrongly) finish. */
const WAITING_MS = 400;

function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);
}

describe("scoped transactions on PostgreSQL", () => {
  let h: Harness;
  let agent: Session;
  beforeAll(async () => {
    h = await Harness.start();
    agent = await h.signInStaff("agent");
  });
  afterAll(() => h.close());

  /** A transaction that stays open (after `body`) until released. */
  function hold(options: TransactionOptions, body: (tx: Tx) => Promise<void> = async () => {}) {
    let entered!: () => void;
    let release!: () => void;
    const isEntered = new Promise<void>((r) => {
      entered = r;
    });
    const released = new Promise<void>((r) => {
      release = r;
    });
    const done = inTransaction(
      h.db,
      async (tx) => {
        await body(tx);
        entered();
        await released;
      },
      options,
    );
    return { entered: isEntered, release, done };
  }

  it("runs transactions with different keys side by side, and with a common key one at a time", async () => {
    const a = hold({ scope: ["test:a"] });
    await a.entered;
    try {
      expect(
        await settlesWithin(
          inTransaction(h.db, async () => {}, { scope: ["test:b"] }),
          5000,
        ),
      ).toBe(true);
      const order: string[] = [];
      const same = inTransaction(
        h.db,
        async () => {
          order.push("second");
        },
        { scope: ["test:c", "test:a"] },
      );
      expect(await settlesWithin(same, WAITING_MS)).toBe(false);
      order.push("first released");
      a.release();
      await a.done;
      await same;
      expect(order).toEqual(["first released", "second"]);
    } finally {
      a.release();
      await a.done;
    }
  });

  it("makes a whole-database transaction wait for scoped ones, and scoped ones for it", async () => {
    const scoped = hold({ scope: ["test:a"] });
    await scoped.entered;
    const whole = inTransaction(h.db, async () => {});
    expect(await settlesWithin(whole, WAITING_MS)).toBe(false);
    scoped.release();
    await scoped.done;
    await whole;

    const wholeHeld = hold({});
    await wholeHeld.entered;
    const later = inTransaction(h.db, async () => {}, { scope: ["test:z"] });
    expect(await settlesWithin(later, WAITING_MS)).toBe(false);
    wholeHeld.release();
    await wholeHeld.done;
    await later;
  });

  it("does not hold the audit chain while a transaction that appended is still open", async () => {
    const open = hold({ scope: ["test:a"] }, (tx) => appendAudit(tx, testEvent("evt_open")));
    await open.entered;
    try {
      // Were the head row taken at the append, this one would wait for the open transaction.
      const other = inTransaction(h.db, (tx) => appendAudit(tx, testEvent("evt_other")), {
        scope: ["test:b"],
      });
      expect(await settlesWithin(other, 5000)).toBe(true);
      await other;
    } finally {
      open.release();
      await open.done;
    }
    const rows = await h.db
      .selectFrom("auditEvents")
      .select(["seq", "id"])
      .where("id", "in", ["evt_open", "evt_other"])
      .orderBy("seq")
      .execute();
    expect(rows.map((r) => r.id)).toEqual(["evt_other", "evt_open"]);
    expect(Number(rows[1]!.seq)).toBe(Number(rows[0]!.seq) + 1);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });

  it("chains the appends of many concurrent transactions into one gapless chain, positions pinned", async () => {
    const start = Number((await h.db.selectFrom("auditHead").select("seq").executeTakeFirstOrThrow()).seq);
    const positions = new Map<number, AuditPosition>();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        inTransaction(
          h.db,
          async (tx) => {
            await appendAudit(tx, testEvent(`evt_many_${i}_a`));
            await atAuditPosition(tx, async (p) => {
              positions.set(i, p);
              // Stored in the same statement as the chain's own writes.
              return tx.insertInto("idempotencyRecords").values({
                scope: "test",
                key: `position-${i}`,
                requestHash: p.hash,
                responseStatus: p.seq,
                responseBody: "{}",
                createdAt: "2026-11-24T02:00:00.000Z",
              });
            });
            // Overlap with the others.
            await sql`select pg_sleep(0.02)`.execute(tx);
            await appendAudit(tx, testEvent(`evt_many_${i}_b`));
          },
          { scope: [`test:many:${i}`] },
        ),
      ),
    );
    const rows = await h.db
      .selectFrom("auditEvents")
      .select(["seq", "id", "prevHash", "hash"])
      .where("seq", ">", start)
      .orderBy("seq")
      .execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 80 }, (_, i) => start + i + 1));
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    for (const [i, p] of positions) {
      // A transaction's events are consecutive; its position sits between them.
      expect(bySeq.get(p.seq)).toMatchObject({ id: `evt_many_${i}_a`, hash: p.hash });
      expect(bySeq.get(p.seq + 1)).toMatchObject({ id: `evt_many_${i}_b`, prevHash: p.hash });
    }
    expect(positions.size).toBe(40);
    const stored = await h.db
      .selectFrom("idempotencyRecords")
      .select(["key", "requestHash", "responseStatus"])
      .where("scope", "=", "test")
      .execute();
    expect(stored).toHaveLength(40);
    for (const r of stored) {
      const p = positions.get(Number(r.key.slice("position-".length)))!;
      expect(r).toMatchObject({ requestHash: p.hash, responseStatus: p.seq });
    }
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });

  it("chains a transaction with more events than one statement takes", async () => {
    const start = Number((await h.db.selectFrom("auditHead").select("seq").executeTakeFirstOrThrow()).seq);
    await inTransaction(h.db, async (tx) => {
      for (let i = 0; i < 1234; i++) await appendAudit(tx, testEvent(`evt_bulk_${i}`));
    });
    const rows = await h.db
      .selectFrom("auditEvents")
      .select(["seq", "id"])
      .where("seq", ">", start)
      .orderBy("seq")
      .execute();
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 1234 }, (_, i) => `evt_bulk_${i}`));
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });

  it("locks a dependant card under its family's root", async () => {
    const held = await inTransaction(
      h.db,
      async (tx) => {
        await lockCardScope(tx, D.creditPrimary.supplementary);
        return [...(heldLocks(tx) as ReadonlySet<string>)];
      },
      { lock: "deferred" },
    );
    expect(held).toEqual([`card:${D.creditPrimary.card}`]);
  });

  it("runs transitions of many cards at once, each exactly once", async () => {
    // Ten cards like 张伟's debit card, each with an account.
    const cards = Array.from({ length: 10 }, (_, i) => `card_scope_${i}`);
    await sql`insert into cards select n.id, provider_id, holder_id, family, kind, network_generation, label,
        card_number_enc, card_number_hash, card_number_masked, iccid, msisdn, eid, status, number_status,
        quarantine_until, real_name_verified, parent_card_id, relation, bundle, group_name, family_plan,
        destroyed_at, destroyed_how, cancelled_at, created_at, updated_at
      from cards, unnest(${cards}::text[]) as n(id) where cards.id = ${D.cleanDebit.card}`.execute(h.db);
    await sql`insert into accounts (card_id, updated_at) select n.id, now()::text
      from unnest(${cards}::text[]) as n(id)`.execute(h.db);
    const post = (url: string, payload: unknown = {}) =>
      h.inject({
        method: "POST",
        url,
        payload: payload as object,
        headers: { ...agent.headers, "idempotency-key": newKey("many") },
      });
    const created = await Promise.all(
      cards.map((cardId) =>
        post("/api/v1/applications", {
          cardId,
          submit: true,
          backup: { status: "waived", note: "no records needed" },
        }),
      ),
    );
    expect(created.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const ids = created.map((r) => (r.json() as { application: { id: string } }).application.id);
    // Three requests (three keys) per application, all at once: one moves it, two find it moved.
    const reviews = await Promise.all(
      ids.flatMap((id) => [0, 1, 2].map(() => post(`/api/v1/applications/${id}/start_review`))),
    );
    for (let i = 0; i < ids.length; i++) {
      const codes = reviews.slice(i * 3, i * 3 + 3).map((r) => r.statusCode);
      expect(codes.sort()).toEqual([200, 409, 409]);
    }
    const events = await h.db
      .selectFrom("auditEvents")
      .select(["applicationId", "action"])
      .where("applicationId", "in", ids)
      .execute();
    for (const id of ids) {
      expect(
        events
          .filter((e) => e.applicationId === id)
          .map((e) => e.action)
          .sort(),
      ).toEqual(["application.create", "application.start_review", "application.submit"]);
    }
    const receipts = await h.db
      .selectFrom("receipts")
      .select("applicationId")
      .where("applicationId", "in", ids)
      .execute();
    expect(receipts).toHaveLength(10);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });

  it("lets HTTP creates, submits and transitions of other cards through while a card family is locked", async () => {
    const post = (url: string, payload: unknown) =>
      h.inject({
        method: "POST",
        url,
        payload: payload as object,
        headers: { ...agent.headers, "idempotency-key": newKey("scope") },
      });
    const family = hold({ scope: [`card:${D.creditPrimary.card}`] });
    await family.entered;
    let id: string;
    try {
      const other = post("/api/v1/applications", {
        cardId: D.cleanDebit.card,
        submit: true,
        backup: { status: "waived", note: "no records needed" },
      });
      expect(await settlesWithin(other, 10_000)).toBe(true);
      const created = await other;
      expect(created.statusCode, created.body).toBe(201);
      id = (created.json() as { application: { id: string; status: string } }).application.id;
      expect((created.json() as { application: { status: string } }).application.status).toBe("submitted");
      const review = await post(`/api/v1/applications/${id}/start_review`, {});
      expect(review.statusCode, review.body).toBe(200);

      // The supplementary card belongs to the locked family.
      const dependant = post("/api/v1/applications", { cardId: D.creditPrimary.supplementary });
      expect(await settlesWithin(dependant, WAITING_MS)).toBe(false);
      family.release();
      await family.done;
      const r = await dependant;
      expect(r.statusCode, r.body).toBe(201);
    } finally {
      family.release();
      await family.done;
    }

    // And a transition waits for its own card's family.
    const own = hold({ scope: [`card:${D.cleanDebit.card}`] });
    await own.entered;
    try {
      const approve = post(`/api/v1/applications/${id}/approve`, {});
      expect(await settlesWithin(approve, WAITING_MS)).toBe(false);
      own.release();
      await own.done;
      const r = await approve;
      expect(r.statusCode, r.body).toBe(200);
    } finally {
      own.release();
      await own.done;
    }
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });
});
