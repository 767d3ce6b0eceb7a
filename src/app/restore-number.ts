/**
 * The former holder takes a quarantined number back within the quarantine window (号码冷冻期):
 * the network restores it; the old SIM stays cancelled and a new card is issued for the number.
 */
import { appendAudit } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import { findProvider } from "../db/providers-repository.js";
import type { CardRow } from "../db/schema.js";
import { loadVisibleCard } from "./access.js";
import { type Actor, type AppDeps, authorize } from "./context.js";
import { AppError } from "./errors.js";

export async function restoreNumber(
  deps: AppDeps,
  actor: Actor,
  input: { cardId: string },
): Promise<CardRow> {
  authorize(actor, "number.restore");
  const card = await loadVisibleCard(deps.db, actor, input.cardId);
  const now = deps.clock.now().toISOString();
  if (card.numberStatus === "restored") return card;
  if (
    card.family !== "sim" ||
    card.numberStatus !== "quarantined" ||
    !card.msisdn ||
    !card.quarantineUntil ||
    card.quarantineUntil <= now
  ) {
    throw new AppError("NUMBER_NOT_RESTORABLE", {
      cardId: card.id,
      numberStatus: card.numberStatus,
      quarantineUntil: card.quarantineUntil,
    });
  }
  const provider = await findProvider(deps.db, card.providerId);
  await deps.providers.network.restoreNumber(
    { idempotencyKey: `${card.id}:restore:${card.quarantineUntil}`, providerCode: provider?.code ?? "" },
    card.msisdn,
  );
  return inTransaction(deps.db, async (tx) => {
    const r = await tx
      .updateTable("cards")
      .set({ numberStatus: "restored", updatedAt: now })
      .where("id", "=", card.id)
      .where("numberStatus", "=", "quarantined")
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) {
      await appendAudit(tx, {
        id: deps.ids.id("evt"),
        entityType: "card",
        entityId: card.id,
        applicationId: null,
        action: "number.restore",
        actorType: actor.type,
        actorId: actor.id,
        before: { numberStatus: "quarantined" },
        after: { numberStatus: "restored" },
        at: now,
      });
    }
    return tx.selectFrom("cards").selectAll().where("id", "=", card.id).executeTakeFirstOrThrow();
  });
}
