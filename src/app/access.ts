/**
 * Loading what an actor is allowed to see. Another holder's card or application answers exactly
 * like a missing one, so ids cannot be probed.
 */
import { findApplication } from "../db/applications-repository.js";
import { findCard } from "../db/cards-repository.js";
import type { DbOrTx } from "../db/connect.js";
import type { ApplicationRow, CardRow } from "../db/schema.js";
import type { Actor } from "./context.js";
import { AppError } from "./errors.js";

function visible(actor: Actor, holderId: string, providerId: string): boolean {
  if (actor.type === "holder") return actor.id === holderId;
  if (actor.type === "staff") return actor.providerId === null || actor.providerId === providerId;
  if (actor.type === "provider") return actor.providerId === providerId;
  return true;
}

export async function loadVisibleCard(db: DbOrTx, actor: Actor, cardId: string): Promise<CardRow> {
  return visibleCard(actor, cardId, await findCard(db, cardId));
}

/** The card read for `cardId`, if the actor may see it; CARD_NOT_FOUND if not, as if it did not exist. */
export function visibleCard(actor: Actor, cardId: string, card: CardRow | undefined): CardRow {
  if (!card || !visible(actor, card.holderId, card.providerId))
    throw new AppError("CARD_NOT_FOUND", { cardId });
  return card;
}

export async function loadVisibleApplication(db: DbOrTx, actor: Actor, id: string): Promise<ApplicationRow> {
  const app = await findApplication(db, id);
  if (!app || !visible(actor, app.holderId, app.providerId))
    throw new AppError("APPLICATION_NOT_FOUND", { id });
  return app;
}
