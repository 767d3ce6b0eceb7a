/**
 * Submit a draft. Everything is checked here, before the application is accepted, so that a typo
 * does not cost the holder a week (product.md §2): eligibility now, channel, backup done or waived,
 * unbinding resolved, balance choice, timing. The card moves to pending_cancellation in the same
 * transaction.
 */
import { findCard, setCardStatus } from "../db/cards-repository.js";
import type { Tx } from "../db/connect.js";
import type { ApplicationPatch, ApplicationRow, CardRow } from "../db/schema.js";
import { type Eligibility, evaluateEligibility } from "../domain/eligibility.js";
import { checkMobile } from "../domain/identifiers.js";
import type { BalanceOption, Timing } from "../domain/model.js";
import { addDaysIso, daysInMonth, zonedIsoDate } from "../domain/zoned-time.js";
import { issueReceipt } from "../receipts/issue-receipt.js";
import type { UnbindingItem } from "./application-input.js";
import type { Actor, AppDeps } from "./context.js";
import { requiredDocuments } from "./documents/required-documents.js";
import { AppError } from "./errors.js";
import { type CardContext, loadCardContext } from "./evaluate-card.js";
import type { KnownParties } from "./parties.js";
import { runTransition, type TransitionSpec } from "./transition.js";

export async function submitApplication(
  deps: AppDeps,
  actor: Actor,
  input: { applicationId: string },
): Promise<ApplicationRow> {
  return runTransition(deps, actor, submitSpec(deps, actor, input.applicationId));
}

/**
 * For callers already inside a transaction (create with `submit: true`). `lockedCard`: the
 * application's card, read under its family's lock in this transaction and unchanged since.
 */
export async function submitInTransaction(
  deps: AppDeps,
  tx: Tx,
  actor: Actor,
  applicationId: string,
  lockedCard?: CardRow,
): Promise<ApplicationRow> {
  return runTransition({ ...deps, db: tx }, actor, submitSpec(deps, actor, applicationId, lockedCard));
}

function submitSpec(
  deps: AppDeps,
  actor: Actor,
  applicationId: string,
  lockedCard?: CardRow,
): TransitionSpec {
  return {
    transition: "submit",
    action: "application.submit",
    applicationId,
    lockedCard,
    notify: {
      template: "submitted",
      params: (a: ApplicationRow) => ({ due: (a.dueAt ?? "").slice(0, 10) }),
    },
    prepare: async (tx: Tx, app: ApplicationRow, known: KnownParties): Promise<ApplicationPatch> => {
      const card = known.card?.id === app.cardId ? known.card : await findCard(tx, app.cardId);
      if (!card) throw new Error(`application ${app.id} has no card`);
      const ctx = await loadCardContext(tx, card);
      Object.assign(known, { card, holder: ctx.holder, provider: ctx.provider });
      const now = deps.clock.now();
      // The application's own open status must not count against it.
      const snapshot = { ...ctx.snapshot, openApplicationNumber: null };
      const eligibility = evaluateEligibility(snapshot, ctx.rules, now, { proxy: app.proxy === 1 });
      checkSubmission(app, ctx, eligibility, actor);
      // At a counter staff see the originals; online, copies must be uploaded.
      if (actor.type === "holder") {
        const { missing } = await requiredDocuments(tx, app);
        if (missing.length > 0) throw new AppError("DOCUMENTS_REQUIRED", { missing });
      }
      const dates = cancellationDates(app.timing as Timing, app.requestedDate, now, ctx.provider.timeZone);
      const slaDays = ctx.rules.rules.slaDays.value;
      return {
        channel: actor.type === "staff" ? "counter" : app.channel,
        eligibilityJson: JSON.stringify(eligibility),
        requestedDate: dates.requested,
        serviceEndDate: dates.serviceEnd,
        billingEndDate: dates.billingEnd,
        submittedAt: now.toISOString(),
        dueAt: new Date(now.getTime() + slaDays * 86_400_000).toISOString(),
      };
    },
    after: async (tx: Tx, _before: ApplicationRow, after: ApplicationRow, known: KnownParties) => {
      const card = await setCardStatus(
        tx,
        after.cardId,
        ["active"],
        { status: "pending_cancellation" },
        deps.clock.now().toISOString(),
      );
      if (!card)
        throw new AppError("CARD_NOT_ELIGIBLE", { cardId: after.cardId, reason: "card is not active" });
      known.card = card;
      await issueReceipt(deps, tx, after, "receipt", known);
    },
  };
}

function checkSubmission(
  app: ApplicationRow,
  ctx: CardContext,
  eligibility: Eligibility,
  actor: Actor,
): void {
  if (!eligibility.eligible) {
    throw new AppError("CARD_NOT_ELIGIBLE", {
      findings: eligibility.findings.filter((f) => f.severity === "blocker"),
    });
  }
  // At a counter staff handle the cases that cannot go online; online they must go to a counter.
  if (actor.type === "holder" && !eligibility.onlineAllowed) {
    throw new AppError("COUNTER_REQUIRED", {
      findings: eligibility.findings.filter((f) => f.severity === "counter"),
    });
  }
  if (app.backupStatus !== "done" && app.backupStatus !== "waived") throw new AppError("BACKUP_REQUIRED");
  if (ctx.card.family === "sim") {
    const items = JSON.parse(app.unbindingJson) as UnbindingItem[];
    const pending = items.filter((i) => i.state === "pending").map((i) => i.bindingId);
    if (pending.length > 0) throw new AppError("UNBINDING_INCOMPLETE", { pending });
  }
  const options = ctx.rules.rules.balanceOptions.value;
  if (eligibility.money.refundableFen > 0) {
    if (!app.balanceOption)
      throw new AppError("BALANCE_OPTION_REQUIRED", {
        refundableFen: eligibility.money.refundableFen,
        options,
      });
  }
  if (app.balanceOption) {
    if (!options.includes(app.balanceOption as BalanceOption))
      throw new AppError("BALANCE_OPTION_NOT_ALLOWED", { option: app.balanceOption, options });
    if (app.balanceOption === "transfer") {
      const target = app.transferTo ? checkMobile(app.transferTo) : null;
      if (!target?.ok || target.value === ctx.card.msisdn)
        throw new AppError("TRANSFER_TARGET_INVALID", { transferTo: app.transferTo });
    }
  }
  if (!ctx.rules.rules.timings.value.includes(app.timing as Timing)) {
    throw new AppError("TIMING_NOT_ALLOWED", { timing: app.timing, options: ctx.rules.rules.timings.value });
  }
}

/**
 * Requested, service-end and billing-end dates in the provider's calendar: immediate ends today;
 * end of cycle ends on the last day of this month (the common 次月 practice); a chosen date must
 * not be in the past.
 */
export function cancellationDates(timing: Timing, requested: string | null, now: Date, timeZone: string) {
  const today = zonedIsoDate(now, timeZone);
  if (timing === "immediate") return { requested: today, serviceEnd: today, billingEnd: today };
  if (timing === "end_of_cycle") {
    const [y, m] = today.split("-").map(Number) as [number, number];
    const last = `${today.slice(0, 8)}${String(daysInMonth(y, m)).padStart(2, "0")}`;
    return { requested: today, serviceEnd: last, billingEnd: last };
  }
  if (!requested || requested < today || requested > addDaysIso(today, 365)) {
    throw new AppError("TIMING_NOT_ALLOWED", { timing, requestedDate: requested, earliest: today });
  }
  return { requested, serviceEnd: requested, billingEnd: requested };
}
