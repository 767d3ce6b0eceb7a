/**
 * Numbers whose quarantine (号码冷冻期) has ended are released on the network and may be reissued.
 * Each release is its own call with its own key, so a crash half-way through resumes cleanly.
 */
import { appendAudit } from "../../db/audit-repository.js";
import { inTransaction } from "../../db/connect.js";
import { findProvider } from "../../db/providers-repository.js";
import type { AppDeps } from "../context.js";

export async function releaseQuarantinedNumbers(deps: AppDeps): Promise<number> {
  const now = deps.clock.now().toISOString();
  const due = await deps.db
    .selectFrom("cards")
    .selectAll()
    .where("numberStatus", "=", "quarantined")
    .where("quarantineUntil", "<=", now)
    .orderBy("quarantineUntil")
    .limit(500)
    .execute();
  for (const card of due) {
    if (!card.msisdn) continue;
    const provider = await findProvider(deps.db, card.providerId);
    await deps.providers.network.releaseNumber(
      { idempotencyKey: `${card.id}:release:${card.quarantineUntil}`, providerCode: provider?.code ?? "" },
      card.msisdn,
    );
    await inTransaction(deps.db, async (tx) => {
      const r = await tx
        .updateTable("cards")
        .set({ numberStatus: "released", updatedAt: now })
        .where("id", "=", card.id)
        .where("numberStatus", "=", "quarantined")
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return;
      await appendAudit(tx, {
        id: deps.ids.id("evt"),
        entityType: "card",
        entityId: card.id,
        applicationId: null,
        action: "number.release",
        actorType: "system",
        actorId: "scheduler",
        before: { numberStatus: "quarantined" },
        after: { numberStatus: "released" },
        at: now,
      });
    });
  }
  return due.length;
}
