/** Holders: personal data sealed at rest, found by keyed hash or registered phone. */
import type { DbOrTx } from "./connect.js";
import type { HolderRow } from "./schema.js";

export async function findHolder(db: DbOrTx, id: string): Promise<HolderRow | undefined> {
  return db.selectFrom("holders").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findHolderByPhone(db: DbOrTx, phone: string): Promise<HolderRow | undefined> {
  return db
    .selectFrom("holders")
    .selectAll()
    .where("phone", "=", phone)
    .orderBy("createdAt")
    .executeTakeFirst();
}

export async function findHolderByIdNumberHash(db: DbOrTx, hash: string): Promise<HolderRow | undefined> {
  return db.selectFrom("holders").selectAll().where("idNumberHash", "=", hash).executeTakeFirst();
}
