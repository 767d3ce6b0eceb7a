/** The holder's choice of channels (SMS, e-mail or both) and e-mail address for notifications. */
import { z } from "zod";
import { type Actor, type AppDeps, authorize } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { appendAudit } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import { CHANNELS, type NotifyChannel, parseChannels } from "./outbox.js";

export const notificationPreferencesSchema = z
  .object({
    channels: z.array(z.enum(CHANNELS)).min(1).max(2),
    /** null removes the address (and with it e-mail). */
    email: z.string().trim().max(254).email().nullable().optional(),
  })
  .strict();

export interface NotificationPreferences {
  channels: NotifyChannel[];
  email: string | null;
  language: string;
}

export async function getNotificationPreferences(
  deps: AppDeps,
  actor: Actor,
): Promise<NotificationPreferences> {
  authorize(actor, "me.update");
  const h = await deps.db
    .selectFrom("holders")
    .select(["notifyChannels", "email", "preferredLanguage"])
    .where("id", "=", actor.id)
    .executeTakeFirst();
  if (!h) throw new AppError("NOT_FOUND");
  return { channels: parseChannels(h.notifyChannels), email: h.email, language: h.preferredLanguage };
}

export async function updateNotificationPreferences(
  deps: AppDeps,
  actor: Actor,
  input: z.infer<typeof notificationPreferencesSchema>,
): Promise<NotificationPreferences> {
  authorize(actor, "me.update");
  return inTransaction(deps.db, async (tx) => {
    const h = await tx
      .selectFrom("holders")
      .select(["email", "preferredLanguage"])
      .where("id", "=", actor.id)
      .executeTakeFirst();
    if (!h) throw new AppError("NOT_FOUND");
    const email = input.email === undefined ? h.email : input.email;
    const channels = CHANNELS.filter((c) => input.channels.includes(c));
    if (channels.includes("email") && !email) throw new AppError("EMAIL_REQUIRED");
    await tx
      .updateTable("holders")
      .set({ notifyChannels: channels.join(","), email })
      .where("id", "=", actor.id)
      .execute();
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "holder",
      entityId: actor.id,
      applicationId: null,
      action: "holder.notification_preferences",
      actorType: actor.type,
      actorId: actor.id,
      // The address itself stays out of the append-only trail.
      after: { channels, email: email ? "set" : "none" },
      at: deps.clock.now().toISOString(),
    });
    return { channels, email, language: h.preferredLanguage };
  });
}
