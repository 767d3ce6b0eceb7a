/**
 * Eligibility for one card as the actor may see it: the snapshot from the database, the
 * provider's rules, the clock — then the pure domain decides.
 */
import { findOpenApplicationForCard } from "../db/applications-repository.js";
import { cardSnapshot, snapshotReads, snapshotRows } from "../db/cards-repository.js";
import type { DbOrTx } from "../db/connect.js";
import { holderRead } from "../db/holders-repository.js";
import { together } from "../db/prepared.js";
import { providerRead, rulesOf } from "../db/providers-repository.js";
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
  // All six reads at once: one round trip on PostgreSQL.
  const [[holder], [provider], ...rows] = await together(db, [
    holderRead(card.holderId),
    providerRead(card.providerId),
    ...snapshotReads(card.id),
  ]);
  if (!holder || !provider) throw new Error(`card ${card.id} has no holder or provider`);
  const snapshot = cardSnapshot(card, holder, snapshotRows(rows));
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
