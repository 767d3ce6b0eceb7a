/**
 * The processing pipeline's steps per card (issue: final bill → arrears → settlement → network or
 * card steps → certificate → notify). Order matters: a line is barred before it is deregistered,
 * a card is blocked before its account is closed.
 */
import type { CardFamily, CardKind } from "./model.js";

export const PROCESSING_STEPS = [
  "final_bill",
  "arrears_check",
  "settle_balance",
  "bar_line",
  "deregister",
  "remove_subscription",
  "retire_profile",
  "quarantine_number",
  "block_card",
  "pre_close_account",
  "close_account",
] as const;
export type ProcessingStep = (typeof PROCESSING_STEPS)[number];

export function processingPlan(card: {
  family: CardFamily | string;
  kind: CardKind | string;
}): ProcessingStep[] {
  const money: ProcessingStep[] = ["final_bill", "arrears_check", "settle_balance"];
  if (card.family === "sim") {
    const esim: ProcessingStep[] = card.kind === "esim" ? ["retire_profile"] : [];
    return [...money, "bar_line", "deregister", "remove_subscription", ...esim, "quarantine_number"];
  }
  // Credit cards are pre-closed, then closed after the provider's wait (45 days by default), so
  // that late transactions and refunds can still land.
  const close: ProcessingStep[] =
    card.kind === "bank_credit" ? ["pre_close_account", "close_account"] : ["close_account"];
  return [...money, "block_card", ...close];
}

/** Ledger kinds: each happens at most once per application. Positive amounts, in fen. */
export const LEDGER_KINDS = [
  "final_bill",
  "offset",
  "refund",
  "transfer",
  "forfeit",
  "gifted_forfeit",
  "collections",
  "deposit_refund",
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface SettlementInput {
  /** Cash balance plus overpayment: the holder's own money. */
  ownFen: number;
  giftedFen: number;
  /** Arrears after the final bill, plus any early-termination fee. */
  dueFen: number;
  option: "refund" | "transfer" | "spend" | "forfeit" | null;
  /** Provider-initiated cancellation: what cannot be offset goes to collections instead of blocking. */
  involuntary: boolean;
}

export type Settlement =
  | { ok: true; movements: Array<{ kind: LedgerKind; amountFen: number }> }
  | { ok: false; shortfallFen: number };

/**
 * How the money on a cancelled account ends. Conserves it: every fen of own money is offset
 * against what is due, paid out, or forfeited; gifted balance is always forfeited.
 */
export function settle(input: SettlementInput): Settlement {
  const offset = Math.min(input.ownFen, input.dueFen);
  const shortfall = input.dueFen - offset;
  if (shortfall > 0 && !input.involuntary) return { ok: false, shortfallFen: shortfall };
  const movements: Array<{ kind: LedgerKind; amountFen: number }> = [];
  if (offset > 0) movements.push({ kind: "offset", amountFen: offset });
  if (shortfall > 0) movements.push({ kind: "collections", amountFen: shortfall });
  const rest = input.ownFen - offset;
  if (rest > 0) {
    const kind: LedgerKind =
      input.option === "refund" ? "refund" : input.option === "transfer" ? "transfer" : "forfeit";
    movements.push({ kind, amountFen: rest });
  }
  if (input.giftedFen > 0) movements.push({ kind: "gifted_forfeit", amountFen: input.giftedFen });
  return { ok: true, movements };
}
