/**
 * The audit trail: append-only and hash-chained. Each event's hash covers its content and the
 * previous event's hash; `audit_head` holds the chain's tip.
 *
 * Appends inside a transaction are buffered and chained right before it commits: the head row is
 * read with `FOR UPDATE` (on PostgreSQL a row lock that waits for the previous appender's commit and
 * then returns its head; on SQLite the write lock is held already), the buffered events are hashed
 * in order, inserted, and the head moved. So transactions that run side by side (scoped ones on
 * PostgreSQL, src/db/postgres.ts) serialise only for those few statements and their commit, and
 * `seq` stays gapless. The head update is still guarded on the head read: a fork fails instead.
 */
import { createHash } from "node:crypto";
import { type Compilable, type OperationNodeSource, sql } from "kysely";
import { type DbOrTx, isPostgresDb, type Tx } from "./connect.js";
import { executeNamed, prepared, together } from "./prepared.js";
import type { AuditEventRow } from "./schema.js";
import { beforeCommit, takeCommitWrites } from "./write-scope.js";

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

/** Where the chain stands: the last event's `seq` and `hash` (0 and the genesis hash when empty). */
export interface AuditPosition {
  seq: number;
  hash: string;
}

/** A write not yet executed (an insert builder), run together with the chain's own writes. */
export type AuditWrite = Compilable & OperationNodeSource;

type Pending =
  | { kind: "event"; input: AuditInput }
  | { kind: "position"; use: (head: AuditPosition) => Promise<AuditWrite | undefined> };

const pendingByTx = new WeakMap<Tx, Pending[]>();

/** The transaction's buffer, created with its before-commit flush; undefined where none can run. */
function pending(tx: Tx): Pending[] | undefined {
  const buffer = pendingByTx.get(tx);
  if (buffer) return buffer;
  const fresh: Pending[] = [];
  const registered = beforeCommit(tx, () => {
    // Anything appended from here on (by later before-commit work) gets a buffer and flush of its own.
    pendingByTx.delete(tx);
    return flushAudit(tx, fresh);
  });
  if (!registered) return undefined;
  pendingByTx.set(tx, fresh);
  return fresh;
}

/**
 * Appends an event to the chain when the transaction commits (in call order with the other
 * appends of the transaction). Outside `inTransaction` it is chained at once.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<void> {
  const item: Pending = { kind: "event", input };
  const buffer = pending(tx);
  if (buffer) buffer.push(item);
  else await flushAudit(tx, [item]);
}

/**
 * Calls `use` with the chain's head as it will stand at this point of the transaction's appends —
 * after the events appended before this call, before those appended after it — once that is
 * known, right before the commit (a receipt pins the head before its own event this way). `use`
 * runs with the head row locked: it computes, and returns the write that needs the head (run
 * with the chain's own, in one statement on PostgreSQL) instead of executing anything itself.
 */
export async function atAuditPosition(
  tx: Tx,
  use: (head: AuditPosition) => Promise<AuditWrite | undefined>,
): Promise<void> {
  const item: Pending = { kind: "position", use };
  const buffer = pending(tx);
  if (buffer) buffer.push(item);
  else await flushAudit(tx, [item]);
}

/** Event rows per insert: 15 parameters each. */
const INSERT_CHUNK = 50;
/** Writes per statement on PostgreSQL, which keeps a statement's parameters far below its limit. */
const WRITES_PER_STATEMENT = 20;

/** The head, locked until the commit on PostgreSQL (SQLite's writer holds the whole file). */
const auditHeadForWrite = prepared<Record<string, never>>()((db) => {
  const read = db.selectFrom("auditHead").select(["seq", "hash"]).where("id", "=", 1);
  return isPostgresDb(db) ? read.forUpdate() : read;
});

/**
 * Chains the buffered events onto the head and stores them. On PostgreSQL the head row stays
 * locked from the first statement to the commit, so this is two statements: read and lock the
 * head, then every insert (events, position writes) and the head's move as one statement.
 */
