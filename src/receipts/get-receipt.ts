/** A receipt or certificate of an application the actor may see: the holder's own, or staff's. */
import { loadVisibleApplication } from "../app/access.js";
import { type Actor, type AppDeps, authorize } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { findReceipt } from "../db/receipts-repository.js";
import type { ApplicationRow, ReceiptRow } from "../db/schema.js";
import type { ReceiptKind } from "./payload.js";

export async function getReceipt(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; kind: ReceiptKind },
): Promise<{ application: ApplicationRow; receipt: ReceiptRow }> {
  authorize(actor, "application.read");
  const application = await loadVisibleApplication(deps.db, actor, input.applicationId);
  const receipt = await findReceipt(deps.db, application.id, input.kind);
  if (!receipt) throw new AppError("RECEIPT_NOT_FOUND", { applicationId: application.id, kind: input.kind });
  return { application, receipt };
}
