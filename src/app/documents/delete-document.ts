/** Remove a document from an application that has not been submitted (or is answering a request). */
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction } from "../../db/connect.js";
import { loadVisibleApplication } from "../access.js";
import { type Actor, type AppDeps, authorize } from "../context.js";
import { AppError } from "../errors.js";

export async function deleteDocument(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; documentId: string },
): Promise<void> {
  authorize(actor, "application.update_draft");
  await inTransaction(deps.db, async (tx) => {
    const app = await loadVisibleApplication(tx, actor, input.applicationId);
    if (app.status !== "draft" && app.status !== "needs_info")
      throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "delete_document", status: app.status });
    const r = await tx
      .deleteFrom("documents")
      .where("id", "=", input.documentId)
      .where("applicationId", "=", app.id)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new AppError("NOT_FOUND", { documentId: input.documentId });
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "document",
      entityId: input.documentId,
      applicationId: app.id,
      action: "document.delete",
      actorType: actor.type,
      actorId: actor.id,
      at: deps.clock.now().toISOString(),
    });
  });
}
