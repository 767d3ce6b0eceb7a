/**
 * Shared fixtures for tests: a complete, valid provider rules file and a card with nothing
 * against it. Each call returns a fresh object, so a test may mutate what it gets.
 */
import type { CardSnapshot } from "./model.js";
import { ZERO_MONEY } from "./model.js";
import type { ProviderRules } from "./rules.js";
import { COUNTER_CASES } from "./rules.js";

const PROVENANCE = { source: "test fixture", confidence: "high", lastVerified: "2024-01-01" } as const;

function ruled<T>(value: T) {
  return { value, ...PROVENANCE };
}

/**
 * A mobile operator in Asia/Shanghai with strict defaults: billed arrears, debt, instalments,
 * annual fee and overpayment block; contracts block, other lock-ins cost a fee; secondary cards
 * block, supplementary cards cascade; every counter case needs a counter; online 08:00–22:00 every
 * day; no online cancellation after 18:00 on the last day of a month.
 */
export function baseRules(): ProviderRules {
  return {
    provider: {
      code: "test-mobile",
      kind: "mobile_operator",
      nameZh: "测试移动",
      nameEn: "Test Mobile",
      timeZone: "Asia/Shanghai",
    },
    version: "2024.1",
    cardKinds: ["physical", "esim", "bank_debit", "bank_credit", "transit"],
    rules: {
      realNameRequired: ruled(true),
      blockedCardStatuses: ruled<("lost" | "suspended")[]>(["lost", "suspended"]),
      arrears: ruled({ blockBilled: true, blockUnbilled: false }),
      lockIn: ruled<ProviderRules["rules"]["lockIn"]["value"]>({
        contract: "block",
        premium_number: "fee",
        handset_subsidy: "fee",
      }),
      dependants: ruled<ProviderRules["rules"]["dependants"]["value"]>({
        secondary: "block",
        supplementary: "cascade",
        bundle: "block",
        group: "block",
      }),
      money: ruled({
        blockOnDebt: true,
        blockOnInstalments: true,
        blockOnAnnualFee: true,
        blockOnOverpayment: true,
      }),
      balanceOptions: ruled<ProviderRules["rules"]["balanceOptions"]["value"]>(["refund", "transfer"]),
      timings: ruled<ProviderRules["rules"]["timings"]["value"]>(["immediate", "end_of_cycle"]),
      counterOnly: ruled<ProviderRules["rules"]["counterOnly"]["value"]>([...COUNTER_CASES]),
      documents: ruled<ProviderRules["rules"]["documents"]["value"]>({
        online: ["id_front", "id_back"],
        counter: ["id_front", "id_back", "card_photo"],
        proxy: ["authorisation_letter", "proxy_id"],
        minor: ["guardian_id", "household_register"],
      }),
      serviceWindow: ruled({ days: [1, 2, 3, 4, 5, 6, 7], from: "08:00", to: "22:00" }),
      monthEndCutoff: ruled<{ after: string } | null>({ after: "18:00" }),
      quarantineDays: ruled(90),
      slaDays: ruled(7),
      creditCloseWaitDays: ruled(45),
    },
  };
}

/** An active, real-name physical SIM of an adult resident-ID holder, with no money and no ties. */
export function baseCard(): CardSnapshot {
  return {
    id: "card-1",
    providerId: "test-mobile",
    family: "sim",
    kind: "physical",
    status: "active",
    realNameVerified: true,
    holder: { idType: "resident_id", isMinor: false },
    money: { ...ZERO_MONEY },
    lockIns: [],
    dependants: [],
    parentCardId: null,
    bundle: null,
    groupName: null,
    familyPlan: false,
    openApplicationNumber: null,
    cancelledByApplicationNumber: null,
  };
}
