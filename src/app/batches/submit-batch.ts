/**
 * Submit every draft of a batch in order, in one transaction: all of them or none. The first
 * failure names its application and cause.
 */
import { inTransaction } from "../../db/connect.js";
import { type Actor, type AppDeps, authorize } from "../context.js";
import { AppError } from "../errors.js";
import { submitInTransaction } from "../submit-application.js";
import { type BatchView, getBatch, loadBatch } from "./get-batch.js";

export async function submitBatch(
  deps: AppDeps,
  actor: Actor,
  input: { batchId: string },
): Promise<BatchView> {
  authorize(actor, "application.submit");
  return inTransaction(deps.db, async (tx) => {
    const batch = await getBatch({ ...deps, db: tx }, actor, input);
    for (const item of batch.items) {
      if (item.application.status !== "draft") continue;
      try {
        await submitInTransaction(deps, tx, actor, item.application.id);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        throw new AppError("BATCH_ITEM_FAILED", {
          applicationId: item.application.id,
          applicationNumber: item.application.number,
          cardId: item.card.id,
          cause: err.code,
          causeParams: err.params,
        });
      }
    }
    return loadBatch(tx, input.batchId);
  });
}
