/**
 * The final outcome of each notification, keyed by its message key. Written in the transaction
 * that finishes the job, so a job that runs again after a crash sees it and sends nothing.
 */
import type { DbOrTx, Tx } from "./connect.js";
import type { NotificationDeliveriesTable } from "./schema.js";

export type DeliveryRecord = NotificationDeliveriesTable;

export async function findDelivery(db: DbOrTx, messageKey: string): Promise<DeliveryRecord | undefined> {
  return db
    .selectFrom("notificationDeliveries")
    .selectAll()
    .where("messageKey", "=", messageKey)
    .executeTakeFirst();
}

/** True when this call recorded it; false when another run already had. */
export async function recordDelivery(tx: Tx, row: DeliveryRecord): Promise<boolean> {
  const r = await tx
    .insertInto("notificationDeliveries")
    .values(row)
    .onConflict((oc) => oc.column("messageKey").doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deliveriesForApplication(db: DbOrTx, applicationId: string): Promise<DeliveryRecord[]> {
  return db
    .selectFrom("notificationDeliveries")
    .selectAll()
    .where("applicationId", "=", applicationId)
    .orderBy("at")
    .execute();
}
