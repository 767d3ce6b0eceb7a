/**
 * A week before a cancelled SIM's number leaves quarantine (号码冷冻期), its former holder is told
 * once that this is the last chance to restore it. Run by the scheduler; the message key names the
 * quarantine's end, so hourly runs (and several workers) send it once.
 */
import type { AppDeps } from "../app/context.js";
import { findCancellingApplication } from "../db/applications-repository.js";
import { inTransaction } from "../db/connect.js";
import { findProvider } from "../db/providers-repository.js";
import { maskPhone } from "../domain/masking.js";
import { zonedIsoDate } from "../domain/zoned-time.js";
import { enqueueNotifications } from "./outbox.js";

export const QUARANTINE_NOTICE_DAYS = 7;

export async function notifyQuarantineEnding(deps: AppDeps): Promise<number> {
  const now = deps.clock.now();
  const horizon = new Date(now.getTime() + QUARANTINE_NOTICE_DAYS * 86_400_000).toISOString();
  const cards = await deps.db
    .selectFrom("cards")
    .selectAll()
    .where("numberStatus", "=", "quarantined")
    .where("quarantineUntil", ">", now.toISOString())
    .where("quarantineUntil", "<=", horizon)
    .limit(500)
    .execute();
  for (const card of cards) {
    if (!card.msisdn || !card.quarantineUntil) continue;
    const until = card.quarantineUntil;
    await inTransaction(deps.db, async (tx) => {
      const app = await findCancellingApplication(tx, card.id);
      if (!app) return;
      const provider = await findProvider(tx, card.providerId);
      await enqueueNotifications(
        deps,
        tx,
        app,
        "quarantine_ending",
        {
          msisdn: maskPhone(card.msisdn ?? ""),
          until: zonedIsoDate(new Date(until), provider?.timeZone ?? "Asia/Shanghai"),
        },
        { occurrence: `until-${until}`, known: { provider } },
      );
    });
  }
  return cards.length;
}