async function flushAudit(tx: Tx, items: Pending[]): Promise<void> {
  if (items.length === 0) return;
  const postgres = isPostgresDb(tx);
  // The writes left for the commit (the idempotency record) go out with the head's read.
  const leftForCommit = takeCommitWrites(tx);
  const [head] = (await together(tx, [...leftForCommit, auditHeadForWrite.with({})])).at(-1) as Array<{
    seq: number;
    hash: string;
  }>;
  if (!head) throw new Error("the audit trail has no head row");
  let seq = Number(head.seq);
  let hash = head.hash;
  const rows: AuditEventRow[] = [];
  const extra: AuditWrite[] = [];
  for (const item of items.splice(0)) {
    if (item.kind === "position") {
      const write = await item.use({ seq, hash });
      if (write) extra.push(write);
      continue;
    }
    const { input } = item;
    const fields: HashedFields = {
      seq: seq + 1,
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
    const row: AuditEventRow = { ...fields, prevHash: hash, hash: auditHash(hash, fields) };
    rows.push(row);
    seq = row.seq;
    hash = row.hash;
  }
  const writes: AuditWrite[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    writes.push(tx.insertInto("auditEvents").values(rows.slice(i, i + INSERT_CHUNK)));
  }
  writes.push(...extra);
  // Guarded on the head read: if another writer moved it, this fails instead of forking the chain.
  const move = tx.updateTable("auditHead").set({ seq, hash }).where("id", "=", 1).where("seq", "=", head.seq);
  let moved: bigint | undefined;
  if (postgres) {
    const groups: AuditWrite[][] = [];
    for (let i = 0; i < writes.length; i += WRITES_PER_STATEMENT) {
      groups.push(writes.slice(i, i + WRITES_PER_STATEMENT));
    }
    const last = groups.pop() ?? [];
    // Named: the text depends only on how many events and writes there are (named-statements.ts).
    for (const group of groups) await executeNamed(tx, sql`with ${ctes(group)} select 1`.compile(tx));
    const r = await executeNamed(
      tx,
      (last.length ? sql`with ${ctes(last)} ${move}` : sql`${move}`).compile(tx),
    );
    moved = r.numAffectedRows;
  } else {
    for (const w of writes) await tx.executeQuery(w);
    moved = (await move.executeTakeFirst()).numUpdatedRows;
  }
  if (Number(moved ?? 0) !== 1) throw new Error("audit chain head moved concurrently");
}

/** `w0 as (…), w1 as (…)`: data-modifying common table expressions (PostgreSQL). */
function ctes(writes: AuditWrite[]) {
  return sql.join(writes.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w})`));
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
 * deleted tail leaves the head pointing past the last row, and a row added past the head without
 * moving it is found there too ("head_mismatch").
 *
 * Other processes may keep appending while this runs, and the reads are not one snapshot (no
 * lock is taken, so nobody waits for a verification). So the head is read first and the events
 * up to it checked: an event and the head's move to it commit together, so every event up to a
 * head once read is there to be read afterwards. Events past that head were appended meanwhile
 * when the head has moved since, and the walk goes on to the new head; if the head has not moved,
 * they were written around it.
 */
export async function verifyAuditChain(db: DbOrTx, pageSize = 5000, maxLaps = 100): Promise<AuditVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let lastSeq = 0;
  let head = await readHead(db);
  for (let lap = 1; ; lap++) {
    for (;;) {
      const page = await db
        .selectFrom("auditEvents")
        .selectAll()
        .where("seq", ">=", expectedSeq)
        .where("seq", "<=", head.seq)
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
    if (head.seq !== lastSeq || head.hash !== prevHash) {
      return {
        ok: false,
        events: count,
        seq: lastSeq + 1,
        eventId: null,
        problem: "head_mismatch",
        detail: `the chain head says ${head.seq} events; ${lastSeq} found`,
      };
    }
    const beyond = await db
      .selectFrom("auditEvents")
      .select("seq")
      .where("seq", ">", head.seq)
      .orderBy("seq", "asc")
      .limit(1)
      .executeTakeFirst();
    if (beyond === undefined) break;
    const moved = await readHead(db);
    if (moved.seq === head.seq) {
      return {
        ok: false,
        events: count,
        seq: Number(beyond.seq),
        eventId: null,
        problem: "head_mismatch",
        detail: `event ${beyond.seq} is past the chain head (${head.seq} events)`,
      };
    }
    // Appends keep coming faster than they are checked: what was checked is a verified chain up
    // to a head that was read, and the rest is for the next verification.
    if (lap >= maxLaps) break;
    head = moved;
  }
  return { ok: true, events: count, headHash: prevHash };
}

async function readHead(db: DbOrTx): Promise<{ seq: number; hash: string }> {
  const head = await db
    .selectFrom("auditHead")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}
