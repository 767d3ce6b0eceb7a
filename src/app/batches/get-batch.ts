/** A batch: its applications in cancellation order, with their cards. */
import type { DbOrTx } from "../../db/connect.js";
import type { ApplicationRow, CardRow } from "../../db/schema.js";
import { type Actor, type AppDeps, authorize } from "../context.js";
import { AppError } from "../errors.js";

export interface BatchView {
  id: string;
  holderId: string;
  items: Array<{ position: number; application: ApplicationRow; card: CardRow }>;
}

export async function loadBatch(db: DbOrTx, batchId: string): Promise<BatchView> {
  const rows = await db
    .selectFrom("applications as a")
    .innerJoin("cards as c", "c.id", "a.cardId")
    .selectAll("a")
    .select(["c.id as cId"])
    .where("a.batchId", "=", batchId)
    .orderBy("a.batchPosition")
    .execute();
  if (rows.length === 0) throw new AppError("NOT_FOUND", { batchId });
  const cards = await db
    .selectFrom("cards")
    .selectAll()
    .where(
      "id",
      "in",
      rows.map((r) => r.cardId),
    )
    .execute();
  const byId = new Map(cards.map((c) => [c.id, c]));
  return {
    id: batchId,
    holderId: rows[0]!.holderId,
    items: rows.map(({ cId: _c, ...application }) => ({
      position: application.batchPosition ?? 0,
      application,
      card: byId.get(application.cardId)!,
    })),
  };
}

export async function getBatch(deps: AppDeps, actor: Actor, input: { batchId: string }): Promise<BatchView> {
  authorize(actor, "application.read");
  const batch = await loadBatch(deps.db, input.batchId);
  // Someone else's batch answers like a missing one.
  if (actor.type === "holder" && batch.holderId !== actor.id)
    throw new AppError("NOT_FOUND", { batchId: input.batchId });
  return batch;
}
