/**
 * What each processing step does against the provider systems. Every call carries an idempotency
 * key unique to the application and step, so a step retried after a lost reply changes nothing on
 * the provider's side; the money it moves is written to the ledger, once per kind.
 */
import type { Tx } from "../../db/connect.js";
import type { ApplicationRow, CardRow } from "../../db/schema.js";
import type { Eligibility } from "../../domain/eligibility.js";
import { type LedgerKind, type ProcessingStep, settle } from "../../domain/processing.js";
import type { ProviderRules } from "../../domain/rules.js";
import { type AccountRef, ProviderError, type ProviderSystems } from "../../ports/providers.js";
import type { AppDeps } from "../context.js";

export interface StepContext {
  deps: AppDeps;
  app: ApplicationRow;
  card: CardRow;
  rules: ProviderRules;
  providerCode: string;
  now: Date;
}

export type StepOutcome =
  | {
      kind: "done";
      result: Record<string, unknown>;
      ledger?: Array<{
        kind: LedgerKind;
        amountFen: number;
        counterparty?: string | null;
        ref?: string | null;
      }>;
      apply?: (tx: Tx) => Promise<void>;
    }
  | { kind: "wait"; until: string; result: Record<string, unknown> };

function account(card: CardRow): AccountRef {
  return { cardId: card.id, accountNumber: card.msisdn ?? card.cardNumberMasked ?? card.id };
}

function key(
  c: StepContext,
  step: ProcessingStep,
  part = "",
): { idempotencyKey: string; providerCode: string } {
  return { idempotencyKey: `${c.app.id}:${step}${part ? `:${part}` : ""}`, providerCode: c.providerCode };
}

function msisdnOf(card: CardRow): string {
  if (!card.msisdn) throw new ProviderError(`card ${card.id} has no MSISDN`, false, "network");
  return card.msisdn;
}

async function accountMoney(c: StepContext) {
  const a = await c.deps.db
    .selectFrom("accounts")
    .selectAll()
    .where("cardId", "=", c.card.id)
    .executeTakeFirst();
  return {
    own: Number(a?.balanceFen ?? 0) + Number(a?.overpaymentFen ?? 0),
    gifted: Number(a?.giftedBalanceFen ?? 0),
    arrears: Number(a?.arrearsFen ?? 0),
  };
}

export async function runStep(
  step: ProcessingStep,
  c: StepContext,
  p: ProviderSystems,
): Promise<StepOutcome> {
  switch (step) {
    case "final_bill": {
      const bill = await p.billing.finalBill(key(c, step), account(c.card));
      return {
        kind: "done",
        result: { billRef: bill.billRef, unbilledFen: bill.unbilledFen },
        ledger:
          bill.unbilledFen > 0
            ? [{ kind: "final_bill", amountFen: bill.unbilledFen, ref: bill.billRef }]
            : [],
        // Billed now: the unbilled charges become arrears on our copy of the account too.
        apply: async (tx) => {
          if (bill.unbilledFen > 0) {
            await tx
              .updateTable("accounts")
              .set((eb) => ({ arrearsFen: eb("arrearsFen", "+", bill.unbilledFen), unbilledFen: 0 }))
              .where("cardId", "=", c.card.id)
              .execute();
          }
        },
      };
    }
    case "arrears_check": {
      const { arrearsFen } = await p.billing.arrears(key(c, step), account(c.card));
      return { kind: "done", result: { arrearsFen } };
    }
    case "settle_balance": {
      const money = await accountMoney(c);
      const { arrearsFen } = await p.billing.arrears(key(c, step, "arrears"), account(c.card));
      const eligibility = c.app.eligibilityJson ? (JSON.parse(c.app.eligibilityJson) as Eligibility) : null;
      const fee = eligibility?.money.terminationFeeFen ?? 0;
      const involuntary = c.app.createdByType === "system" && c.app.channel === "involuntary";
      const s = settle({
        ownFen: money.own,
        giftedFen: money.gifted,
        dueFen: Math.max(arrearsFen, money.arrears) + fee,
        option: c.app.balanceOption as "refund" | "transfer" | "spend" | "forfeit" | null,
        involuntary,
      });
      if (!s.ok)
        throw new ProviderError(
          `arrears not covered by the balance: short by ${s.shortfallFen} fen`,
          false,
          "billing",
        );
      const ledger: Array<{
        kind: LedgerKind;
        amountFen: number;
        counterparty?: string | null;
        ref?: string | null;
      }> = [];
      for (const m of s.movements) {
        if (m.kind === "refund" || m.kind === "transfer") {
          const r = await p.billing.payOut(key(c, step, m.kind), account(c.card), {
            kind: m.kind,
            amountFen: m.amountFen,
            ...(m.kind === "transfer" && c.app.transferTo ? { transferTo: c.app.transferTo } : {}),
          });
          ledger.push({
            ...m,
            counterparty: m.kind === "transfer" ? c.app.transferTo : "holder",
            ref: r.ref,
          });
        } else {
          ledger.push(m);
        }
      }
      return {
        kind: "done",
        result: { movements: s.movements },
        ledger,
        apply: async (tx) => {
          await tx
            .updateTable("accounts")
            .set({
              balanceFen: 0,
              overpaymentFen: 0,
              giftedBalanceFen: 0,
              arrearsFen: 0,
              arrearsSince: null,
              updatedAt: c.now.toISOString(),
            })
            .where("cardId", "=", c.card.id)
            .execute();
        },
      };
    }
    case "bar_line":
      return { kind: "done", result: await p.network.barLine(key(c, step), msisdnOf(c.card)) };
    case "deregister":
      return { kind: "done", result: await p.network.forceDeregister(key(c, step), msisdnOf(c.card)) };
    case "remove_subscription":
      return {
        kind: "done",
        result: await p.network.removeSubscription(key(c, step), msisdnOf(c.card), c.card.iccid),
      };
    case "retire_profile": {
      if (!c.card.iccid) throw new ProviderError(`eSIM ${c.card.id} has no ICCID`, false, "esim");
      return { kind: "done", result: await p.esim.retireProfile(key(c, step), c.card.iccid, c.card.eid) };
    }
    case "quarantine_number": {
      const until = new Date(c.now.getTime() + c.rules.rules.quarantineDays.value * 86_400_000).toISOString();
      const r = await p.network.quarantineNumber(key(c, step), msisdnOf(c.card), until);
      return { kind: "done", result: { ...r, until } };
    }
    case "block_card":
      return { kind: "done", result: await p.crm.blockCard(key(c, step), account(c.card)) };
    case "pre_close_account": {
      const r = await p.crm.closeAccount(key(c, step), account(c.card), "pre_close");
      return { kind: "done", result: r };
    }
    case "close_account": {
      if (c.card.kind === "bank_credit") {
        // Wait the provider's days after pre-closing, so that late transactions can still land.
        const steps = await c.deps.db
          .selectFrom("processingSteps")
          .select("finishedAt")
          .where("applicationId", "=", c.app.id)
          .where("step", "=", "pre_close_account")
          .executeTakeFirst();
        const from = steps?.finishedAt ? Date.parse(steps.finishedAt) : c.now.getTime();
        const until = new Date(from + c.rules.rules.creditCloseWaitDays.value * 86_400_000);
        if (until.getTime() > c.now.getTime())
          return {
            kind: "wait",
            until: until.toISOString(),
            result: { waitingForDays: c.rules.rules.creditCloseWaitDays.value },
          };
      }
      return { kind: "done", result: await p.crm.closeAccount(key(c, step), account(c.card), "close") };
    }
  }
}
