/** The holder's preferences: the language of messages and of the portal. */
import { z } from "zod";
import { appendAudit } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import { type Actor, type AppDeps, authorize } from "./context.js";

export const updateMeSchema = z.object({ language: z.enum(["zh-CN", "en"]) }).strict();

export async function updateMe(
  deps: AppDeps,
  actor: Actor,
  input: z.infer<typeof updateMeSchema>,
): Promise<{ language: string }> {
  authorize(actor, "me.update");
  return inTransaction(deps.db, async (tx) => {
    await tx
      .updateTable("holders")
      .set({ preferredLanguage: input.language })
      .where("id", "=", actor.id)
      .execute();
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "holder",
      entityId: actor.id,
      applicationId: null,
      action: "holder.preferences",
      actorType: actor.type,
      actorId: actor.id,
      after: { language: input.language },
      at: deps.clock.now().toISOString(),
    });
    return { language: input.language };
  });
}
