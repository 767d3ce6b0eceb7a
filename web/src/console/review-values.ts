/** Small helpers the review screen's parts share. */

/** Statuses in which the pipeline is moving, so the screen polls faster. */
export const MOVING = ["approved", "processing"];

/** A value, or a dash where there is none. */
export function none(v: unknown): string {
  return v === null || v === undefined || v === "" ? "—" : String(v);
}

/**
 * Who received a ledger entry's money, in words: the holder ("holder", or "holder (at the
 * counter)" for a deposit handed back in person), or the number a balance was transferred to.
 */
export function counterpartyText(cp: string | null, t: (key: string, o?: Record<string, unknown>) => string) {
  if (cp === null || cp === "") return none(cp);
  if (cp === "holder") return t("processing.counterpartyOf.holder");
  if (cp === "holder (at the counter)") return t("processing.counterpartyOf.holderAtCounter");
  return t("processing.counterpartyOf.number", { number: cp });
}
