/**
 * Every card and number the signed-in holder has (like 一证通查), each with its eligibility and
 * its open application, so the holder sees at once what can be cancelled and what blocks it.
 */
import { findCancellingApplication, findOpenApplicationForCard } from "../db/applications-repository.js";
import { listCardsOfHolder } from "../db/cards-repository.js";
import type { ApplicationRow, CardRow, ProviderRow } from "../db/schema.js";
import { type Eligibility, evaluateEligibility } from "../domain/eligibility.js";
import { type Actor, type AppDeps, authorize } from "./context.js";
import { AppError } from "./errors.js";
import { loadCardContext, ownApplicationOption } from "./evaluate-card.js";

export interface MyCard {
  card: CardRow;
  provider: ProviderRow;
  eligibility: Eligibility | null;
  openApplication: ApplicationRow | null;
  /** For a cancelled card with nothing open: the application that cancelled it (its certificate). */
  cancelledBy: ApplicationRow | null;
}

export async function listMyCards(deps: AppDeps, actor: Actor): Promise<MyCard[]> {
  authorize(actor, "card.list_own");
  if (actor.type !== "holder") throw new AppError("FORBIDDEN", { action: "card.list_own" });
  const cards = await listCardsOfHolder(deps.db, actor.id);
  const now = deps.clock.now();
  const out: MyCard[] = [];
  for (const card of cards) {
    const ctx = await loadCardContext(deps.db, card);
    const open = (await findOpenApplicationForCard(deps.db, card.id)) ?? null;
    // A cancelled card has nothing left to evaluate; its own application is not a blocker.
    const eligibility =
      card.status === "cancelled"
        ? null
        : evaluateEligibility(ctx.snapshot, ctx.rules, now, ownApplicationOption(actor, open));
    const cancelledBy =
      card.status === "cancelled" && !open
        ? ((await findCancellingApplication(deps.db, card.id)) ?? null)
        : null;
    out.push({ card, provider: ctx.provider, eligibility, openApplication: open, cancelledBy });
  }
  return out;
}
