/**
 * The rows an application's effects are written from — its card, its holder, its provider — read
 * once per transaction when the caller already holds them. A submission reads all three for
 * eligibility; its receipt and its notification need them again, and re-reading each costs a
 * round trip to PostgreSQL. Whoever changes one of them in the transaction hands on the changed
 * row (or drops it), so what is passed on is what the database now holds; a row whose id is not
 * the application's is ignored.
 */
import { findCard } from "../db/cards-repository.js";
import type { DbOrTx } from "../db/connect.js";
import { findHolder } from "../db/holders-repository.js";
import { findProvider } from "../db/providers-repository.js";
import type { ApplicationRow, CardRow, HolderRow, ProviderRow } from "../db/schema.js";

export interface KnownParties {
  card?: CardRow;
  holder?: HolderRow;
  provider?: ProviderRow;
}

function same<T extends { id: string }>(row: T | undefined, id: string): T | undefined {
  return row?.id === id ? row : undefined;
}

/** The application's card, holder and provider: those in `known`, the others read. */
export async function partiesOf(
  db: DbOrTx,
  app: Pick<ApplicationRow, "cardId" | "holderId" | "providerId">,
  known: KnownParties = {},
): Promise<KnownParties> {
  const [card, holder, provider] = await Promise.all([
    same(known.card, app.cardId) ?? findCard(db, app.cardId),
    same(known.holder, app.holderId) ?? findHolder(db, app.holderId),
    same(known.provider, app.providerId) ?? findProvider(db, app.providerId),
  ]);
  return { card, holder, provider };
}
