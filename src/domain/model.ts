/**
 * The cancellation model of product.md §4, as plain values. Nothing here does I/O.
 */

export const CARD_FAMILIES = ["smart_card", "sim"] as const;
export type CardFamily = (typeof CARD_FAMILIES)[number];

export const SMART_CARD_KINDS = [
  "bank_debit",
  "bank_credit",
  "transit",
  "social_security",
  "access",
] as const;
export const SIM_KINDS = ["physical", "esim"] as const;
export const CARD_KINDS = [...SMART_CARD_KINDS, ...SIM_KINDS] as const;
export type CardKind = (typeof CARD_KINDS)[number];

export function familyOf(kind: CardKind): CardFamily {
  return (SIM_KINDS as readonly string[]).includes(kind) ? "sim" : "smart_card";
}

export const PROVIDER_KINDS = ["mobile_operator", "bank", "transit_issuer"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** `lost` and `suspended` are the abnormal states that block a cancellation until cleared. */
export const CARD_STATUSES = ["active", "lost", "suspended", "pending_cancellation", "cancelled"] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export const NUMBER_STATUSES = ["in_service", "quarantined", "released", "restored"] as const;
export type NumberStatus = (typeof NUMBER_STATUSES)[number];

export const DESTROYED_HOW = ["destroyed", "returned", "profile_deleted", "declared"] as const;
export type DestroyedHow = (typeof DESTROYED_HOW)[number];
/** What became of a physical card when its application was filed at a counter. */
export const COUNTER_DISPOSITIONS = ["destroyed", "returned"] as const;
export type CounterDisposition = (typeof COUNTER_DISPOSITIONS)[number];

export const ID_TYPES = [
  "resident_id",
  "passport",
  "hk_macao_permit",
  "taiwan_permit",
  "foreign_permanent",
] as const;
export type IdType = (typeof ID_TYPES)[number];

export const LOCK_IN_KINDS = ["contract", "premium_number", "handset_subsidy"] as const;
export type LockInKind = (typeof LOCK_IN_KINDS)[number];

/** How a dependant relates to the card it depends on. */
export const DEPENDANT_RELATIONS = ["secondary", "supplementary"] as const;
export type DependantRelation = (typeof DEPENDANT_RELATIONS)[number];

export const BALANCE_OPTIONS = ["refund", "transfer", "spend", "forfeit"] as const;
export type BalanceOption = (typeof BALANCE_OPTIONS)[number];

export const TIMINGS = ["immediate", "end_of_cycle", "date"] as const;
export type Timing = (typeof TIMINGS)[number];

export const CHANNELS = ["online", "counter"] as const;
export type Channel = (typeof CHANNELS)[number];

/** How an application came in: the holder online, staff at a counter, a provider system, or the arrears ladder. */
export const APPLICATION_CHANNELS = ["online", "counter", "api", "involuntary"] as const;

/** Money on a card's account, all in fen (integer minor units). */
export interface AccountMoney {
  /** Cash balance the holder paid in; refundable or transferable where rules allow. */
  balanceFen: number;
  /** Promotional balance: never refundable. */
  giftedBalanceFen: number;
  /** Deposit returned when the physical card is returned (transit cards). */
  depositFen: number;
  /** Billed and unpaid. */
  arrearsFen: number;
  /** Charges incurred but not billed yet (e.g. international roaming). */
  unbilledFen: number;
  /** Credit-card outstanding debt. */
  debtFen: number;
  /** Remaining instalments on a credit card. */
  instalmentsFen: number;
  /** Credit-card overpayment (溢缴款) the holder must withdraw or have refunded. */
  overpaymentFen: number;
  /** Unpaid annual fee. */
  annualFeeDueFen: number;
}

export const ZERO_MONEY: AccountMoney = Object.freeze({
  balanceFen: 0,
  giftedBalanceFen: 0,
  depositFen: 0,
  arrearsFen: 0,
  unbilledFen: 0,
  debtFen: 0,
  instalmentsFen: 0,
  overpaymentFen: 0,
  annualFeeDueFen: 0,
});

export interface LockIn {
  kind: LockInKind;
  /** ISO date (YYYY-MM-DD) the agreement ends, in the provider's time zone. */
  termEnd: string;
  terminationFeeFen: number;
}

/** Another card or product that must go before this card does. */
export interface Dependant {
  cardId: string;
  relation: DependantRelation;
  label: string;
  status: CardStatus;
}

/**
 * Everything eligibility needs to know about one card, gathered by the app layer.
 */
export interface CardSnapshot {
  id: string;
  providerId: string;
  family: CardFamily;
  kind: CardKind;
  status: CardStatus;
  /** Real-name registration done for this card/number. */
  realNameVerified: boolean;
  holder: {
    idType: IdType;
    isMinor: boolean;
  };
  money: AccountMoney;
  lockIns: LockIn[];
  /** Cards that depend on this one (secondary cards of a family plan, supplementary credit cards). */
  dependants: Dependant[];
  /** This card is a secondary or supplementary card of another card. */
  parentCardId: string | null;
  /** Bundled product (融合宽带) still active on this number, by name. */
  bundle: string | null;
  /** Group account (集团号) this number belongs to, by name. */
  groupName: string | null;
  /** Part of a family plan, as primary or secondary. */
  familyPlan: boolean;
  /** Open (not terminal) application on the card, if any. */
  openApplicationNumber: string | null;
  /** Application that cancelled the card, if any. */
  cancelledByApplicationNumber: string | null;
}
