/** Receipts and certificates: one of each per application, inserted once and never changed. */
import type { DbOrTx } from "./connect.js";
import type { ReceiptRow } from "./schema.js";

/**
 * The insert of a receipt unless the application already has one of this kind, which is then
 * kept; not executed here (issue-receipt.ts runs it with the audit chain's writes).
 */
export function insertReceiptOnce(db: DbOrTx, row: ReceiptRow) {
  return db
    .insertInto("receipts")
    .values(row)
    .onConflict((oc) => oc.columns(["applicationId", "kind"]).doNothing());
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
