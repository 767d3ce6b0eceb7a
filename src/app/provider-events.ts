/**
 * Callbacks from provider systems (signed webhooks): arrears reported by billing (the ladder's
 * input), a card's state changed at the provider, an eSIM profile deleted (which closes a
 * completed application). Each event id takes effect once.
 */
import { z } from "zod";
import { findOpenApplicationForCard } from "../db/applications-repository.js";
import { appendAudit } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import { closeApplication } from "./close-application.js";
import { type AppDeps, SYSTEM_ACTOR } from "./context.js";
import { AppError } from "./errors.js";

export const providerEventSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("billing.arrears"),
      eventId: z.string().min(8).max(128),
      cardId: z.string().max(100),
      arrearsFen: z.number().int().min(0),
      since: z.string().datetime().nullable(),
    })
    .strict(),
  z
    .object({
      type: z.literal("card.status"),
      eventId: z.string().min(8).max(128),
      cardId: z.string().max(100),
      status: z.enum(["active", "lost", "suspended"]),
    })
    .strict(),
  z
    .object({
      type: z.literal("esim.profile_deleted"),
      eventId: z.string().min(8).max(128),
      iccid: z.string().max(32),
    })
    .strict(),
]);
export type ProviderEvent = z.infer<typeof providerEventSchema>;

export async function applyProviderEvent(
  deps: AppDeps,
  providerId: string,
  e: ProviderEvent,
): Promise<{ applied: boolean }> {
  return inTransaction(deps.db, async (tx) => {
    const seen = await tx
      .selectFrom("idempotencyRecords")
      .select("key")
      .where("scope", "=", `webhook:${providerId}`)
      .where("key", "=", e.eventId)
      .executeTakeFirst();
    if (seen) return { applied: false };
    const now = deps.clock.now().toISOString();
    const card =
      e.type === "esim.profile_deleted"
        ? await tx.selectFrom("cards").selectAll().where("iccid", "=", e.iccid).executeTakeFirst()
        : await tx.selectFrom("cards").selectAll().where("id", "=", e.cardId).executeTakeFirst();
    if (!card || card.providerId !== providerId) throw new AppError("CARD_NOT_FOUND", { event: e.type });
    if (e.type === "billing.arrears") {
      await tx
        .updateTable("accounts")
        .set({ arrearsFen: e.arrearsFen, arrearsSince: e.arrearsFen > 0 ? e.since : null, updatedAt: now })
        .where("cardId", "=", card.id)
        .execute();
    } else if (e.type === "card.status") {
      // Only between the in-use states: a cancellation in progress is ours to move.
      await tx
        .updateTable("cards")
        .set({ status: e.status, updatedAt: now })
        .where("id", "=", card.id)
        .where("status", "in", ["active", "lost", "suspended"])
        .execute();
    } else {
      const open = await findOpenApplicationForCard(tx, card.id);
      if (open?.status === "completed")
        await closeApplication({ ...deps, db: tx }, SYSTEM_ACTOR, {
          applicationId: open.id,
          how: "profile_deleted",
          comment: "SM-DP+ deletion notification",
        });
      else
        await tx
          .updateTable("cards")
          .set({ destroyedAt: now, destroyedHow: "profile_deleted", updatedAt: now })
          .where("id", "=", card.id)
          .execute();
    }
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "card",
      entityId: card.id,
      applicationId: null,
      action: `provider_event.${e.type}`,
      actorType: "provider",
      actorId: providerId,
      after: e,
      at: now,
    });
    await tx
      .insertInto("idempotencyRecords")
      .values({
        scope: `webhook:${providerId}`,
        key: e.eventId,
        requestHash: "",
        responseStatus: 200,
        responseBody: "{}",
        createdAt: now,
      })
      .execute();
    return { applied: true };
  });
}
