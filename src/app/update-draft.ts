/** The holder fills in the journey's steps on a draft: backup, unbinding, balance, timing. */
import { updateDraft } from "../db/applications-repository.js";
import { appendAudit } from "../db/audit-repository.js";
import { listBindings } from "../db/cards-repository.js";
import { inTransaction } from "../db/connect.js";
import type { ApplicationRow } from "../db/schema.js";
import { loadVisibleApplication } from "./access.js";
import type { DraftFields, UnbindingItem } from "./application-input.js";
import { type Actor, type AppDeps, authorize } from "./context.js";
import { draftPatch } from "./draft-fields.js";
import { AppError } from "./errors.js";

export async function updateDraftApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; fields: DraftFields },
): Promise<ApplicationRow> {
  authorize(actor, "application.update_draft");
  return inTransaction(deps.db, async (tx) => {
    const app = await loadVisibleApplication(tx, actor, input.applicationId);
    if (app.status !== "draft")
      throw new AppError("TRANSITION_NOT_ALLOWED", { transition: "update_draft", status: app.status });
    const bindings = await listBindings(tx, app.cardId);
    const patch = draftPatch(input.fields, {
      unbinding: JSON.parse(app.unbindingJson) as UnbindingItem[],
      bindingIds: new Set(bindings.map((b) => b.id)),
    });
    const now = deps.clock.now().toISOString();
    if (!(await updateDraft(tx, app.id, { ...patch, updatedAt: now })))
      throw new AppError("CONCURRENT_UPDATE", { id: app.id });
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "application",
      entityId: app.id,
      applicationId: app.id,
      action: "application.update_draft",
      actorType: actor.type,
      actorId: actor.id,
      after: Object.keys(patch),
      at: now,
    });
    return tx.selectFrom("applications").selectAll().where("id", "=", app.id).executeTakeFirstOrThrow();
  });
}
