/** Holders: personal data sealed at rest, found by keyed hash or registered phone. */
import type { DbOrTx } from "./connect.js";
import { prepared } from "./prepared.js";
import type { HolderRow } from "./schema.js";

const holderById = prepared<{ id: string }>()((db, a) =>
  db.selectFrom("holders").selectAll().where("id", "=", a.id),
);

export async function findHolder(db: DbOrTx, id: string): Promise<HolderRow | undefined> {
  return holderById.first(db, { id });
}

/** The read of `findHolder`, to run with others (`together`). */
export const holderRead = (id: string) => holderById.with({ id });

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
