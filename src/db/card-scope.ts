/**
 * The lock scope of a card: its family, named by the root of its parent chain. A card, its parent
 * and its dependants read each other's status (eligibility counts the dependants still in use), so
 * they share one key; families are independent of each other. `cards.parent_card_id` and
 * `applications.card_id` never change, so reading them before the lock decides nothing.
 */
import { type DbOrTx, isPostgresDb, type Tx } from "./connect.js";
import { type Bound, prepared, type RowsOf, together } from "./prepared.js";
import { heldLocks, lockScope, lockScopeAndRead } from "./write-scope.js";

/** Parent links followed at most: far more than a card family has (a primary and its dependants). */
const MAX_DEPTH = 16;

const parentOf = prepared<{ id: string }>()((db, a) =>
  db.selectFrom("cards").select("parentCardId").where("id", "=", a.id),
);

const cardOfApplication = prepared<{ id: string }>()((db, a) =>
  db
    .selectFrom("applications as a")
    .innerJoin("cards as c", "c.id", "a.cardId")
    .select(["c.id", "c.parentCardId"])
    .where("a.id", "=", a.id),
);

async function familyRoot(db: DbOrTx, cardId: string, parentId: string | null): Promise<string> {
  let root = cardId;
  let parent = parentId;
  for (let depth = 0; parent && depth < MAX_DEPTH; depth++) {
    root = parent;
    parent = (await parentOf.first(db, { id: parent }))?.parentCardId ?? null;
  }
  return `card:${root}`;
}

/** Locks the family of card `cardId` (a card that does not exist gets a key of its own). */
export async function lockCardScope(tx: Tx, cardId: string): Promise<void> {
  await lockCardScopeAndRead(tx, cardId, []);
}

/**
 * Locks the family of card `cardId`, then runs `reads` under the lock — on PostgreSQL in the same
 * round trip as the lock (write-scope.ts, `lockScopeAndRead`).
 */
export async function lockCardScopeAndRead<const T extends readonly Bound<unknown>[]>(
  tx: Tx,
  cardId: string,
  reads: T,
): Promise<RowsOf<T>> {
  if (heldLocks(tx) === "all") return together(tx, reads);
  // SQLite's one writer holds everything already: the key is only recorded.
  if (!isPostgresDb(tx)) return lockScopeAndRead(tx, [`card:${cardId}`], reads);
  const card = await parentOf.first(tx, { id: cardId });
  return lockScopeAndRead(tx, [await familyRoot(tx, cardId, card?.parentCardId ?? null)], reads);
}

/** Locks the family of the card of application `applicationId` (one that does not exist: a key of its own). */
export async function lockApplicationScope(tx: Tx, applicationId: string): Promise<void> {
  if (heldLocks(tx) === "all") return;
  if (!isPostgresDb(tx)) return lockScope(tx, [`application:${applicationId}`]);
  const row = await cardOfApplication.first(tx, { id: applicationId });
  await lockScope(tx, [
    row ? await familyRoot(tx, row.id, row.parentCardId) : `application:${applicationId}`,
  ]);
}
