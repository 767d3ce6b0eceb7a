/** Receipts and certificates: one of each per application, inserted once and never changed. */
import type { DbOrTx, Tx } from "./connect.js";
import type { ReceiptRow } from "./schema.js";

/** Inserts unless the application already has one of this kind; returns the stored row either way. */
export async function insertReceiptOnce(tx: Tx, row: ReceiptRow): Promise<ReceiptRow> {
  await tx
    .insertInto("receipts")
    .values(row)
    .onConflict((oc) => oc.columns(["applicationId", "kind"]).doNothing())
    .execute();
  return tx
    .selectFrom("receipts")
    .selectAll()
    .where("applicationId", "=", row.applicationId)
    .where("kind", "=", row.kind)
    .executeTakeFirstOrThrow();
}

export async function findReceipt(
  db: DbOrTx,
  applicationId: string,
  kind: string,
): Promise<ReceiptRow | undefined> {
  return db
    .selectFrom("receipts")
    .selectAll()
    .where("applicationId", "=", applicationId)
    .where("kind", "=", kind)
    .executeTakeFirst();
}

export async function findReceiptByJws(db: DbOrTx, jws: string): Promise<ReceiptRow | undefined> {
  return db.selectFrom("receipts").selectAll().where("jws", "=", jws).executeTakeFirst();
}

/** The chain head as it stands inside the caller's transaction. */
export async function auditHead(tx: DbOrTx): Promise<{ seq: number; hash: string }> {
  const h = await tx
    .selectFrom("auditHead")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(h.seq), hash: h.hash };
}
