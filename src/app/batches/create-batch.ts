/**
 * Cancel several cards in one go: a draft per card (or the card's open application), ordered
 * dependants first. Dependants of a selected card that the holder did not select are added, since
 * the card cannot go before them.
 */
import { findOpenApplicationForCard } from "../../db/applications-repository.js";
import { inTransaction, type Tx } from "../../db/connect.js";
import type { CardRow } from "../../db/schema.js";
import { loadVisibleCard } from "../access.js";
import { type Actor, type AppDeps, authorize } from "../context.js";
import { createApplication } from "../create-application.js";
import { type BatchView, loadBatch } from "./get-batch.js";
import { orderDependantsFirst } from "./order-batch.js";

export async function createBatch(
  deps: AppDeps,
  actor: Actor,
  input: { cardIds: string[] },
): Promise<BatchView> {
  authorize(actor, "application.create");
  return inTransaction(deps.db, async (tx) => {
    const txDeps = { ...deps, db: tx };
    const cards = new Map<string, CardRow>();
    for (const id of input.cardIds) cards.set(id, await loadVisibleCard(tx, actor, id));
    for (const card of [...cards.values()]) await addDependants(tx, card, cards);

    const batchId = deps.ids.id("bat");
    const ordered = orderDependantsFirst([...cards.values()]);
    for (const [position, card] of ordered.entries()) {
      const open = await findOpenApplicationForCard(tx, card.id);
      const app = open ?? (await createApplication(txDeps, actor, { cardId: card.id })).application;
      // Only drafts join the batch; an application already submitted keeps its own course.
      if (app.status === "draft") {
        await tx
          .updateTable("applications")
          .set({ batchId, batchPosition: position })
          .where("id", "=", app.id)
          .execute();
      }
    }
    return loadBatch(tx, batchId);
  });
}

async function addDependants(tx: Tx, card: CardRow, into: Map<string, CardRow>): Promise<void> {
  const children = await tx
    .selectFrom("cards")
    .selectAll()
    .where("parentCardId", "=", card.id)
    .where("holderId", "=", card.holderId)
    .where("status", "not in", ["cancelled"])
    .execute();
  for (const child of children) {
    if (into.has(child.id)) continue;
    into.set(child.id, child);
    await addDependants(tx, child, into);
  }
}
