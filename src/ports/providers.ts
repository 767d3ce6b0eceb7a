/**
 * Ports to the provider's own systems (product.md §5.3). Every mutating call carries an
 * idempotency key: a provider system that sees the same key twice must answer with the first
 * result and do nothing again, which is what lets our pipeline retry a step safely.
 */

export interface ProviderCallContext {
  /** Unique per application and step: `${applicationId}:${step}`. */
  idempotencyKey: string;
  providerCode: string;
}

export interface AccountRef {
  cardId: string;
  /** MSISDN for SIMs, masked card number or card id for smart cards. */
  accountNumber: string;
}

export interface FinalBill {
  /** Charges not billed before (roaming and the like) that the final bill adds, in fen. */
  unbilledFen: number;
  billRef: string;
}

export interface Billing {
  finalBill(ctx: ProviderCallContext, account: AccountRef): Promise<FinalBill>;
  arrears(ctx: ProviderCallContext, account: AccountRef): Promise<{ arrearsFen: number }>;
  /** Pays an amount out of the account: to the holder (refund) or to another number (transfer). */
  payOut(
    ctx: ProviderCallContext,
    account: AccountRef,
    movement: { kind: "refund" | "transfer"; amountFen: number; transferTo?: string },
  ): Promise<{ ref: string }>;
}

export interface Crm {
  blockCard(ctx: ProviderCallContext, account: AccountRef): Promise<{ ref: string }>;
  closeAccount(
    ctx: ProviderCallContext,
    account: AccountRef,
    stage: "pre_close" | "close",
  ): Promise<{ ref: string }>;
}

export interface Network {
  barLine(ctx: ProviderCallContext, msisdn: string): Promise<{ ref: string }>;
  forceDeregister(ctx: ProviderCallContext, msisdn: string): Promise<{ ref: string }>;
  removeSubscription(
    ctx: ProviderCallContext,
    msisdn: string,
    iccid: string | null,
  ): Promise<{ ref: string }>;
  quarantineNumber(ctx: ProviderCallContext, msisdn: string, until: string): Promise<{ ref: string }>;
  releaseNumber(ctx: ProviderCallContext, msisdn: string): Promise<{ ref: string }>;
  restoreNumber(ctx: ProviderCallContext, msisdn: string): Promise<{ ref: string }>;
}

export interface Esim {
  /** Asks the SM-DP+ (ES2+) to mark the profile as no longer downloadable/reusable. */
  retireProfile(ctx: ProviderCallContext, iccid: string, eid: string | null): Promise<{ ref: string }>;
}

export interface ProviderSystems {
  billing: Billing;
  crm: Crm;
  network: Network;
  esim: Esim;
}

/** A provider system's answer that is worth retrying (timeouts, 5xx) versus a final refusal. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly system: string,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
