/** The holder's cards, one card's details, and its eligibility with the journey checklist. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { UnbindingItem } from "../../app/application-input.js";
import type { AppDeps } from "../../app/context.js";
import { evaluateCard } from "../../app/evaluate-card.js";
import { listMyCards } from "../../app/list-my-cards.js";
import { findCancellingApplication } from "../../db/applications-repository.js";
import { listBindings } from "../../db/cards-repository.js";
import type { ApplicationRow, CardRow } from "../../db/schema.js";
import type { Eligibility } from "../../domain/eligibility.js";
import { journeyFor } from "../../domain/journey.js";
import type { CardFamily } from "../../domain/model.js";
import type { ApplicationStatus } from "../../domain/states.js";
import { requireActor } from "../auth.js";
import { presentApplication, presentCard, presentProvider } from "../presenters.js";

/**
 * The card's journey from its open application or, once the card is cancelled and nothing is
 * open, from the application that cancelled it: every step behind the holder, none offered again.
 */
export function journeyOf(
  card: CardRow,
  eligibility: Eligibility | null,
  app: ApplicationRow | null,
  bindingCount: number,
) {
  const unbinding = app ? (JSON.parse(app.unbindingJson) as UnbindingItem[]) : [];
  const cancelled = card.status === "cancelled";
  return journeyFor(card.family as CardFamily, {
    // ALREADY_CANCELLED is not something to clear: the card got where the journey leads.
    eligible: cancelled ? true : eligibility ? eligibility.eligible : null,
    backup: (app?.backupStatus ?? "pending") as "pending" | "done" | "waived",
    unbinding: { total: bindingCount, resolved: unbinding.filter((u) => u.state !== "pending").length },
    balanceChosen: Boolean(app?.balanceOption),
    hasBalance: (eligibility?.money.refundableFen ?? 0) > 0,
    applicationStatus: (app?.status ?? null) as ApplicationStatus | null,
    destroyed: card.destroyedAt !== null,
    cardCancelled: cancelled,
  });
}

export function cardRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/me/cards",
      {
        schema: {
          tags: ["cards"],
          summary: "Every card and number the signed-in holder has, with eligibility",
        },
      },
      async (req) => {
        const actor = await requireActor(deps, req);
        const cards = await listMyCards(deps, actor);
        const items = [];
        for (const c of cards) {
          const bindings = await listBindings(deps.db, c.card.id);
          items.push({
            card: presentCard(c.card, actor),
            provider: presentProvider(c.provider),
            eligibility: c.eligibility,
            openApplication: c.openApplication ? presentApplication(c.openApplication) : null,
            cancelledBy: c.cancelledBy ? presentApplication(c.cancelledBy) : null,
            journey: journeyOf(c.card, c.eligibility, c.openApplication ?? c.cancelledBy, bindings.length),
          });
        }
        return { items };
      },
    );

    app.get(
      "/cards/:id/eligibility",
      {
        schema: {
          tags: ["cards"],
          summary: "Every blocker for cancelling a card, with explanations and what clears them",
          params: z.object({ id: z.string().max(100) }),
          querystring: z
            .object({ proxy: z.enum(["true", "false"]).optional(), lang: z.enum(["zh-CN", "en"]).optional() })
            .strict(),
        },
      },
      async (req) => {
        const actor = await requireActor(deps, req);
        const {
          context,
          eligibility,
          openApplication: open,
        } = await evaluateCard(deps, actor, {
          cardId: req.params.id,
          proxy: req.query.proxy === "true",
        });
        const [cancelling, bindings] = await Promise.all([
          context.card.status === "cancelled" && !open
            ? findCancellingApplication(deps.db, context.card.id)
            : undefined,
          listBindings(deps.db, context.card.id),
        ]);
        const cancelledBy = cancelling ?? null;
        const rule = context.rules.rules;
        return {
          card: presentCard(context.card, actor),
          provider: presentProvider(context.provider),
          eligibility,
          journey: journeyOf(context.card, eligibility, open ?? cancelledBy, bindings.length),
          bindings: bindings.map((b) => ({
            id: b.id,
            service: b.service,
            category: b.category,
            nameZh: b.nameZh,
            nameEn: b.nameEn,
          })),
          money: context.snapshot.money,
          lockIns: context.snapshot.lockIns,
          dependants: context.snapshot.dependants,
          openApplication: open ? presentApplication(open) : null,
          cancelledBy: cancelledBy ? presentApplication(cancelledBy) : null,
          rules: {
            slaDays: rule.slaDays,
            quarantineDays: rule.quarantineDays,
            serviceWindow: rule.serviceWindow,
            monthEndCutoff: rule.monthEndCutoff,
          },
        };
      },
    );
  };
}
