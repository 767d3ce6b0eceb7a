/**
 * The provider has cancelled the card: the card becomes `cancelled`, and a SIM's number enters
 * quarantine for the provider's number of days (号码冷冻期) before it may be reissued.
 */
import { setCardStatus } from "../db/cards-repository.js";
import { findProvider, rulesOf } from "../db/providers-repository.js";
import type { ApplicationRow } from "../db/schema.js";
import { issueReceipt } from "../receipts/issue-receipt.js";
import type { Actor, AppDeps } from "./context.js";
import { AppError } from "./errors.js";
import { runTransition } from "./transition.js";

export async function completeApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string; comment?: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, {
    transition: "complete",
    action: "application.complete",
    applicationId: input.applicationId,
    comment: input.comment ?? null,
    prepare: () => ({ completedAt: deps.clock.now().toISOString() }),
    after: async (tx, _before, after, known) => {
      const now = deps.clock.now();
      const card = await tx
        .selectFrom("cards")
        .select(["family"])
        .where("id", "=", after.cardId)
        .executeTakeFirstOrThrow();
      const provider = await findProvider(tx, after.providerId);
      const quarantineDays = provider ? rulesOf(provider).rules.quarantineDays.value : 90;
      const sim =
        card.family === "sim"
          ? {
              numberStatus: "quarantined",
              quarantineUntil: new Date(now.getTime() + quarantineDays * 86_400_000).toISOString(),
            }
          : {};
      known.provider = provider;
      known.card = await setCardStatus(
        tx,
        after.cardId,
        ["pending_cancellation"],
        { status: "cancelled", cancelledAt: now.toISOString(), ...sim },
        now.toISOString(),
      );
      if (!known.card) throw new AppError("CONCURRENT_UPDATE", { cardId: after.cardId });
      await issueReceipt(deps, tx, after, "certificate", known);
    },
    notify: { template: "completed" },
  });
}
