/**
 * The audit trail: append-only and hash-chained. Each event's hash covers its content and the
 * previous event's hash; `audit_head` holds the chain's tip, and updating it inside the writing
 * transaction serialises appends on every database (a row lock on PostgreSQL, the write lock on
 * SQLite), which is also what keeps `seq` gapless.
 */
import { createHash } from "node:crypto";
import type { DbOrTx, Tx } from "./connect.js";
import type { AuditEventRow } from "./schema.js";

export interface AuditInput {
  id: string;
  entityType: string;
  entityId: string;
  applicationId: string | null;
  action: string;
  actorType: string;
  actorId: string;
  reason?: string | null;
  comment?: string | null;
  before?: unknown;
  after?: unknown;
  at: string;
}

export const GENESIS_HASH = "0".repeat(64);

type HashedFields = Omit<AuditEventRow, "hash" | "prevHash">;

/** The exact bytes hashed for an event: fixed field order, so the hash is reproducible anywhere. */
export function auditHash(prevHash: string, e: HashedFields): string {
  const canonical = JSON.stringify([
    Number(e.seq),
    e.id,
    e.entityType,
    e.entityId,
    e.applicationId,
    e.action,
    e.actorType,
    e.actorId,
    e.reason,
    e.comment,
    e.beforeJson,
    e.afterJson,
    e.at,
  ]);
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}

export async function appendAudit(tx: Tx, input: AuditInput): Promise<AuditEventRow> {
  const head = await tx
    .selectFrom("auditHead")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  const fields: HashedFields = {
    seq: Number(head.seq) + 1,
    id: input.id,
    entityType: input.entityType,
    entityId: input.entityId,
    applicationId: input.applicationId,
    action: input.action,
    actorType: input.actorType,
    actorId: input.actorId,
    reason: input.reason ?? null,
    comment: input.comment ?? null,
    beforeJson: input.before === undefined ? null : JSON.stringify(input.before),
    afterJson: input.after === undefined ? null : JSON.stringify(input.after),
    at: input.at,
  };
  const row: AuditEventRow = { ...fields, prevHash: head.hash, hash: auditHash(head.hash, fields) };
  // Guarded on the head we read: if another writer moved it, this fails instead of forking the chain.
  const moved = await tx
    .updateTable("auditHead")
    .set({ seq: row.seq, hash: row.hash })
    .where("id", "=", 1)
    .where("seq", "=", head.seq)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new Error("audit chain head moved concurrently");
  await tx.insertInto("auditEvents").values(row).execute();
  return row;
}

export async function auditForApplication(db: DbOrTx, applicationId: string): Promise<AuditEventRow[]> {
  return db
    .selectFrom("auditEvents")
    .selectAll()
    .where("applicationId", "=", applicationId)
    .orderBy("seq", "asc")
    .execute();
}

export type AuditVerdict =
  | { ok: true; events: number; headHash: string }
  | {
      ok: false;
      events: number;
      /** The first position where the chain breaks. */
      seq: number;
      eventId: string | null;
      problem: "altered" | "inserted_or_reordered" | "removed" | "head_mismatch";
      detail: string;
    };

/**
 * Walks the chain from the start. An edited row fails its own hash ("altered"); a row slipped in
 * or rows swapped break the link to the previous hash; a deleted row leaves a gap in `seq`; a
 * deleted tail leaves the head pointing past the last row.
 */
export async function verifyAuditChain(db: DbOrTx, pageSize = 5000): Promise<AuditVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let lastSeq = 0;
  for (;;) {
    const page = await db
      .selectFrom("auditEvents")
      .selectAll()
      .where("seq", ">=", expectedSeq)
      .orderBy("seq", "asc")
      .limit(pageSize)
      .execute();
    if (page.length === 0) break;
    for (const e of page) {
      const seq = Number(e.seq);
      if (seq !== expectedSeq) {
        return {
          ok: false,
          events: count,
          seq: expectedSeq,
          eventId: null,
          problem: "removed",
          detail: `event ${expectedSeq} is missing; next present is ${seq}`,
        };
      }
      if (e.prevHash !== prevHash) {
        return {
          ok: false,
          events: count,
          seq,
          eventId: e.id,
          problem: "inserted_or_reordered",
          detail: "does not link to the previous event's hash",
        };
      }
      if (auditHash(e.prevHash, e) !== e.hash) {
        return {
          ok: false,
          events: count,
          seq,
          eventId: e.id,
          problem: "altered",
          detail: "content does not match its hash",
        };
      }
      prevHash = e.hash;
      expectedSeq = seq + 1;
      lastSeq = seq;
      count++;
    }
  }
  const head = await db
    .selectFrom("auditHead")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  if (Number(head.seq) !== lastSeq || head.hash !== prevHash) {
    return {
      ok: false,
      events: count,
      seq: lastSeq + 1,
      eventId: null,
      problem: "head_mismatch",
      detail: `the chain head says ${head.seq} events; ${lastSeq} found`,
    };
  }
  return { ok: true, events: count, headHash: prevHash };
}
