/**
 * The demo data set (docs/demo.md) as plain values: seven holders, three staff accounts, and the
 * shape of the cards listed in demo-cards.ts. The cards are chosen so that every finding a card's
 * data can produce shows up on at least one of them, next to a happy path for every kind of card.
 *
 * Identifiers are hard-coded, not generated, so that docs and tests can name them; each one is a
 * valid number of its kind (checked by src/demo/seed.test.ts): GB 11643 ID numbers, mainland mobile
 * numbers, 20-digit Luhn ICCIDs, a MOD 97-10 EID, Luhn bank and transit card numbers. Any of them
 * may also belong to a real person: demo messages only ever go to the local outbox.
 */
import type {
  AccountMoney,
  CardKind,
  CardStatus,
  DependantRelation,
  DestroyedHow,
  IdType,
  LockInKind,
} from "../domain/model.js";
import type { StaffRole } from "../domain/policy.js";

/** Codes of the demo providers; each has a rules file `providers/<code>.json`. */
export const DEMO_PROVIDER_CODES = ["demo-mobile", "demo-bank", "demo-transit"] as const;
export type DemoProviderCode = (typeof DEMO_PROVIDER_CODES)[number];

export interface DemoHolder {
  id: string;
  name: string;
  idType: IdType;
  /** In clear only here: the seed stores it encrypted, hashed and masked. */
  idNumber: string;
  /** Registered phone: the holder signs in with it. */
  phone: string;
  preferredLanguage: "zh-CN" | "en";
  /** What signing in with this phone shows, for docs/demo.md and DEMO_PHONES. */
  description: string;
}

export interface DemoBinding {
  service: string;
  category: "payment" | "bank" | "government" | "travel" | "social";
  nameZh: string;
  nameEn: string;
}

export interface DemoLockIn {
  kind: LockInKind;
  /** Term end relative to the seed date, so that the agreement is still (or no longer) in force. */
  termEndInDays: number;
  terminationFeeFen: number;
}

export interface DemoCard {
  id: string;
  holderId: string;
  provider: DemoProviderCode;
  kind: CardKind;
  /** The holder's name for the card: never the full number. */
  label: string;
  /** Defaults to `active`. */
  status?: CardStatus;
  /** Defaults to true. */
  realNameVerified?: boolean;
  networkGeneration?: "4G" | "5G";
  msisdn?: string;
  iccid?: string;
  eid?: string;
  /** Bank or transit card number (stored encrypted, hashed and masked). */
  cardNumber?: string;
  money?: Partial<AccountMoney>;
  lockIns?: DemoLockIn[];
  bindings?: DemoBinding[];
  /** This card is a secondary/supplementary card of another demo card, listed before it. */
  parent?: { cardId: string; relation: DependantRelation };
  bundle?: string;
  groupName?: string;
  familyPlan?: boolean;
  /** Cancelled through a closed application; no audit events exist for it (only the app writes those). */
  cancelled?: { daysAgo: number; applicationNumber: string; destroyedHow: DestroyedHow };
}

export interface DemoStaff {
  username: string;
  displayName: string;
  role: StaffRole;
}

export const DEMO_HOLDERS: readonly DemoHolder[] = [
  {
    id: "hld_demo_zhang_wei",
    name: "张伟",
    idType: "resident_id",
    idNumber: "110105198503120012",
    phone: "13812348000",
    preferredLanguage: "zh-CN",
    description: "张伟: every happy path (SIM, eSIM, debit card online; transit card at a counter)",
  },
  {
    id: "hld_demo_li_na",
    name: "李娜",
    idType: "resident_id",
    idNumber: "310104199007210022",
    phone: "13916625801",
    preferredLanguage: "zh-CN",
    description:
      "李娜: blockers from money and card state (arrears, roaming, suspended, not real-name, annual fee)",
  },
  {
    id: "hld_demo_wang_fang",
    name: "王芳",
    idType: "resident_id",
    idNumber: "440106197811020249",
    phone: "13710853366",
    preferredLanguage: "zh-CN",
    description:
      "王芳: family plan with a secondary card, bundled broadband, a lost SIM, a credit-card overpayment",
  },
  {
    id: "hld_demo_liu_yang",
    name: "刘洋",
    idType: "resident_id",
    idNumber: "440305198205300135",
    phone: "18666042719",
    preferredLanguage: "zh-CN",
    description: "刘洋: credit cards only (debt, instalments, a primary card with a supplementary card)",
  },
  {
    id: "hld_demo_chen_jing",
    name: "陈静",
    idType: "resident_id",
    idNumber: "510107199509090469",
    phone: "13808868888",
    preferredLanguage: "zh-CN",
    description:
      "陈静: lock-ins (premium number, contract, handset subsidy), a group number, an old number already cancelled",
  },
  {
    id: "hld_demo_wang_xiaoming",
    name: "王小明",
    idType: "resident_id",
    idNumber: "330106201206010310",
    phone: "19857121608",
    preferredLanguage: "zh-CN",
    description:
      "王小明: a minor (born 2012): the SIM goes to a counter with a guardian; a transit card goes online with a photo",
  },
  {
    id: "hld_demo_lin_meiling",
    name: "林美玲",
    idType: "passport",
    idNumber: "E7654321K",
    phone: "13816629035",
    preferredLanguage: "en",
    description: "林美玲: registered with a passport, so the SIM goes to a counter; messages in English",
  },
];

/** Staff accounts; their passwords are generated (or given) when the data is loaded. */
export const DEMO_STAFF: readonly DemoStaff[] = [
  { username: "admin", displayName: "演示管理员", role: "admin" },
  { username: "supervisor", displayName: "演示主管", role: "supervisor" },
  { username: "agent", displayName: "演示营业员", role: "agent" },
];
