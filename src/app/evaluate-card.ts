/**
 * Eligibility for one card as the actor may see it: the snapshot from the database, the
 * provider's rules, the clock — then the pure domain decides.
 */
import { findOpenApplicationForCard } from "../db/applications-repository.js";
import { loadCardSnapshot } from "../db/cards-repository.js";
import type { DbOrTx } from "../db/connect.js";
import { findHolder } from "../db/holders-repository.js";
import { findProvider, rulesOf } from "../db/providers-repository.js";
import type { ApplicationRow, CardRow, HolderRow, ProviderRow } from "../db/schema.js";
import { type Eligibility, type EligibilityOptions, evaluateEligibility } from "../domain/eligibility.js";
import type { CardSnapshot } from "../domain/model.js";
import type { ProviderRules } from "../domain/rules.js";
import { loadVisibleCard } from "./access.js";
import { type Actor, type AppDeps, authorize } from "./context.js";

export interface CardContext {
  card: CardRow;
  holder: HolderRow;
  provider: ProviderRow;
  rules: ProviderRules;
  snapshot: CardSnapshot;
}

export async function loadCardContext(db: DbOrTx, card: CardRow): Promise<CardContext> {
  const [holder, provider] = await Promise.all([
    findHolder(db, card.holderId),
    findProvider(db, card.providerId),
  ]);
  if (!holder || !provider) throw new Error(`card ${card.id} has no holder or provider`);
  const snapshot = await loadCardSnapshot(db, card, holder);
  return { card, holder, provider, rules: rulesOf(provider), snapshot };
}

/**
 * The holder's own open application is what they are working on, not a blocker: evaluated on its
 * behalf, the card does not report APPLICATION_OPEN (or PENDING_CANCELLATION) for it. Staff still
 * see APPLICATION_OPEN, which tells them someone is already on the card.
 */
export function ownApplicationOption(actor: Actor, open: ApplicationRow | null): EligibilityOptions {
  return actor.type === "holder" && open ? { forApplicationNumber: open.number } : {};
}

export async function evaluateCard(
  deps: AppDeps,
  actor: Actor,
  input: { cardId: string; proxy?: boolean },
): Promise<{ context: CardContext; eligibility: Eligibility; openApplication: ApplicationRow | null }> {
  authorize(actor, "eligibility.read");
  const card = await loadVisibleCard(deps.db, actor, input.cardId);
  const [context, open] = await Promise.all([
    loadCardContext(deps.db, card),
    findOpenApplicationForCard(deps.db, card.id),
  ]);
  const openApplication = open ?? null;
  const eligibility = evaluateEligibility(context.snapshot, context.rules, deps.clock.now(), {
    proxy: input.proxy ?? false,
    ...ownApplicationOption(actor, openApplication),
  });
  return { context, eligibility, openApplication };
}
